"""Other departments' lists and school returns through the core import pipeline: matched by ID
number; bad input (unknown programme, ID not in the registry, amount above the standard, a list
with mixed-up columns) rejected with clear Chinese messages and nothing written."""
import datetime

import pytest

from jiaoguan.aid import actions, gather
from jiaoguan.aid.models import DifficultyRecord, Entitlement, Origin
from jiaoguan.core.importing import ImportContext, run_import
from jiaoguan.core.models import AuditLog, ImportJob
from tests.factories import make_id
from tests.xlsx import read_error_workbook, write_xlsx

from .conftest import login, pupil
from .helpers import lst, populate, term

LIST_HEADERS = ["身份证号", "姓名", "名单类型", "有效期起", "有效期止", "证件号或文号", "提供部门"]
RETURN_HEADERS = ["学校标识码", "学期", "身份证号", "姓名", "资助项目", "金额（元）", "申报理由"]
UNKNOWN_ID = make_id("430321", datetime.date(2014, 5, 6), 977)


@pytest.fixture
def county(world):
    world["pupils"] = populate(world)
    return world


def imp(world, kind, path, user="zizhu"):
    return run_import(kind, path, ImportContext(user=world["users"][user], year=world["years"][1]))


# ---------------------------------------------------------------------------- department lists

def test_department_lists_are_matched_by_id_number(county, tmp_path):
    p = county["pupils"]
    path = write_xlsx(tmp_path / "民政名单.xlsx", LIST_HEADERS, [
        [p["plain"].id_number, "普通初中生", "低保", "2026-01-01", "2026-12-31", "DB430321001", "湘潭县民政局"],
        [p["city"].id_number, "城区普通生", "残疾证", "", "", p["city"].id_number + "42", ""],
    ], sheet="名单")
    result = imp(county, "aid_lists", path)
    assert result.ok, result.error_lines()
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    record = DifficultyRecord.objects.get(pupil=p["city"])
    assert record.kind == "disability" and record.department == "残联残疾证名单" and record.imported_by.username == "zizhu"
    assert imp(county, "aid_lists", path).unchanged == 2
    # the lists now give the pupils their category
    actions.generate_lists(term(), user=county["users"]["zizhu"])
    line = Entitlement.objects.get(pupil=p["city"], programme="nonboarding_subsidy")
    assert "残疾（残联残疾证名单" in line.basis


def test_an_id_not_in_the_registry_is_rejected_and_nothing_is_written(county, tmp_path):
    p = county["pupils"]
    path = write_xlsx(tmp_path / "低保.xlsx", LIST_HEADERS, [
        [p["plain"].id_number, "普通初中生", "低保", "", "", "", ""],
        [UNKNOWN_ID, "外县学生", "低保", "", "", "", ""],
    ])
    result = imp(county, "aid_lists", path)
    assert not result.ok and "共2行，其中1行有错误，未写入任何数据" in result.summary()
    assert result.error_lines() == ["第3行：「身份证号」在学籍系统中没有这个身份证号的学生，无法匹配。请核对号码；不在本县就读的人员请从名单中删除"]
    assert not DifficultyRecord.objects.filter(pupil=p["plain"]).exists()
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT_REJECTED, object_type="资助部门名单").exists()


