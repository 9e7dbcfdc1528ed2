"""The 校际均衡 engine against hand-checked examples and the properties a CV must have."""
import math

import polars as pl
import pytest
from hypothesis import given, settings, strategies as st

from jiaoguan.indicators import balance


def facts(rows):
    """rows: dicts with school_code, school_type and any numeric columns."""
    base = {"school_name": "", "county_code": "430321"}
    return pl.DataFrame([base | {"school_name": r["school_code"]} | r for r in rows], infer_schema_length=None)


def cv_of(ev, indicator, stage="primary", county="430321"):
    row = ev.counties.filter((pl.col("indicator") == indicator) & (pl.col("stage") == stage) & (pl.col("county_code") == county)).row(0, named=True)
    return row


def test_weighted_cv_hand_checked():
    # X = 10, 6, 2 with P = 100, 300, 100: X̄ = 3000/500 = 6; S² = .2·16 + .6·0 + .2·16 = 6.4
    ev = balance.evaluate_frame(facts([
        {"school_code": "1", "school_type": "小学", "students_primary": 100, "books": 1000},
        {"school_code": "2", "school_type": "小学", "students_primary": 300, "books": 1800},
        {"school_code": "3", "school_type": "小学", "students_primary": 100, "books": 200},
    ]), "basic-2012")
    row = cv_of(ev, "books_per_pupil")
    assert row["county_value"] == pytest.approx(6.0)
    assert row["s"] == pytest.approx(math.sqrt(6.4))
    assert row["cv"] == pytest.approx(math.sqrt(6.4) / 6)  # 0.421637
    shares = dict(ev.schools.filter(pl.col("indicator") == "books_per_pupil").select("school_code", "variance_share").iter_rows())
    assert shares == pytest.approx({"1": 0.5, "2": 0.0, "3": 0.5})


def test_county_value_is_total_over_pupils_not_mean_of_school_values():
    ev = balance.evaluate_frame(facts([
        {"school_code": "1", "school_type": "小学", "students_primary": 1000, "books": 10000},  # 10
        {"school_code": "2", "school_type": "小学", "students_primary": 10, "books": 300},      # 30
    ]), "basic-2012")
    assert cv_of(ev, "books_per_pupil")["county_value"] == pytest.approx(10300 / 1010)


def test_stage_split_weights():
    long = balance.split_stages(facts([
        {"school_code": "9", "school_type": "九年一贯制", "students_primary": 600, "students_junior": 400, "teaching_area": 4000,
         "teachers_primary": 30, "teachers_junior": 25},
        {"school_code": "W", "school_type": "完全中学", "students_junior": 500, "students_senior": 1000, "teaching_area": 12000},
        {"school_code": "T", "school_type": "十二年一贯制", "students_primary": 300, "students_junior": 200, "students_senior": 100, "teaching_area": 6520},
    ]))
    area = {(r["school_code"], r["stage"]): r["teaching_area"] for r in long.iter_rows(named=True)}
    assert area[("9", "primary")] == pytest.approx(4000 * 600 / 1040)   # A/(A+1.1B)
    assert area[("9", "junior")] == pytest.approx(4000 * 440 / 1040)    # 1.1B/(A+1.1B)
    assert area[("W", "junior")] == pytest.approx(12000 * 500 / 1700)   # B/(B+1.2C)
    assert ("W", "primary") not in area                                  # 完全中学: 初中部 only
    assert area[("T", "primary")] == pytest.approx(6520 * 300 / 652)    # A/(A+1.1B+1.32C)
    assert area[("T", "junior")] == pytest.approx(6520 * 220 / 652)
    teachers = {(r["school_code"], r["stage"]): r["teachers"] for r in long.iter_rows(named=True)}
    assert teachers[("9", "primary")] == 30 and teachers[("9", "junior")] == 25  # own section counts, not split


