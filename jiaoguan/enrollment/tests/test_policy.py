"""Priority categories from hand-made verified facts."""
import datetime

import pytest

from jiaoguan.enrollment.policy import Policy, PolicyError

WUHAN_LIKE = {
    "categories": [
        {"id": "A", "name": "户籍与房产一致", "all": ["hukou_in_zone", "property_in_zone", "property_owner in parent|grandparent",
                                                "property_share >= 1", "not property_used"]},
        {"id": "B", "name": "户籍在片区", "all": ["hukou_in_zone"]},
        {"id": "C", "name": "房产在片区（学位已使用）", "all": ["property_in_zone", "property_used"]},
        {"id": "D", "name": "随迁子女", "all": ["residence_permit", "social_insurance_months >= 12"]},
    ],
    "keys": ["hukou_since", "-points"],
}


@pytest.fixture
def policy():
    return Policy.from_data(WUHAN_LIKE)


def test_each_category(policy):
    base = {"hukou_in_zone": True, "property_in_zone": True, "property_owner": "parent", "property_share": 1.0, "property_used": False}
    assert policy.categorise(base)[:2] == (1, "A")
    assert policy.categorise(base | {"property_share": 0.5})[:2] == (2, "B")          # partial ownership: 户籍 only
    assert policy.categorise(base | {"property_owner": "other"})[:2] == (2, "B")
    assert policy.categorise({"property_in_zone": True, "property_used": True})[:2] == (3, "C")
    assert policy.categorise({"residence_permit": True, "social_insurance_months": 12})[:2] == (4, "D")
    rank, cat, reasons = policy.categorise({"residence_permit": True, "social_insurance_months": 11})
    assert (rank, cat) == (5, "") and reasons[-1] == "不符合任何类别，由教育局统筹安排"
    assert any("社保缴纳月数" in r for r in reasons)


def test_reasons_name_the_failed_conditions(policy):
    _, cat, reasons = policy.categorise({"hukou_in_zone": True, "property_in_zone": False})
    assert cat == "B"
    assert reasons[0].startswith("不符合“户籍与房产一致”：") and "房产在片区内" in reasons[0]
    assert reasons[-1] == "符合“户籍在片区”"


def test_deterministic_keys(policy):
    early = policy.sort_key({"hukou_since": datetime.date(2015, 3, 1), "points": 10})
    late = policy.sort_key({"hukou_since": datetime.date(2020, 3, 1), "points": 90})
    more_points = policy.sort_key({"hukou_since": datetime.date(2015, 3, 1), "points": 20})
    missing = policy.sort_key({})
    assert early < late and more_points < early and early < missing


def test_bad_policies_rejected():
    with pytest.raises(PolicyError, match="不是可用的核验事实"):
        Policy.from_data({"categories": [{"id": "A", "all": ["salary > 5000"]}]})
    with pytest.raises(PolicyError, match="无法识别"):
        Policy.from_data({"categories": [{"id": "A", "all": ["hukou_in_zone and x"]}]})
    with pytest.raises(PolicyError, match="重复"):
        Policy.from_data({"categories": [{"id": "A"}, {"id": "A"}]})
    with pytest.raises(PolicyError, match="类型"):
        Policy.from_data({"categories": [{"id": "A", "all": ["property_share >= lots"]}]})