def test_a_list_with_mixed_up_columns_is_rejected(county, tmp_path):
    p = county["pupils"]
    # 姓名 and 名单类型 swapped in every row
    swapped = write_xlsx(tmp_path / "串列.xlsx", LIST_HEADERS, [
        [p["plain"].id_number, "低保", "普通初中生", "", "", "", ""],
        [p["city"].id_number, "特困", "城区普通生", "", "", "", ""],
    ])
    result = imp(county, "aid_lists", swapped)
    errors = read_error_workbook(result.error_file)
    assert "「名单类型」不在可选范围内（低保、特困供养、防返贫监测对象、残疾证、孤儿" in errors[2]
    assert "「姓名」“低保”与学籍登记的姓名“普通初中生”不一致，请检查是否串行或串列" in errors[2]
    # ID numbers in the name column and names in the ID column
    shifted = write_xlsx(tmp_path / "错位.xlsx", LIST_HEADERS, [["普通初中生", p["plain"].id_number, "低保", "", "", "", ""]])
    assert "身份证号应为18位" in imp(county, "aid_lists", shifted).error_lines()[0]
    # the ID column missing altogether
    headless = write_xlsx(tmp_path / "缺列.xlsx", ["姓名", "名单类型"], [["普通初中生", "低保"]])
    missing = imp(county, "aid_lists", headless)
    assert missing.file_error.startswith("工作表「学生」缺少必填列：身份证号")
    assert DifficultyRecord.objects.count() == 1  # the one made by the fixture


def test_dates_out_of_order_and_roles_that_may_not_import(county, tmp_path):
    p = county["pupils"]
    path = write_xlsx(tmp_path / "l.xlsx", LIST_HEADERS, [[p["plain"].id_number, "普通初中生", "低保", "2026-12-31", "2026-01-01", "", ""]])
    assert "「有效期止」早于有效期起" in imp(county, "aid_lists", path).error_lines()[0]
    good = write_xlsx(tmp_path / "g.xlsx", LIST_HEADERS, [[p["plain"].id_number, "普通初中生", "低保", "", "", "", ""]])
    for who in ("school_junior", "leader", "jiaoji"):
        refused = imp(county, "aid_lists", good, user=who)
        assert "只有学生资助中心可以导入部门名单，未写入任何数据" in refused.error_lines()[0]
    assert not DifficultyRecord.objects.filter(pupil=p["plain"]).exists()


def test_pupils_outside_the_scope_are_refused(county, tmp_path):
    outsider = pupil(county["schools"][2], county["years"][1], grade=3, name="外县学生")  # 长沙县
    path = write_xlsx(tmp_path / "l.xlsx", LIST_HEADERS, [[outsider.id_number, "外县学生", "孤儿", "", "", "", ""]])
    assert "该学生不在您的管辖范围内" in imp(county, "aid_lists", path).error_lines()[0]


def test_department_list_upload_page(county, tmp_path):
    p = county["pupils"]
    path = write_xlsx(tmp_path / "特困名单.xlsx", LIST_HEADERS, [[UNKNOWN_ID, "外县学生", "特困供养", "", "", "", ""]])
    client = login("zizhu")
    with path.open("rb") as fh:
        response = client.post("/aid/imports/aid_lists/", {"file": fh, "next": "/aid/hardship/"})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/aid/imports/job/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "导入被拒绝" in page and "下载错误说明表" in page and "在学籍系统中没有这个身份证号的学生" in page
    assert client.get(f"/imports/job/{job.pk}/errors.xlsx").status_code == 200
    # a school administrator may not post department lists
    with path.open("rb") as fh:
        assert login("school_a").post("/aid/imports/aid_lists/", {"file": fh}).status_code == 403
    assert p  # the registry pupils are untouched


# ---------------------------------------------------------------------------- school returns

