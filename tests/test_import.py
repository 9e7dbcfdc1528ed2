"""Imports: every kind of bad file is rejected with the right Chinese message and nothing is
written; a good file lands; re-importing it changes nothing."""
import datetime

import pytest

from jiaoguan.core.importing import ImportContext, run_import, template
from jiaoguan.core.models import AuditLog
from jiaoguan.registry import models as m

from .factories import make_id
from .xlsx import PUPIL_HEADERS, pupil_row, read_error_workbook, write_xlsx

B1 = datetime.date(2018, 3, 4)
B2 = datetime.date(2018, 5, 6)


def ctx(world, user="admin"):
    return ImportContext(user=world["users"][user], year=world["years"][1])


def good_rows():
    return [pupil_row("4303210001", make_id("430321", B1, 1), "张三"), pupil_row("4303210001", make_id("430321", B2, 2), "李四", grade="三年级", cls="2班")]


def test_good_file_lands_and_reimport_changes_nothing(world, tmp_path):
    path = write_xlsx(tmp_path / "ok.xlsx", PUPIL_HEADERS, good_rows())
    first = run_import("pupils", path, ctx(world))
    assert first.ok, first.error_lines()
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert m.Enrolment.objects.filter(year=world["years"][1], school__code="4303210001").count() == 2
    assert set(m.SchoolClass.objects.filter(school__code="4303210001").values_list("name", flat=True)) == {"1班", "2班"}
    again = run_import("pupils", path, ctx(world))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert m.Pupil.objects.count() == 2 and m.Enrolment.objects.count() == 2 and m.SchoolClass.objects.count() == 2
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT, row_count=2).count() == 2


def test_changed_row_is_updated_not_duplicated(world, tmp_path):
    run_import("pupils", write_xlsx(tmp_path / "a.xlsx", PUPIL_HEADERS, good_rows()), ctx(world))
    rows = good_rows()
    rows[1][3] = "李思"
    result = run_import("pupils", write_xlsx(tmp_path / "b.xlsx", PUPIL_HEADERS, rows), ctx(world))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert m.Pupil.objects.get(name="李思").initials == "ls"


def assert_rejected(result, world):
    assert not result.ok
    assert m.Pupil.objects.count() == 0
    assert m.Enrolment.objects.count() == 0
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT_REJECTED).exists()


def test_bad_id_numbers_rejected_with_row_messages(world, tmp_path):
    rows = good_rows()
    bad = make_id("430321", B2, 3)
    rows.append(pupil_row("4303210001", bad[:-1] + ("0" if bad[-1] != "0" else "1"), "王五"))
    path = write_xlsx(tmp_path / "bad.xlsx", PUPIL_HEADERS, rows)
    result = run_import("pupils", path, ctx(world))
    assert_rejected(result, world)
    assert list(result.errors) == [2]
    assert result.errors[2] == ["「身份证号」身份证号校验位错误"]
    errors = read_error_workbook(result.error_file)
    assert "「身份证号」身份证号校验位错误" in errors[4]  # Excel row 4 = third data row
    assert errors[2] == "" and errors[3] == ""


def test_numeric_id_column_rejected(world, tmp_path):
    idn = make_id("430321", B1, 1)
    row = pupil_row("4303210001", idn)
    row[2] = float(idn)  # typed as a number: Excel keeps ~15 significant digits
    path = write_xlsx(tmp_path / "num.xlsx", PUPIL_HEADERS, [row])
    result = run_import("pupils", path, ctx(world))
    assert_rejected(result, world)
    assert "「身份证号」身份证号被存成了数字，请把该列设为文本后重新填写" in result.errors[0]


def test_missing_and_wrong_headers(world, tmp_path):
    path = write_xlsx(tmp_path / "hdr.xlsx", ["学校", "姓名", "生日"], [["x", "张三", "2018-01-01"]])
    result = run_import("pupils", path, ctx(world))
    assert_rejected(result, world)
    assert result.file_error.startswith("工作表「学生」缺少必填列：学校标识码、全国学籍号、性别、出生日期、年级")
    assert "本文件的表头为：学校、姓名、生日" in result.file_error


