"""The 360-学时 account, the 5% spending rule, and the training attendance import."""
import datetime
from decimal import Decimal

import pytest

from jiaoguan.core.importing import ImportContext, run_import, template
from jiaoguan.core.models import AuditLog, SchoolYear
from jiaoguan.registry import models as m
from jiaoguan.staffing import training_stats
from jiaoguan.staffing.models import Attendance, Course, Session
from tests.factories import make_id
from tests.xlsx import read_error_workbook, write_xlsx

from .conftest import add_posting, add_teacher

D = datetime.date
HEADERS = ["身份证号", "姓名", "培训级别", "培训项目", "期次", "开始日期", "结束日期", "学时", "考核结果", "承办单位", "校本研修学校标识码"]


def attend(teacher, school, year, hours, passed=True, level="county"):
    course, _ = Course.objects.get_or_create(year=year, level=level, name=f"{year}培训")
    session, _ = Session.objects.get_or_create(course=course, name=f"第{Session.objects.count() + 1}期",
                                               defaults={"start": year.start, "end": year.start})
    return Attendance.objects.create(session=session, teacher=teacher, school=school, year=year, hours=Decimal(hours), passed=passed)


@pytest.fixture
def staff(world):
    a, b, c = world["schools"]
    y1, y2 = world["years"]
    y0 = SchoolYear.objects.create(code="2024-2025", start=D(2024, 9, 1), end=D(2025, 8, 31))
    old = SchoolYear.objects.create(code="2023-2024", start=D(2023, 9, 1), end=D(2024, 8, 31))
    t = {}
    t[1] = add_teacher(a, y2, name="按时甲")
    for y, h in ((y0, 80), (y1, 70), (y2, 70)):
        attend(t[1], a, y, h)
    t[2] = add_teacher(a, y2, name="落后乙")
    for y, h in ((y0, 72), (y1, 72), (y2, 71)):
        attend(t[2], a, y, h)
    t[3] = add_teacher(b, y2, name="新入职丙", work_start=D(2025, 9, 1))
    for y, h in ((y1, 72), (y2, 72)):
        attend(t[3], b, y, h)
    t[4] = add_teacher(a, y2, name="上周期丁")
    attend(t[4], a, y2, 300)
    attend(t[4], a, y2, 100, passed=False)
    attend(t[4], a, old, 100)
    t[5] = add_teacher(a, y2, name="聘任戊", staffing="contract")
    t[6] = add_teacher(a, y2, name="代课己", staffing="substitute")
    t[7] = add_teacher(b, y2, name="完成庚")
    attend(t[7], b, y0, 200)
    attend(t[7], b, y1, 160)
    return t, y2


def test_the_360_hour_account(staff):
    t, y = staff
    accounts = {a.name: a for a in training_stats.accounts(y)}
    assert set(accounts) == {"按时甲", "落后乙", "新入职丙", "上周期丁", "聘任戊", "完成庚"}  # no account for a substitute
    assert (accounts["按时甲"].hours, accounts["按时甲"].expected, accounts["按时甲"].behind) == (220, 216, False)
    assert (accounts["落后乙"].hours, accounts["落后乙"].behind, accounts["落后乙"].gap) == (215, True, 1)
    assert (accounts["新入职丙"].hours, accounts["新入职丙"].expected, accounts["新入职丙"].behind) == (144, 144, False)
    assert (accounts["上周期丁"].hours, accounts["上周期丁"].year_hours) == (300, 300)  # failed and last cycle's hours do not count
    assert (accounts["聘任戊"].hours, accounts["聘任戊"].behind) == (0, True)
    assert accounts["完成庚"].hours == 360
    summary = training_stats.training_summary(y)
    assert (summary["teachers"], summary["behind_360_hours"], summary["completed_360_hours"]) == (6, 2, 1)
    assert summary["cycle"] == {"first_year": 2024, "last_year": 2028, "hours": 360, "expected_by_now": 216}
    assert summary["by_level"][0]["label"] == "县培"


