"""`jiaoguan staffing stats`: the JSON keys other tools read, the table, bad arguments."""
import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from jiaoguan.registry import models as m
from jiaoguan.staffing import actions

from .conftest import add_teacher
from .test_training import attend

D = datetime.date


def run(*args) -> str:
    out = io.StringIO()
    call_command("staffing", "stats", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def staff(world):
    a, b, c = world["schools"]
    y = world["years"][1]
    movers = [add_teacher(a, y, since=D(2016, 9, 1), backbone="county" if i < 1 else "") for i in range(4)]
    for i in range(16):
        add_teacher(a, y, since=D(2015, 9, 1), birth=D(2000, 1, 1))
    add_teacher(c, y, since=D(2010, 9, 1), birth=D(1966, 12, 1))  # other county: retires within five years
    for t in movers[:2]:
        actions.record_rotation(world["users"]["admin"], teacher=t, year=y, kind="exchange", to_school=b, start=D(2026, 9, 1))
    attend(movers[2], a, y, 216)
    m.SchoolFacts.objects.create(school=a, year=y, public_funds_budget=100000, training_spend=4000)
    m.SchoolFacts.objects.create(school=c, year=y, public_funds_budget=100000, training_spend=5000)
    return y


def test_json(staff):
    data = json.loads(run("--year", "2026", "--format", "json"))
    assert data["year"] == 2026 and data["school_year"] == "2026-2027"
    rot = data["rotation"]
    assert {"eligible", "rotated", "share", "backbone_rotated", "backbone_share"} <= set(rot)
    assert (rot["eligible"], rot["rotated"], rot["share"], rot["backbone_rotated"], rot["backbone_share"]) == (21, 2, 2 / 21, 1, 0.5)
    assert rot["meets"] is False and rot["backbone_meets"] is True and rot["required"] == 3
    tr = data["training"]
    assert {"teachers", "behind_360_hours", "schools_under_5_percent"} <= set(tr)
    assert (tr["teachers"], tr["behind_360_hours"], tr["schools_under_5_percent"], tr["schools_with_budget"]) == (21, 20, 1, 2)
    age = data["age"]
    assert age["teachers"] == 21 and age["retiring"] == 1 and age["under_30"] == 16
    assert "pyramid" not in age and len(age["bands"]) == 9


def test_county_option_and_table(staff):
    data = json.loads(run("--year", "2026", "--county", "430321"))
    assert (data["rotation"]["eligible"], data["training"]["teachers"], data["age"]["retiring"]) == (20, 20, 0)
    table = run("--year", "2026", "--format", "table", "--county", "430321")
    assert "2026-2027学年教师队伍统计" in table
    assert "交流比例（要求 ≥ 10.00%）" in table and "10.00%  达到" in table
    assert "培训经费低于公用经费5%的学校" in table and "1 所（共 1 所）" in table
    assert json.loads(run("--year", "2026", "--county", "430321", "--eligible-years", "11"))["rotation"]["eligible"] == 16


def test_bad_arguments(world):
    with pytest.raises(CommandError, match="没有2030年开始的学年（已有：2025、2026）"):
        run("--year", "2030")
    with pytest.raises(CommandError, match="区划代码 999999 不存在"):
        run("--year", "2026", "--county", "999999")