def test_english_keys_accepted_as_headers(world, tmp_path):
    headers = ["school_code", "student_no", "id_number", "name", "sex", "birth_date", "grade", "class_name"]
    result = run_import("pupils", write_xlsx(tmp_path / "en.xlsx", headers, good_rows()), ctx(world))
    assert result.ok, result.file_error or result.error_lines()


def test_duplicate_pupil_in_file_and_across_schools(world, tmp_path):
    rows = good_rows()
    rows.append(list(rows[0]))
    result = run_import("pupils", write_xlsx(tmp_path / "dup.xlsx", PUPIL_HEADERS, rows), ctx(world))
    assert_rejected(result, world)
    assert "「全国学籍号」与第2行学籍号重复" in result.errors[2]

    assert run_import("pupils", write_xlsx(tmp_path / "a.xlsx", PUPIL_HEADERS, good_rows()[:1]), ctx(world)).ok
    moved = good_rows()[:1]
    moved[0][0] = "4303210002"
    result = run_import("pupils", write_xlsx(tmp_path / "b.xlsx", PUPIL_HEADERS, moved), ctx(world))
    assert not result.ok
    assert "该生本学年已在「易俗河镇第一小学」注册学籍，同一学年只能在一所学校" in result.errors[0][0]
    assert m.Enrolment.objects.filter(school__code="4303210002").count() == 0


def test_bad_dates_sex_and_grade(world, tmp_path):
    idn = make_id("430321", B1, 1)
    rows = [
        pupil_row("4303210001", idn, birth="2018-02-30"),
        pupil_row("4303210001", make_id("430321", B2, 2), sex="男"),  # sequence 002 is female
        pupil_row("4303210001", make_id("430321", B2, 4), grade="三年纪"),
    ]
    result = run_import("pupils", write_xlsx(tmp_path / "d.xlsx", PUPIL_HEADERS, rows), ctx(world))
    assert_rejected(result, world)
    assert "「出生日期」日期无效，应写成如2015-09-01" in result.errors[0]
    assert "「性别」与身份证号第17位（单数男、双数女）不符" in result.errors[1]
    assert result.errors[2] == ["「年级」年级无法识别，应写成如“三年级”“七年级”“小班”"]


def test_age_grade_mismatch_is_a_warning_only(world, tmp_path):
    rows = [pupil_row("4303210001", make_id("430321", B1, 1), grade="九年级")]
    result = run_import("pupils", write_xlsx(tmp_path / "w.xlsx", PUPIL_HEADERS, rows), ctx(world))
    assert result.ok
    assert "入学年龄8岁与九年级（通常14岁）相差较大" in result.warnings[0][0]


def test_empty_file_csv_renamed_and_huge_file(world, tmp_path, settings):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    assert run_import("pupils", empty, ctx(world)).file_error == "文件为空（0字节），请检查是否上传了正确的文件"

    csv = tmp_path / "data.xlsx"
    csv.write_text("学校标识码,全国学籍号\n4303210001,G1\n", encoding="utf-8")
    assert run_import("pupils", csv, ctx(world)).file_error.startswith("文件不是Excel工作簿：看起来是CSV文本文件被改了扩展名")

    no_rows = write_xlsx(tmp_path / "norows.xlsx", PUPIL_HEADERS, [])
    assert run_import("pupils", no_rows, ctx(world)).file_error == "工作表「学生」没有数据行（第1行是表头，从第2行起填写数据）"

    big = tmp_path / "big.xlsx"
    with big.open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(50 * 1024 * 1024)
    result = run_import("pupils", big, ctx(world))
    assert result.file_error == "文件过大（50.0 MB），单次导入上限为20 MB，请按学校或年级拆分后分批导入"
    assert m.Pupil.objects.count() == 0