def test_composite_is_mean_of_eight_cvs():
    rows = [
        {"school_code": str(i), "school_type": "小学", "students_primary": p, "teaching_area": a, "sports_area": a * 2,
         "equipment_value": a * 300, "computers": c, "books": a * 5, "teachers_primary": t, "qualified_primary": t,
         "midtitle_primary": max(t - 3, 0)}
        for i, (p, a, c, t) in enumerate([(400, 1800, 30, 22), (120, 700, 12, 9), (800, 2900, 40, 38), (60, 500, 6, 6)])
    ]
    ev = balance.evaluate_frame(facts(rows), "basic-2012")
    cvs = ev.counties.filter(pl.col("stage") == "primary")["cv"].to_list()
    comp = ev.composite.filter(pl.col("stage") == "primary").row(0, named=True)
    assert len(cvs) == 8
    assert comp["composite_cv"] == pytest.approx(sum(cvs) / 8)
    assert comp["composite_limit"] == 0.65 and comp["passed"] == (sum(cvs) / 8 <= 0.65)


QUALITY_OK = {"qualified_primary": 5, "backbone_primary": 1, "pe_art_primary": 1, "teaching_area": 450, "sports_area": 800,
              "equipment_value": 250000, "multimedia_rooms": 3}


def school(code, **over):
    return {"school_code": code, "school_type": "小学", "students_primary": 100} | QUALITY_OK | over


def test_six_of_seven_and_85_percent_rule():
    ev = balance.evaluate_frame(facts([
        school("all"),
        school("six", teaching_area=400),          # 4.0 < 4.5 but ≥ 3.825 (85%): passes with 6 met
        school("floor", teaching_area=370),        # 3.7 < 3.825: fails although 6 of 7 are met
        school("five", teaching_area=400, multimedia_rooms=2),  # 2 unmet: fails
    ]), "quality-2017")
    summary = {r["school_code"]: (r["met_count"], r["passed"]) for r in ev.school_summary.iter_rows(named=True)}
    assert summary == {"all": (7, True), "six": (6, True), "floor": (6, False), "five": (5, False)}
    gaps = {(r["school_code"], r["indicator"]): r["gap"] for r in ev.schools.filter(pl.col("gap").is_not_null()).iter_rows(named=True)}
    assert gaps[("six", "teaching_area_per_pupil")] == pytest.approx(50.0)   # (4.5 − 4.0) × 100 ㎡
    assert gaps[("five", "multimedia_rooms_per_100")] == 1.0                 # (2.3 − 2.0) × 100/100 = 0.3 → 1 room
    assert ("all", "teaching_area_per_pupil") not in gaps


def test_2017_cv_test_is_per_indicator():
    ev = balance.evaluate_frame(facts([school("a"), school("b", teaching_area=2000, students_primary=100)]), "quality-2017")
    comp = ev.composite.row(0, named=True)
    by_id = {r["indicator"]: r for r in ev.counties.iter_rows(named=True)}
    assert by_id["qualified_teachers_per_100"]["cv"] == pytest.approx(0.0)
    assert by_id["teaching_area_per_pupil"]["cv"] > 0.5 and by_id["teaching_area_per_pupil"]["passed"] is False
    assert comp["passed"] is False  # one indicator over 0.50 fails the county, whatever the mean


def test_zero_pupils_reported_not_divided():
    ev = balance.evaluate_frame(facts([school("a"), school("empty", students_primary=0)]), "quality-2017")
    assert set(ev.school_summary["school_code"]) == {"a"}
    assert ev.notes.excluded == [{"school_code": "empty", "school_name": "empty", "stage": "primary",
                                  "reason": "小学在校生数为0，未参与计算（不能以0作除数）"}]


def test_teaching_points_exclude_include_merge():
    rows = [school("parent"), school("tp", school_type="教学点", students_primary=20, teaching_area=40, parent_code="parent")]
    assert set(balance.evaluate_frame(facts(rows), "quality-2017", teaching_points="exclude").school_summary["school_code"]) == {"parent"}
    assert set(balance.evaluate_frame(facts(rows), "quality-2017", teaching_points="include").school_summary["school_code"]) == {"parent", "tp"}
    merged = balance.evaluate_frame(facts(rows), "quality-2017", teaching_points="merge")
    row = merged.schools.filter((pl.col("school_code") == "parent") & (pl.col("indicator") == "teaching_area_per_pupil")).row(0, named=True)
    assert row["pupils"] == 120 and row["value"] == pytest.approx(490 / 120)


