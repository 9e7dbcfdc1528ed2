"""The rules file and the date arithmetic behind eligibility, retirement and the 360-学时 cycle."""
import datetime

from jiaoguan.staffing import rules as r


def test_rules_file_names_its_sources():
    rules = r.load()
    assert rules["rotation"]["share"] == 0.10
    assert rules["rotation"]["backbone_share"] == 0.20
    assert rules["rotation"]["eligible_years"] == 6
    assert rules["training"]["cycle_hours"] == 360 and rules["training"]["cycle_years"] == 5
    assert rules["training"]["spend"]["share"] == 0.05
    assert (rules["staffing_ratio"]["senior"], rules["staffing_ratio"]["junior"], rules["staffing_ratio"]["primary"]) == (12.5, 13.5, 19.0)
    assert (rules["retirement"]["male"], rules["retirement"]["female"]) == (60, 55)
    for section in ("rotation", "staffing_ratio", "subjects", "training", "retirement"):
        assert "〔" in rules[section]["source"], section  # a document number
    assert "教督〔2017〕6号" in rules["training"]["spend"]["source"]


def test_full_years_and_the_six_year_boundary():
    start = datetime.date(2026, 9, 1)
    assert r.full_years(datetime.date(2020, 9, 1), start) == 6
    assert r.full_years(datetime.date(2020, 9, 2), start) == 5
    assert r.eligible_cutoff(start, 6) == datetime.date(2020, 9, 1)
    assert r.is_eligible(datetime.date(2020, 9, 1), start, 6)
    assert not r.is_eligible(datetime.date(2020, 9, 2), start, 6)
    assert r.is_eligible(datetime.date(2020, 9, 2), start, 5)
    assert not r.is_eligible(None, start, 6)


def test_leap_day():
    assert r.add_years(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 2, 28)
    assert r.full_years(datetime.date(2020, 2, 29), datetime.date(2026, 2, 28)) == 5
    assert r.full_years(datetime.date(2020, 2, 29), datetime.date(2026, 3, 1)) == 6


def test_required_numbers_round_up():
    rule = r.RotationRule.from_rules()
    assert rule.required(100) == 10
    assert rule.required(101) == 11
    assert rule.required(9) == 1
    assert rule.required(0) == 0
    assert rule.backbone_required(10) == 2
    assert rule.backbone_required(11) == 3
    assert r.RotationRule.from_rules(eligible_years=3).eligible_years == 3


def test_retirement_dates():
    assert r.retirement_date(datetime.date(1966, 10, 3), "男") == datetime.date(2026, 10, 3)
    assert r.retirement_date(datetime.date(1971, 10, 3), "女") == datetime.date(2026, 10, 3)


def test_training_cycle_is_pro_rata_from_the_later_of_cycle_and_work_start():
    c = r.TrainingCycle(hours=360, years=5, first_year=2024)
    assert c.start_of(2024) == 2024 and c.start_of(2028) == 2024 and c.start_of(2029) == 2029 and c.start_of(2023) == 2019
    assert c.expected(2024) == 72
    assert c.expected(2026) == 216
    assert c.expected(2028) == 360
    assert c.expected(2026, work_start_year=2026) == 72  # started this year: one year due
    assert c.expected(2026, work_start_year=2010) == 216
    assert c.expected(2029) == 72  # a new cycle


def test_age_bands():
    bands = [20, 25, 30, 35, 40, 45, 50, 55, 60]
    assert r.age_band(22, bands) == 0 and r.age_band(25, bands) == 1 and r.age_band(59, bands) == 7 and r.age_band(63, bands) == 8
    assert r.age_band(19, bands) == 0
    labels = r.band_labels(bands)
    assert labels[0] == "24岁及以下" and labels[1] == "25–29岁" and labels[-1] == "60岁及以上"


def test_school_year_of():
    assert r.school_year_of(datetime.date(2026, 9, 1)) == 2026
    assert r.school_year_of(datetime.date(2026, 8, 31)) == 2025