def test_school_admin_cannot_import_into_another_school(world, tmp_path):
    rows = [pupil_row("4303210002", make_id("430321", B1, 1))]
    result = run_import("pupils", write_xlsx(tmp_path / "o.xlsx", PUPIL_HEADERS, rows), ctx(world, "school_a"))
    assert_rejected(result, world)
    assert result.errors[0] == ["「学校标识码」无权导入学校4303210002的数据（不在您的管辖范围内）"]
    rows = [pupil_row("9999999999", make_id("430321", B1, 1))]
    result = run_import("pupils", write_xlsx(tmp_path / "u.xlsx", PUPIL_HEADERS, rows), ctx(world))
    assert result.errors[0] == ["「学校标识码」学校标识码9999999999不存在，请先导入学校名录"]


def test_template_round_trip(world, tmp_path):
    """A downloaded template has the headers the importer reads and a notes sheet."""
    import fastexcel

    path = tmp_path / "t.xlsx"
    template("pupils", path)
    reader = fastexcel.read_excel(str(path))
    assert reader.sheet_names == ["学生", "填写说明"]
    notes = reader.load_sheet(1, header_row=None, dtypes="string").to_polars()
    text = " ".join(str(v) for v in notes.to_series(2).to_list() if v)
    assert "该列须为文本格式，切勿存成数字" in text


@pytest.mark.parametrize("kind", ["schools", "facts", "classes", "teachers"])
def test_every_template_lists_its_columns(kind, tmp_path, db):
    import fastexcel

    from jiaoguan.core.importing import get_importer

    path = tmp_path / f"{kind}.xlsx"
    template(kind, path)
    header = fastexcel.read_excel(str(path)).load_sheet(0, dtypes="string").to_polars().columns
    assert header == [c.label for c in get_importer(kind).columns]


def test_schools_facts_classes_teachers_import(world, tmp_path):
    schools = write_xlsx(tmp_path / "s.xlsx", ["学校标识码", "学校名称", "所在乡镇（街道）", "学校类型", "所属学校标识码", "城乡分类", "办学性质"], [
        ["4303210003", "花石镇龙口村小学", "花石镇", "小学", None, "乡村", "公办"],
        ["4303210004", "花石镇龙口教学点", "430321101", "教学点", "4303210003", "乡村", "公办"],
        ["4303210005", "花石镇无主教学点", "花石镇", "教学点", None, "乡村", "公办"],
    ], sheet="学校名录")
    result = run_import("schools", schools, ctx(world))
    assert result.errors == {2: ["「所属学校标识码」教学点必须填写所属学校的标识码"]}
    schools = write_xlsx(tmp_path / "s2.xlsx", ["学校标识码", "学校名称", "所在乡镇（街道）", "学校类型", "所属学校标识码", "城乡分类", "办学性质"], [
        ["4303210003", "花石镇龙口村小学", "花石镇", "小学", None, "乡村", "公办"],
        ["4303210004", "花石镇龙口教学点", "430321101", "教学点", "4303210003", "乡村", "公办"],
    ], sheet="学校名录")
    assert run_import("schools", schools, ctx(world)).ok
    point = m.School.objects.get(code="4303210004")
    assert point.parent.code == "4303210003" and point.org_unit.name == "花石镇" and point.initials == "hszlkjxd"

    facts = write_xlsx(tmp_path / "f.xlsx", ["学校标识码", "教学及辅助用房面积（㎡）", "图书册数", "计算机台数"], [
        ["4303210003", "1,250.5", 5200, "31"], ["4303210004", -3, "x", 2.5]], sheet="办学条件")
    result = run_import("facts", facts, ctx(world))
    assert result.errors == {1: ["「教学及辅助用房面积（㎡）」不能为负数", "「计算机台数」应为整数", "「图书册数」应为数字"]}
    facts = write_xlsx(tmp_path / "f2.xlsx", ["学校标识码", "教学及辅助用房面积（㎡）", "图书册数"], [["4303210003", "1,250.5", 5200]])
    assert run_import("facts", facts, ctx(world)).ok
    assert float(m.SchoolFacts.objects.get(school__code="4303210003").teaching_area) == 1250.5
    assert run_import("facts", facts, ctx(world)).unchanged == 1

    classes = write_xlsx(tmp_path / "c.xlsx", ["学校标识码", "年级", "班级名称"], [["4303210003", "一年级", "1班"], ["4303210003", "1", "1班"]])
    result = run_import("classes", classes, ctx(world))
    assert result.errors == {1: ["「班级名称」与第2行班级重复"]}

    tid = make_id("430321", datetime.date(1975, 6, 1), 13)
    headers = ["学校标识码", "身份证号", "姓名", "性别", "出生日期", "任教学段", "主教学科", "最高学历", "职称", "骨干教师"]
    teachers = write_xlsx(tmp_path / "t.xlsx", headers, [
        ["4303210003", tid, "刘老师", "男", "1975-06-01", "小学", "语文", "专科", "一级", "县级"],
        ["4303210003", tid, "刘老师", "男", "1975-06-01", "小学", "数学", "专科", "一级", ""],
    ])
    result = run_import("teachers", teachers, ctx(world))
    assert result.errors == {1: ["「身份证号」与第2行教师的同一学段任教记录重复"]}
    teachers = write_xlsx(tmp_path / "t2.xlsx", headers, [["4303210003", tid, "刘老师", "男", "1975-06-01", "小学", "语文", "专科", "一级", "县级"]])
    assert run_import("teachers", teachers, ctx(world)).ok
    posting = m.Posting.objects.get()
    assert (posting.title, posting.backbone, posting.education) == ("first", "county", "college")