def test_a_school_return_adds_lines_and_flags_conflicts(county, tmp_path):
    p, users = county["pupils"], county["users"]
    actions.generate_lists(term(), user=users["zizhu"])
    actions.recognise_pupil(p["city"].enrolments.get(), user=users["school_a"], level="difficult", evidence="母亲下岗，民主评议通过")
    own = write_xlsx(tmp_path / "申报.xlsx", RETURN_HEADERS, [
        ["4303210001", "2026秋季", p["city"].id_number, "城区普通生", "非寄宿生生活补助", "", "九月新认定"]])
    result = imp(county, "aid_returns", own, user="school_a")
    assert result.ok and result.created == 1, result.error_lines()
    # a school cannot even name another school's pupil …
    stranger = write_xlsx(tmp_path / "他校.xlsx", RETURN_HEADERS, [
        ["4303210001", "2026秋季", p["day"].id_number, "走读名单生", "非寄宿生生活补助", "375", "家长申请"]])
    assert "该学生不在您的管辖范围内" in imp(county, "aid_returns", stranger, user="school_a").error_lines()[0]
    # … but the office can record such a return, and it is flagged
    result = imp(county, "aid_returns", stranger)
    assert result.ok and result.created == 1
    assert "该生本学年学籍在「花石镇中学」，将在冲突检查中列出" in "".join(result.warnings[0])
    city = Entitlement.objects.get(pupil=p["city"])
    assert city.origin == Origin.SCHOOL_RETURN and city.amount == 312.5 and city.basis.startswith("学校申报：九月新认定")
    kinds = {c.kind for c in gather.term_conflicts(term(), within=lst(county["schools"][0]).entries.all())}
    assert {"duplicate", "two_schools", "not_on_roll"} <= kinds


def test_bad_school_returns_are_rejected_with_reasons_and_nothing_written(county, tmp_path):
    p, users = county["pupils"], county["users"]
    actions.generate_lists(term(), user=users["zizhu"])
    before = Entitlement.objects.count()
    path = write_xlsx(tmp_path / "申报.xlsx", RETURN_HEADERS, [
        ["4303210003", "2026秋季", p["boarder"].id_number, "住校低保生", "助学补贴", "", ""],              # unknown programme
        ["4303210003", "2026秋季", UNKNOWN_ID, "查无此人", "非寄宿生生活补助", "", ""],                      # not in the registry
        ["4303210003", "2026秋季", p["boarder"].id_number, "住校低保生", "寄宿生生活补助", "1500", ""],     # above 750
        ["4303210003", "2026秋季", p["plain"].id_number, "普通初中生", "非寄宿生生活补助", "", ""],         # no hardship
        ["4303210003", "2026秋季", p["plain"].id_number, "普通初中生", "营养膳食补助", "", ""],             # paid to the school
        ["4303210003", "2026年下学期", p["plain"].id_number, "普通初中生", "寄宿生生活补助", "", ""],        # bad term
        ["4303210003", "2026秋季", p["boarder"].id_number, "住校低保生", "生源地助学贷款", "8000", ""],     # an application
    ])
    result = imp(county, "aid_returns", path, user="school_junior")
    errors = read_error_workbook(result.error_file)
    assert "资助项目“助学补贴”不存在（可选：寄宿生生活补助、" in errors[2]
    assert "在学籍系统中没有这个身份证号的学生" in errors[3]
    assert "「金额（元）」1500元超过「寄宿生生活补助」2026秋季每生标准750元" in errors[4]
    assert "该生没有本项目要求的家庭经济困难类别" in errors[5]
    assert "按学校在校生人数拨付" in errors[6]
    assert "学期“2026年下学期”无法识别" in errors[7]
    assert "按个人申请登记" in errors[8]
    assert Entitlement.objects.count() == before


def test_returns_only_into_lists_still_being_declared_and_only_for_the_own_school(county, tmp_path):
    p, users = county["pupils"], county["users"]
    actions.generate_lists(term(), user=users["zizhu"])
    actions.submit_list(lst(county["junior"]), user=users["school_junior"])
    path = write_xlsx(tmp_path / "r.xlsx", RETURN_HEADERS, [
        ["4303210003", "2026秋季", p["boarder"].id_number, "住校低保生", "寄宿生生活补助", "", ""]])
    assert "资助名单已待资助中心审核，不能再导入" in imp(county, "aid_returns", path, user="school_junior").error_lines()[0]
    other = imp(county, "aid_returns", path, user="school_a")
    assert "无权导入学校4303210003的数据" in other.error_lines()[0]
    assert "只有学校管理员或学生资助中心可以申报" in imp(county, "aid_returns", path, user="leader").error_lines()[0]
