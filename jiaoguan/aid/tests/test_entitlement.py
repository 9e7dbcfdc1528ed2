"""Entitlement for each programme from hand-made pupils (pure: plain rows, no database)."""
import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiaoguan.aid.entitlement import (CATEGORY_ORDER, Evidence, PupilRow, categories_in_term, entitlements, entitlements_for,
                                      school_lines, why_not)
from jiaoguan.aid.programmes import TermKey, programmes

TABLE = programmes()
AUTUMN_2026 = TermKey.parse("2026秋季")


def row(*, school_type="primary", location="rural", ownership="public", grade=3, status="studying", boarding=False,
        evidence=(), pupil_id=1):
    return PupilRow(pupil_id, pupil_id * 10, 7, school_type, location, ownership, grade, status, boarding, tuple(evidence))


def ev(category, source="学籍登记", **kw):
    return Evidence(category, source, **kw)


def got(r, term=AUTUMN_2026):
    return {e.programme: e.amount for e in entitlements([r], TABLE, term)}


@pytest.mark.parametrize("category", ["registered_poor", "dibao", "tekun", "orphan", "disabled", "recognised"])
def test_each_difficulty_category_gives_the_living_subsidy(category):
    boarder = got(row(grade=8, school_type="junior", boarding=True, evidence=[ev(category)]))
    assert boarder["boarding_subsidy"] == Decimal("750.00") and "nonboarding_subsidy" not in boarder
    day_pupil = got(row(grade=2, boarding=False, location="urban", evidence=[ev(category)]))
    assert day_pupil == {"nonboarding_subsidy": Decimal("312.50")}


def test_no_difficulty_no_living_subsidy_but_rural_meals():
    assert got(row(grade=4, boarding=True)) == {"nutrition": Decimal("500.00")}
    assert got(row(grade=4, location="town")) == {"nutrition": Decimal("500.00")}
    assert got(row(grade=4, location="urban")) == {}                         # 城区: no meal subsidy
    assert got(row(grade=4, location="rural", ownership="private")) == {}    # private schools: not in the plan


def test_each_stage_gets_its_own_programmes():
    poor = [ev("dibao")]
    assert got(row(grade=-1, school_type="kindergarten", location="urban", evidence=poor)) == {"preschool_aid": Decimal("500.00")}
    assert got(row(grade=11, school_type="senior", location="urban", evidence=poor)) == {
        "senior_grant": Decimal("1150.00"), "senior_fee_waiver": Decimal("800.00")}
    assert got(row(grade=11, school_type="vocational", location="urban", evidence=poor)) == {
        "vocational_grant": Decimal("1150.00"), "vocational_fee_waiver": Decimal("1000.00")}
    # every vocational pupil: no fee (local setting), but the grant needs hardship
    assert got(row(grade=10, school_type="vocational", location="urban")) == {"vocational_fee_waiver": Decimal("1000.00")}
    # a complete secondary school's junior pupil is a junior pupil
    assert "boarding_subsidy" in got(row(grade=7, school_type="complete_secondary", location="town", boarding=True, evidence=poor))


def test_fee_waiver_needs_a_listed_category_not_just_the_schools_recognition():
    recognised = got(row(grade=10, school_type="senior", location="urban", evidence=[ev("recognised", "学校认定")]))
    assert recognised == {"senior_grant": Decimal("1150.00")}
    assert "senior_fee_waiver" in got(row(grade=10, school_type="senior", evidence=[ev("registered_poor")]))


def test_vocational_third_years_join_the_grant_in_spring_2025():
    third_year = row(grade=12, school_type="vocational", location="urban", evidence=[ev("orphan")])
    assert "vocational_grant" not in got(third_year, TermKey.parse("2024秋季"))
    assert got(third_year, TermKey.parse("2025春季"))["vocational_grant"] == Decimal("1150.00")


def test_a_2023_term_keeps_the_old_amounts():
    boarder = row(grade=8, school_type="junior", boarding=True, evidence=[ev("tekun")])
    assert got(boarder, TermKey.parse("2023秋季"))["boarding_subsidy"] == Decimal("625.00")
    assert got(boarder, TermKey.parse("2024春季"))["boarding_subsidy"] == Decimal("750.00")
    assert got(row(grade=3), TermKey.parse("2021春季"))["nutrition"] == Decimal("400.00")


@pytest.mark.parametrize("status", ["transferred_out", "dropped_out", "suspended", "graduated", "deceased"])
def test_pupils_not_on_roll_get_nothing(status):
    assert got(row(grade=8, school_type="junior", status=status, boarding=True, evidence=[ev("dibao")])) == {}
    assert got(row(grade=8, school_type="junior", status="transferred_in", evidence=[ev("dibao")]))


