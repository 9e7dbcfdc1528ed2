"""/api/staffing/stats: the JSON `jiaoguan staffing stats` prints, over the schools the caller
may see (figures.staffing_stats), with the county and eligibility options; no token → 401."""
import json

from django.test import Client

from jiaoguan.core.models import ApiToken
from jiaoguan.core.scope import scoped_school_ids
from jiaoguan.registry.models import School
from jiaoguan.staffing.figures import staffing_stats

from .test_cli import run, staff  # noqa: F401  (the fixture: rotations, training, retirements)


def api(user) -> Client:
    _, key = ApiToken.issue(user, "测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def same_json(value):
    return json.loads(json.dumps(value))


def test_the_figures_are_the_commands(world, staff):
    admin = api(world["users"]["admin"])
    assert admin.get(f"/api/staffing/stats?year={staff.code}").json() == json.loads(run("--year", "2026"))
    assert admin.get(f"/api/staffing/stats?year={staff.code}&county=430321").json() == json.loads(run("--year", "2026", "--county", "430321"))
    assert (admin.get(f"/api/staffing/stats?year={staff.code}&eligible_years=12").json()
            == json.loads(run("--year", "2026", "--eligible-years", "12")))
    assert admin.get(f"/api/staffing/stats?year={staff.code}&eligible_years=99").status_code == 422
    assert admin.get(f"/api/staffing/stats?year={staff.code}&county=999999").status_code == 404


def test_the_figures_follow_the_callers_scope(world, staff):
    users = world["users"]
    leader = api(users["leader"]).get(f"/api/staffing/stats?year={staff.code}").json()
    assert leader == same_json(staffing_stats(staff, scoped_school_ids(users["leader"])))
    assert leader == json.loads(run("--year", "2026", "--county", "430321"))   # the leader's county, not the other one
    a = world["schools"][0]
    school_a = api(users["school_a"]).get(f"/api/staffing/stats?year={staff.code}").json()
    assert school_a == same_json(staffing_stats(staff, School.objects.filter(pk=a.pk).values("pk")))
    assert school_a["age"]["teachers"] < leader["age"]["teachers"]
    # asking for a county outside the scope counts nobody rather than leaking it
    other = api(users["leader"]).get(f"/api/staffing/stats?year={staff.code}&county=430121").json()
    assert other["age"]["teachers"] == 0 and other["rotation"]["eligible"] == 0


def test_no_token_is_a_401(world):
    assert Client().get("/api/staffing/stats").status_code == 401
