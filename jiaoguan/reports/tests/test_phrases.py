"""Year-on-year phrases: sign, rounding, percentages, no data."""
from jiaoguan.reports.base import Figure, Figures, fmt, yoy


def test_increase_decrease_and_flat():
    assert yoy(122145, 118588, "人") == "比去年（118,588人）增加3,557人，增长3.0%"
    assert yoy(118588, 122145, "人") == "比去年（122,145人）减少3,557人，下降2.9%"
    assert yoy(100, 100, "所") == "与去年（100所）持平"
    assert yoy(5, None, "人") == "" and yoy(None, 5) == ""
    assert yoy(3, 0, "个") == "比去年（0个）增加3个"  # no percentage from zero


def test_rounding_and_money():
    assert yoy(820300.0, 800000.0, "万元", 2) == "比去年（80.00万元）增加2.03万元，增长2.5%"
    assert yoy(1.004, 1.0, "", 2) == "与去年（1.00）持平"          # a change below the shown precision is no change
    assert fmt(0.07924, "%", 2) == "7.92%" and fmt(None) == "（无数据）"


def test_percentage_points():
    assert yoy(0.0792, 0.1081, "%", 2) == "比去年（10.81%）下降2.89个百分点"
    assert yoy(0.5, 0.5, "%", 2) == "与去年（50.00%）持平"


def test_render_keeps_unknown_placeholders():
    f = Figures(pupils=Figure("pupils", "在校学生", 1234, "人"))
    text, unknown = f.render("在校学生{pupils}，教师{teachers}。")
    assert text == "在校学生1,234人，教师{teachers}。" and unknown == ["teachers"]
