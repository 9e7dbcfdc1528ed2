"""Address → zone lookups, 多校划片 and unmatched addresses."""
from jiaoguan.enrollment.zones import Unit, lookup, normalise

UNITS = [
    Unit("Z1", "compound", "金霞小区"),
    Unit("Z2", "compound", "金霞小区二期"),
    Unit("Z1", "road", "天易大道", 1, 199, "odd"),
    Unit("Z3", "road", "天易大道", 2, 200, "even"),
    Unit("Z3", "road", "天易大道", 201, 400),
    Unit("ZM", "compound", "滨江新城"),   # a 多校划片 zone served by several schools
    Unit("ZN", "compound", "滨江新城"),
]


def test_compound_longest_name_wins():
    assert lookup("湘潭县易俗河镇金霞小区5栋302", UNITS).zones == ["Z1"]
    assert lookup("湘潭县易俗河镇金霞小区二期5栋", UNITS).zones == ["Z2"]


def test_road_number_ranges_and_sides():
    assert lookup("天易大道１３号", UNITS).zones == ["Z1"]       # odd side; full-width digits
    assert lookup("天易大道14号", UNITS).zones == ["Z3"]         # even side
    assert lookup("天易大道 250 号", UNITS).zones == ["Z3"]
    m = lookup("天易大道999号", UNITS)
    assert m.zones == [] and "999号不在任何片区的号段内" in m.reason
    assert lookup("天易大道旁", UNITS).reason == "地址有道路名但没有门牌号，需人工核对"


def test_multi_school_zone_and_unmatched():
    assert lookup("滨江新城A区", UNITS).zones == ["ZM", "ZN"]
    m = lookup("花石镇龙口村3组", UNITS)
    assert m.zones == [] and m.reason == "地址未匹配到任何片区，需人工核对"
    assert normalise(" 湘潭县　易俗河镇 ") == "湘潭县易俗河镇"