def test_list_entries_count_only_while_valid():
    term = TermKey.parse("2026秋季")
    expired = ev("dibao", "民政部门低保名单", valid_to=datetime.date(2026, 6, 30))
    future = ev("dibao", "民政部门低保名单", valid_from=datetime.date(2027, 3, 1))
    current = ev("dibao", "民政部门低保名单", valid_from=datetime.date(2026, 1, 1), valid_to=datetime.date(2026, 12, 31))
    assert categories_in_term([expired, future], term) == {}
    assert list(categories_in_term([current], term)) == ["dibao"]
    assert got(row(grade=2, location="urban", evidence=[expired])) == {}


def test_the_basis_names_every_piece_of_evidence_and_the_standard():
    r = row(grade=8, school_type="junior", boarding=True, evidence=[
        ev("dibao", "民政部门低保名单", detail="证号DB001", valid_to=datetime.date(2027, 6, 30)),
        ev("disabled", "学籍登记", detail="肢体残疾")])
    e = next(x for x in entitlements([r], TABLE, AUTUMN_2026) if x.programme == "boarding_subsidy")
    assert e.categories == ("disabled", "dibao")  # strongest first
    assert "寄宿生" in e.basis and "低保（民政部门低保名单，证号DB001，有效期至2027-06-30）" in e.basis
    assert "残疾（学籍登记，肢体残疾）" in e.basis and "初中1500元/年，本学期750元（自2024春季起）" in e.basis


def test_why_not_explains():
    boarding = TABLE.get("boarding_subsidy")
    assert why_not(boarding, row(grade=11, school_type="senior"), {}, AUTUMN_2026) == "学段为高中，本项目适用于小学、初中"
    assert why_not(boarding, row(grade=8, boarding=False), {"dibao": []}, AUTUMN_2026) == "不是寄宿生"
    assert why_not(boarding, row(grade=8, boarding=True), {}, AUTUMN_2026) == "不属于本项目的家庭经济困难类别"
    assert why_not(TABLE.get("nutrition"), row(grade=3), {}, TermKey.parse("2010秋季")) == "2010秋季本项目尚未实施"


def test_meals_become_one_line_per_school_and_stage():
    rows = [row(pupil_id=i, grade=3 if i % 2 else 8, school_type="nine_year") for i in range(1, 8)]
    lines = school_lines(entitlements(rows, TABLE, AUTUMN_2026), TABLE, AUTUMN_2026)
    by_stage = {x.stage: x for x in lines}
    assert by_stage["primary"].headcount == 4 and by_stage["primary"].amount == Decimal("2000.00")
    assert by_stage["junior"].headcount == 3 and by_stage["junior"].pupil_id is None
    assert "小学在校生4人" in by_stage["primary"].basis and "合计2000元" in by_stage["primary"].basis


# ---------------------------------------------------------------------------- properties

evidences = st.lists(st.builds(
    Evidence, st.sampled_from(CATEGORY_ORDER), st.sampled_from(["学籍登记", "民政部门低保名单", "学校认定"]),
    st.just(""), st.one_of(st.none(), st.dates(datetime.date(2023, 1, 1), datetime.date(2027, 12, 31))),
    st.one_of(st.none(), st.dates(datetime.date(2023, 1, 1), datetime.date(2028, 12, 31)))), max_size=3)
rows_strategy = st.builds(
    PupilRow, st.integers(1, 10**6), st.integers(1, 10**6), st.integers(1, 50),
    st.sampled_from(["kindergarten", "primary", "junior", "nine_year", "complete_secondary", "senior", "vocational", "special",
                     "teaching_point"]),
    st.sampled_from(["urban", "town", "rural"]), st.sampled_from(["public", "private", "private_inclusive"]),
    st.integers(-2, 12), st.sampled_from(["studying", "transferred_in", "transferred_out", "dropped_out", "suspended"]),
    st.booleans(), evidences.map(tuple))
terms = st.builds(TermKey, st.integers(2019, 2027), st.sampled_from(["spring", "autumn"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(rows_strategy, max_size=6), terms)
def test_the_fast_path_agrees_with_the_rule_by_rule_reference(rows, term):
    fast = entitlements(rows, TABLE, term)
    reference = [e for r in rows for e in entitlements_for(r, TABLE, term)]
    assert sorted(fast) == sorted(reference)


@settings(max_examples=300, deadline=None)
@given(rows_strategy, terms)
def test_never_above_the_standard_never_twice_never_both_living_subsidies(r, term):
    found = entitlements([r], TABLE, term)
    programmes_ = [e.programme for e in found]
    assert len(programmes_) == len(set(programmes_))
    assert not {"boarding_subsidy", "nonboarding_subsidy"} <= set(programmes_)
    for e in found:
        p = TABLE.get(e.programme)
        assert e.stage in p.stages
        assert Decimal(0) < e.amount <= TABLE.max_term_amount(p, term, e.stage)
        assert r.status in ("studying", "transferred_in")