def test_g_number_without_id_column_is_checked_once(world, tmp_path):
    idn = make_id("430321", B1, 1)
    wrong = idn[:-1] + ("0" if idn[-1] != "0" else "1")
    headers = ["学校标识码", "全国学籍号", "姓名", "性别", "出生日期", "年级"]
    result = run_import("pupils", write_xlsx(tmp_path / "g.xlsx", headers, [["4303210001", "G" + wrong, "张三", "男", B1.isoformat(), "三年级"]]), ctx(world))
    assert result.errors == {0: ["「全国学籍号」G字头学籍号中的身份证号校验位错误"]}
    result = run_import("pupils", write_xlsx(tmp_path / "g2.xlsx", headers, [["4303210001", "G" + idn, "张三", "男", B1.isoformat(), "三年级"]]), ctx(world))
    assert result.ok and m.Pupil.objects.get().id_number == idn


def test_legacy_xls_file_imports(world, tmp_path):
    """Excel 97–2003 (.xls) files, as many schools still send them, read the same way."""
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("学生")
    for c, h in enumerate(PUPIL_HEADERS):
        ws.write(0, c, h)
    for r, row in enumerate(good_rows(), start=1):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    path = tmp_path / "old.xls"
    wb.save(str(path))
    result = run_import("pupils", path, ctx(world))
    assert result.ok, result.file_error or result.error_lines()
    assert result.created == 2


def test_id_number_already_held_by_another_student_no(world, tmp_path):
    assert run_import("pupils", write_xlsx(tmp_path / "a.xlsx", PUPIL_HEADERS, good_rows()[:1]), ctx(world)).ok
    idn = make_id("430321", B1, 1)
    row = pupil_row("4303210001", idn, "张三")
    row[1] = "L4303212018030412345"[:19]  # a different 学籍号 claiming the same ID number
    result = run_import("pupils", write_xlsx(tmp_path / "b.xlsx", PUPIL_HEADERS, [row]), ctx(world))
    assert not result.ok
    assert any("该身份证号已登记在学籍号G430321" in m for m in result.errors[0])
