"""/api/supervision/: the stored runs in scope, a run in the JSON shape of `jiaoguan evaluate`
(the same figures the command gives for the run's facts table), other schools left out for a
user who sees only some, and no token → 401."""
import datetime
import io
import json

import polars as pl
import pytest
from django.core.management import call_command
from django.test import Client

from jiaoguan.core.models import ApiToken, OrgUnit, Role, Section, User
from jiaoguan.registry import models as m
from jiaoguan.supervision.actions import run_evaluation
from jiaoguan.supervision.export import write_facts_table
from tests.factories import PASSWORD, add_pupil, build_world, make_id


def api(user) -> Client:
    _, key = ApiToken.issue(user, "测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def county_runs(db):
    """Two primaries of 40 pupils in 湘潭县; A has a tenth of B's teaching space a pupil, so the
    2017 standard fails that indicator and its plan raises A."""
    world = build_world()
    a, b, _ = world["schools"]
    year = world["years"][1]
    for i in range(40):
        add_pupil(a, year, seq=i + 1)
        add_pupil(b, year, seq=i + 101)
    m.SchoolFacts.objects.create(school=a, year=year, teaching_area=40, sports_area=800, equipment_value=250000,
                                 computers=12, books=3000, multimedia_rooms=3)
    m.SchoolFacts.objects.create(school=b, year=year, teaching_area=400, sports_area=900, equipment_value=260000,
                                 computers=12, books=3000, multimedia_rooms=3)
    for n, school in enumerate([a, b, b]):
        idn = make_id("430321", datetime.date(1985, 1, 1), n + 1)
        t = m.Teacher.objects.create(id_number=idn, name=f"教师{n}", sex="女", birth_date=datetime.date(1985, 1, 1))
        m.Posting.objects.create(teacher=t, year=year, school=school, section="primary", subject=m.Subject.CHINESE,
                                 education=m.Education.BACHELOR)
    world["runs"] = {r.standard: r for r in run_evaluation(world["county"], year, user=world["users"]["jiaoji"])}
    return world


def evaluate_cli(run, tmp_path) -> dict:
    path = tmp_path / f"{run.standard}.xlsx"
    write_facts_table(str(path), pl.DataFrame(run.facts, infer_schema_length=None))
    out = io.StringIO()
    call_command("evaluate", str(path), "--standard", run.standard, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_runs_in_scope_and_a_run_as_the_evaluate_command_gives_it(county_runs, tmp_path):
    runs = county_runs["runs"]
    client = api(county_runs["users"]["leader"])
    body = client.get("/api/supervision/runs").json()
    assert body["count"] == 2
    by_standard = {r["standard"]: r for r in body["items"]}
    assert set(by_standard) == {"basic-2012", "quality-2017"}
    for standard, run in runs.items():
        item = by_standard[standard]
        assert (item["id"], item["county_code"], item["county_name"], item["year"]) == (run.pk, "430321", "湘潭县", "2026-2027")
        assert item["passed"] == run.passed
    assert client.get("/api/supervision/runs?standard=quality-2017").json()["count"] == 1
    assert client.get("/api/supervision/runs?county=430121").json()["count"] == 0

    for standard, run in runs.items():
        detail = client.get(f"/api/supervision/runs/{run.pk}").json()
        assert detail == run.result
        assert detail == evaluate_cli(run, tmp_path)
    quality = client.get(f"/api/supervision/runs/{runs['quality-2017'].pk}").json()
    item = next(i for i in quality["counties"][0]["stages"][0]["indicators"] if i["id"] == "teaching_area_per_pupil")
    assert item["passed"] is False and item["plan"][0]["school_code"] == "4303210001"


def test_partial_scope_sees_county_figures_and_only_its_schools(county_runs):
    run = county_runs["runs"]["quality-2017"]
    users = county_runs["users"]
    for username, own, other in (("inspector", "4303210002", "4303210001"), ("school_a", "4303210001", "4303210002")):
        client = api(users[username])
        assert client.get("/api/supervision/runs").json()["count"] == 2, username
        body = client.get(f"/api/supervision/runs/{run.pk}").json()
        assert body["counties"][0]["stages"][0]["pupils"] == 80   # the county's figures stay whole
        assert {s["school_code"] for s in body["schools"]} == {own}, username
        plan = [step["school_code"] for c in body["counties"] for st in c["stages"] for i in st["indicators"] for step in i.get("plan") or []]
        assert plan and other not in plan, username
    # the stored run is untouched by what a partial view leaves out
    run.refresh_from_db()
    assert {s["school_code"] for s in run.result["schools"]} == {"4303210001", "4303210002"}


def test_another_county_is_a_404_and_no_token_a_401(county_runs):
    run = county_runs["runs"]["basic-2012"]
    other = User.objects.create_user("jiaoji_cs", password=PASSWORD, role=Role.STAFF, section=Section.SUPERVISION,
                                     org_unit=OrgUnit.objects.get(code="430121"))
    client = api(other)
    assert client.get("/api/supervision/runs").json()["count"] == 0
    assert client.get(f"/api/supervision/runs/{run.pk}").status_code == 404
    assert api(county_runs["users"]["leader"]).get("/api/supervision/runs/999999").status_code == 404
    assert Client().get("/api/supervision/runs").status_code == 401
    assert Client().get(f"/api/supervision/runs/{run.pk}").status_code == 401