def test_five_percent_rule_per_school(world):
    a, b, c = world["schools"]
    y = world["years"][1]
    m.SchoolFacts.objects.create(school=a, year=y, public_funds_budget=Decimal("100000"), training_spend=Decimal("5000"))
    m.SchoolFacts.objects.create(school=b, year=y, public_funds_budget=Decimal("100000"), training_spend=Decimal("4999.99"))
    m.SchoolFacts.objects.create(school=c, year=y, public_funds_budget=Decimal("200000"), training_spend=None)
    rows = {r["school"].code: r for r in training_stats.school_spending(y)}
    assert rows[a.code]["under"] is False and rows[a.code]["share"] == 0.05  # exactly 5% meets the rule
    assert rows[b.code]["under"] is True and rows[b.code]["gap"] == Decimal("0.01")
    assert rows[c.code]["under"] is True and rows[c.code]["missing"] is True and rows[c.code]["gap"] == Decimal("10000")
    assert training_stats.spending_summary(list(rows.values()))["under"] == 2
    county = m.School.objects.filter(org_unit__path__startswith=world["county"].path).values("pk")
    assert [r["school"].code for r in training_stats.school_spending(y, county)] == [b.code, a.code]


# ---------------------------------------------------------------------------- import

def ctx(world, user="renshi"):
    return ImportContext(user=world["users"][user], year=world["years"][1])


@pytest.fixture
def two_teachers(world):
    a, b, c = world["schools"]
    y = world["years"][1]
    return add_teacher(a, y, name="王芳", sex="女"), add_teacher(a, y, name="李强")


def row(teacher, level="县培", course="2026年县级骨干教师研修班", session="第1期", start="2026-10-12", end="2026-10-16",
        hours="40", result="", organizer="县教师发展中心", school=""):
    return [teacher.id_number if hasattr(teacher, "id_number") else teacher, getattr(teacher, "name", "某某"), level, course,
            session, start, end, hours, result, organizer, school]


def test_good_file_lands_and_reimport_changes_nothing(world, two_teachers, tmp_path):
    w, li = two_teachers
    a = world["schools"][0]
    rows = [row(w), row(li), row(w, level="校本", course="2026—2027学年校本研修", session="全年", start="2026-09-10",
                                   end="2027-06-30", hours="36", school=a.code), row(li, course="2026年作业设计专题培训", hours="16",
                                                                                     start="2026-11-02", end="2026-11-03", result="不合格")]
    path = write_xlsx(tmp_path / "培训.xlsx", HEADERS, rows, sheet="培训学时")
    result = run_import("training", path, ctx(world))
    assert result.ok, result.error_lines()
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    assert Course.objects.count() == 3 and Session.objects.count() == 3
    school_course = Course.objects.get(level="school")
    assert school_course.school == a
    assert Attendance.objects.get(teacher=li, session__course__name="2026年作业设计专题培训").passed is False
    assert set(Attendance.objects.values_list("school", flat=True)) == {a.pk}
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT, object_type="教师培训学时").count() == 1
    again = run_import("training", path, ctx(world))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    rows[0][7] = "32"
    changed = run_import("training", write_xlsx(tmp_path / "改.xlsx", HEADERS, rows), ctx(world))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 3)
    assert Attendance.objects.get(teacher=w, session__course__level="county").hours == Decimal("32.0")


def assert_nothing_written():
    assert not Attendance.objects.exists() and not Course.objects.exists() and not Session.objects.exists()