def test_json_shape_of_design():
    out = balance.evaluate(facts([school("a"), school("b", books=5)]), "basic-2012")
    stage = out["counties"][0]["stages"][0]
    assert set(stage) >= {"stage", "schools", "pupils", "indicators", "composite_cv", "composite_limit", "passed"}
    assert set(stage["indicators"][0]) >= {"id", "county_value", "s", "cv", "cv_limit", "passed"}
    assert [i["id"] for i in stage["indicators"]] == [
        "teaching_area_per_pupil", "sports_area_per_pupil", "equipment_value_per_pupil", "computers_per_100",
        "books_per_pupil", "teachers_per_pupil", "qualified_teachers_per_pupil", "midtitle_teachers_per_pupil"]
    s = out["schools"][0]
    assert set(s) >= {"school_code", "county_code", "stage", "pupils", "met_count", "passed", "indicators"}
    assert set(s["indicators"][0]) >= {"id", "value", "threshold", "met", "gap"}


# ---------------------------------------------------------------------------- properties

sizes = st.lists(st.tuples(st.integers(1, 3000), st.floats(0, 50000, allow_nan=False)), min_size=2, max_size=25)


def books_cv(pairs, order=None):
    rows = [{"school_code": str(i), "school_type": "小学", "students_primary": p, "books": x} for i, (p, x) in enumerate(pairs)]
    if order:
        rows = [rows[i] for i in order]
    return cv_of(balance.evaluate_frame(facts(rows), "basic-2012"), "books_per_pupil")["cv"]


@settings(max_examples=60, deadline=None)
@given(sizes, st.floats(0.01, 1000))
def test_cv_scale_invariant(pairs, k):
    a, b = books_cv(pairs), books_cv([(p, x * k) for p, x in pairs])
    assert (a is None and b is None) or b == pytest.approx(a, rel=1e-6, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 3000), min_size=2, max_size=25), st.floats(0.1, 100))
def test_cv_zero_when_all_equal(pupils, per_pupil):
    assert books_cv([(p, p * per_pupil) for p in pupils]) == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(sizes, st.randoms())
def test_cv_independent_of_row_order(pairs, rnd):
    order = list(range(len(pairs)))
    rnd.shuffle(order)
    a, b = books_cv(pairs), books_cv(pairs, order)
    assert (a is None and b is None) or b == pytest.approx(a, rel=1e-9, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 3000), st.lists(st.floats(1, 50000, allow_nan=False), min_size=2, max_size=25))
def test_cv_equals_unweighted_when_pupils_equal(p, xs):
    values = [x / p for x in xs]
    mean = sum(values) / len(values)
    unweighted = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) / mean
    assert books_cv([(p, x) for x in xs]) == pytest.approx(unweighted, rel=1e-9)


def test_greedy_plan_brings_cv_under_limit():
    pupils = [100, 100, 100, 100]
    x = [1000.0, 1000.0, 1000.0, 100.0]  # one school far below: CV ≈ 0.42
    steps = balance.cv_plan(["a", "b", "c", "d"], pupils, x, 1.0, 0.10)
    assert steps[0]["school_code"] == "d"
    assert steps[-1]["cv_after"] <= 0.10
    raised = list(x)
    for s in steps:
        raised["abcd".index(s["school_code"])] += s["add"]
    mean = sum(raised) / 400
    cv = math.sqrt(sum(0.25 * (r / 100 - mean) ** 2 for r in raised)) / mean
    assert cv == pytest.approx(steps[-1]["cv_after"])


def test_failing_cv_comes_with_plan_and_gap_total():
    out = balance.evaluate(facts([school("a"), school("b", teaching_area=2000), school("c", teaching_area=300)]), "quality-2017")
    ind = next(i for i in out["counties"][0]["stages"][0]["indicators"] if i["id"] == "teaching_area_per_pupil")
    assert ind["passed"] is False and ind["plan"] and ind["plan"][-1]["cv_after"] <= 0.5
    assert ind["gap_total"] == pytest.approx(150.0) and ind["schools_below"] == 1  # c: (4.5 − 3.0) × 100


def test_evaluate_all_equals_one_by_one():
    rows = facts([school("a"), school("b", teaching_area=300), school("c", school_type="九年一贯制", students_junior=80, qualified_junior=5)])
    together = balance.evaluate_all(rows, ["basic-2012", "quality-2017"])
    for ev, sid in zip(together, ["basic-2012", "quality-2017"]):
        assert balance.to_dict(ev) == balance.to_dict(balance.evaluate_frame(rows, sid))
