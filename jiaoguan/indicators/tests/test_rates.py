"""Rates against hand-checked figures."""
import polars as pl
import pytest

from jiaoguan.indicators import rates


def test_class_size_shares_by_stage():
    classes = pl.DataFrame({"grade": [1, 1, 2, 3, 7, 8, 9, -2], "size": [45, 46, 56, 66, 50, 65, 0, 26]})
    out = rates.class_size_shares(classes)
    assert out["primary"] == {
        "classes": 4, "large": 1, "huge": 1, "over": 3, "large_or_huge": 2,
        "large_share": 0.25, "huge_share": 0.25, "large_or_huge_share": 0.5, "over_share": 0.75,
    }
    assert out["junior"]["classes"] == 2 and out["junior"]["large"] == 1 and out["junior"]["over"] == 1  # the empty class is skipped
    assert out["preschool"]["over"] == 1  # 小班 of 26 > 25


def test_school_size_limits():
    over = rates.school_size_flags([
        {"school_code": "a", "school_name": "甲", "type": "小学", "pupils": 2001},
        {"school_code": "b", "school_name": "乙", "type": "九年一贯制", "pupils": 2400},
        {"school_code": "c", "school_name": "丙", "type": "幼儿园", "pupils": 400},
    ])
    assert [(s["school_code"], s["limit"], s["excess"]) for s in over] == [("a", 2000, 1), ("c", 360, 40)]


def test_retention_and_disability_rates():
    # 初三 940, of whom 25 transferred in; 12 left by transfer; 1000 entered 初一 three years ago, 2 died
    assert rates.junior_retention(graduating=940, entrants=1000, transferred_in=25, transferred_out=12, deaths=2) == pytest.approx(927 / 998)
    assert rates.junior_retention(graduating=940, entrants=None) is None
    assert rates.nine_year_retention(graduating=950, grade1_entrants=1000) == 0.95
    assert rates.disabled_enrolment_rate(enrolled=96, population=100) == 0.96
    assert rates.disabled_enrolment_rate(enrolled=96, population=None) is None


def test_preschool_indicators():
    out = {i["id"]: i for i in rates.preschool(children=9000, public_children=4000, inclusive_private_children=3300,
                                               population_3_5=10000, teachers=560, classes_total=300, classes_ok=270)}
    assert out["gross_enrolment_rate"]["value"] == 0.9 and out["gross_enrolment_rate"]["met"] is True
    assert out["inclusive_coverage"]["value"] == pytest.approx(7300 / 9000) and out["inclusive_coverage"]["met"] is True
    assert out["public_share"]["value"] == pytest.approx(4000 / 9000) and out["public_share"]["met"] is False
    assert out["children_per_teacher"]["value"] == pytest.approx(9000 / 560) and out["children_per_teacher"]["met"] is False
    assert out["class_size_compliance"]["value"] == 0.9 and out["class_size_compliance"]["met"] is True
    missing = {i["id"]: i for i in rates.preschool(children=9000, public_children=4000, inclusive_private_children=0,
                                                   population_3_5=None, teachers=0, classes_total=0, classes_ok=0)}
    assert missing["gross_enrolment_rate"]["value"] is None and missing["gross_enrolment_rate"]["met"] is None