def test_bad_rows_rejected_with_clear_messages_and_nothing_written(world, two_teachers, tmp_path):
    w, li = two_teachers
    a, b, c = world["schools"]
    y = world["years"][1]
    outsider = add_teacher(c, y, name="外县教师")
    no_posting = m.Teacher.objects.create(id_number=make_id("430321", D(1980, 1, 1), 35), name="未任教", sex="男", birth_date=D(1980, 1, 1))
    add_posting(no_posting, a, world["years"][0])  # only last year
    bad_checksum = w.id_number[:-1] + ("0" if w.id_number[-1] != "0" else "1")
    rows = [
        row(bad_checksum),                                                   # 2
        row(make_id("430321", D(1990, 3, 7), 123)),                          # 3 valid but unknown
        [li.id_number, "李刚"] + row(li)[2:],                                 # 4 name mismatch
        row(w, course="暑期培训", start="2026-08-20", end="2026-08-22", hours="16"),  # 5 before the school year
        row(li, course="短训", start="2026-10-12", end="2026-10-13", hours="50"),    # 6 more than 2 days × 8
        row(w, level="校本", course="校本研修", session="全年"),                 # 7 校本 without a school
        row(w, course="班主任培训", start="2026-11-01", end="2026-11-02", hours="16"),  # 8
        row(li, course="班主任培训", start="2026-11-03", end="2026-11-04", hours="16"),  # 9 same session, other dates
        row(w, course="班主任培训", start="2026-11-01", end="2026-11-02", hours="12"),  # 10 the same teacher twice
        row(li, level="区培"),                                                # 11 not a level
        row(outsider),                                                       # 12 another county's teacher
        row(no_posting),                                                     # 13 not posted this year
        row(w, course="结束早于开始", start="2026-10-12", end="2026-10-10", hours="8"),  # 14
    ]
    path = write_xlsx(tmp_path / "有错.xlsx", HEADERS, rows)
    result = run_import("training", path, ctx(world))
    assert not result.ok
    assert_nothing_written()
    lines = "\n".join(result.error_lines())
    expected = {
        2: "「身份证号」身份证号校验位错误",
        3: "「身份证号」教师名册中没有这个身份证号",
        4: "「姓名」与教师名册不符（名册为“李强”）",
        5: "「开始日期」培训日期不在所选的2026-2027学年（2026-09-01至2027-08-31）内",
        6: "「学时」50学时超过了培训天数（2天）×每天8学时",
        7: "「校本研修学校标识码」校本研修必须填写组织研修的学校",
        9: "「开始日期」与第8行同一期次（班主任培训 第1期）的培训日期不一致",
        10: "「身份证号」与第8行同一教师同一期培训重复",
        11: "「培训级别」不在可选范围内（国培、省培、市培、县培、校本）",
        12: "「身份证号」该教师不在您的管辖范围内",
        13: "「身份证号」未任教在2026-2027学年没有任教记录，学时无法计入",
        14: "「结束日期」早于开始日期",
    }
    for n, message in expected.items():
        assert f"第{n}行：" in lines and message in lines, (n, message, lines)
    assert "第8行" not in [line.split("：")[0] for line in result.error_lines()]
    workbook = read_error_workbook(result.error_file)
    assert "校验位错误" in workbook[2] and workbook[8] == ""
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT_REJECTED).count() == 1


def test_mixed_up_columns_and_missing_headers(world, two_teachers, tmp_path):
    w, li = two_teachers
    swapped = [row(w, session="40", hours="第1期")]  # 学时 and 期次 typed into each other's columns
    result = run_import("training", write_xlsx(tmp_path / "乱.xlsx", HEADERS, swapped), ctx(world))
    assert not result.ok and "第2行：「学时」应为数字" in result.error_lines()[0]
    headers = [h for h in HEADERS if h != "学时"]
    missing = run_import("training", write_xlsx(tmp_path / "缺.xlsx", headers, [row(w)[:7] + row(w)[8:]]), ctx(world))
    assert missing.file_error and "缺少必填列：学时" in missing.file_error
    assert_nothing_written()


def test_only_personnel_import_training(world, two_teachers, tmp_path):
    w, li = two_teachers
    path = write_xlsx(tmp_path / "t.xlsx", HEADERS, [row(w), row(li)])
    for user in ("school_a", "jiaoji", "leader"):
        result = run_import("training", path, ctx(world, user))
        assert not result.ok and len(result.errors) == 2
        assert "仅限人事股" in result.error_lines()[0]
    assert_nothing_written()
    assert run_import("training", path, ctx(world, "admin")).ok


def test_template_lists_every_column(tmp_path):
    import fastexcel

    template("training", tmp_path / "t.xlsx")
    frame = fastexcel.read_excel(str(tmp_path / "t.xlsx")).load_sheet(0).to_polars()
    assert frame.columns == HEADERS
