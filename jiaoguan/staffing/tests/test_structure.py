"""Age and retirement counts, subject gaps, pupil-teacher ratios against the 编制 standard, mixes."""
import datetime

from jiaoguan.registry import models as m
from jiaoguan.staffing import structure

from .conftest import add_pupils, add_teacher

D = datetime.date


def test_ages_and_retirements(world):
    a, b, _ = world["schools"]
    y = world["years"][1]  # starts 2026-09-01; five years: up to 2031-08-31
    add_teacher(a, y, name="到龄男", sex="男", birth=D(1966, 9, 1))      # 60 on the first day: retires this year
    add_teacher(a, y, name="超龄男", sex="男", birth=D(1966, 8, 31))     # already past 60
    add_teacher(a, y, name="将退女", sex="女", birth=D(1976, 8, 31))     # 55 on the last day of the five years
    add_teacher(a, y, name="未到女", sex="女", birth=D(1976, 9, 1))      # 55 a day after
    add_teacher(a, y, name="中年男", sex="男", birth=D(1990, 1, 1))
    add_teacher(b, y, name="青年女", sex="女", birth=D(2000, 1, 1), section="junior")
    age = structure.age_structure(y)
    assert (age["teachers"], age["mean_age"], age["under_30"], age["age_50_and_over"]) == (6, 47.0, 1, 4)
    assert (age["retiring"], age["past_retirement_age"]) == (2, 1)
    assert [r["teachers"] for r in age["retiring_by_year"]] == [1, 0, 0, 0, 1]
    assert age["retiring_by_year"][0]["year"] == "2026-2027"
    bands = age["bands"]
    total = age["pyramid"]["all"]["all"]
    assert total["male"][bands.index("60岁及以上")] == 2 and total["male"][bands.index("35–39岁")] == 1
    assert total["female"][bands.index("50–54岁")] == 2 and total["female"][bands.index("25–29岁")] == 1
    assert age["pyramid"]["junior"]["town"]["female"][bands.index("25–29岁")] == 1
    assert sum(age["pyramid"]["primary"]["urban"]["male"]) == 3
    assert age["mean_age_by_location"] == {"town": 26.0, "urban": 51.2}
    due = structure.retirements(y)
    assert [(r["teacher"].name, r["date"]) for r in due] == [("到龄男", D(2026, 9, 1)), ("将退女", D(2031, 8, 31))]


def test_subject_gaps_and_ratios(world):
    a, b, _ = world["schools"]
    y = world["years"][1]
    point = m.School.objects.create(code="4303210007", name="花石镇某村教学点", org_unit=b.org_unit, type="teaching_point",
                                    location="rural", parent=b)
    add_pupils(a, y, 40)
    add_pupils(b, y, 30, grade=7)
    add_pupils(point, y, 12, grade=1)
    for subject in ("chinese", "pe", "music", "art", "english"):
        add_teacher(a, y, subject=subject)
    add_teacher(b, y, section="junior", subject="math")
    add_teacher(point, y, subject="chinese")
    units = structure.school_sections(y)
    gaps = structure.subject_gaps(units)
    assert [(g["school"].code, g["section"], g["missing_labels"]) for g in gaps] == [
        (b.code, "junior", ["体育与健康", "音乐", "美术", "英语", "信息科技"]),   # the teaching point is the central school's
        (a.code, "primary", ["信息科技"]),
    ]
    counts = {c["subject"]: c["schools"] for c in structure.subject_gap_counts(gaps)}
    assert counts == {"pe": 1, "music": 1, "art": 1, "english": 1, "it": 2}
    ratios = {(u.school.code, u.section): u for u in structure.ratio_rows(units)}
    a_row, b_row = ratios[(a.code, "primary")], ratios[(b.code, "junior")]
    assert (a_row.pupils, a_row.headcount, a_row.standard, a_row.gap) == (40, 5, 3, 2)       # 40 ÷ 19 → 3
    assert (b_row.pupils, b_row.headcount, b_row.standard, b_row.gap) == (30, 1, 3, -2)      # 30 ÷ 13.5 → 3
    summary = structure.ratio_summary(units)
    assert (summary["schools_short"], summary["short"]) == (1, 2)
    primary = next(s for s in summary["sections"] if s["section"] == "primary")
    assert (primary["pupils"], primary["teachers"], primary["surplus"]) == (52, 6, 2)


def test_education_and_title_mix(world):
    a, _, _ = world["schools"]
    y = world["years"][1]
    add_teacher(a, y, title="first")
    add_teacher(a, y, title="first")
    add_teacher(a, y, title="senior")
    mix = structure.mix(y)
    row = mix["title"]["rows"][0]
    assert row["label"] == "小学" and row["total"] == 3
    cells = dict(zip(mix["title"]["columns"], row["cells"]))
    assert cells["一级"]["n"] == 2 and cells["高级"]["n"] == 1 and cells["二级"]["n"] == 0
    assert mix["education"]["rows"][0]["cells"][1]["n"] == 3  # 本科
