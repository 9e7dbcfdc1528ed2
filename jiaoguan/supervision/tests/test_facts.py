"""The registry's facts table and the stored runs agree with `jiaoguan evaluate` on the same data."""
import io
import json
import math

import pytest
from django.core.management import call_command

from jiaoguan.core.models import OrgUnit, SchoolYear
from jiaoguan.registry import models as m
from jiaoguan.supervision.actions import run_evaluation
from jiaoguan.supervision.facts import build_facts


def same(a, b) -> bool:
    """Equal structures, floats equal to 12 significant digits (summation order may differ)."""
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


@pytest.fixture
def demo(db):
    call_command("demo", "--seed", "5", "--scale", "0.05", "--quiet", "--registry-only", stdout=io.StringIO())
    return OrgUnit.objects.get(code="430321"), SchoolYear.current()


def test_counts_come_from_records(demo):
    county, year = demo
    frame = build_facts(county, year)
    row = frame.row(0, named=True)
    school = m.School.objects.get(code=row["school_code"])
    on_roll = m.Enrolment.objects.filter(school=school, year=year, status__in=m.ON_ROLL)
    assert row["students_primary"] == on_roll.filter(grade__gte=1, grade__lte=6).count()
    assert row["students_junior"] == on_roll.filter(grade__gte=7, grade__lte=9).count()
    section = "primary" if row["students_primary"] else "junior"
    postings = m.Posting.objects.filter(school=school, year=year, section=section, role="专任教师", staffing__in=["established", "contract"])
    assert row[f"teachers_{section}"] == postings.count()
    assert row[f"pe_art_{section}"] == postings.filter(subject__in=["pe", "music", "art"]).count()
    assert set(frame["school_type"]) <= {"小学", "初中", "九年一贯制", "完全中学", "十二年一贯制", "教学点"}


def test_cli_on_exported_facts_equals_stored_run(demo, tmp_path, capsys):
    county, year = demo
    runs = {r.standard: r for r in run_evaluation(county, year)}
    path = tmp_path / "facts.xlsx"
    call_command("facts", str(path), "--county", "430321", stdout=io.StringIO())
    for standard in ("basic-2012", "quality-2017"):
        capsys.readouterr()
        call_command("evaluate", str(path), "--standard", standard, "--format", "json")
        cli = json.loads(capsys.readouterr().out)
        stored = runs[standard].result
        assert [s["school_code"] for s in cli["schools"]] == [s["school_code"] for s in stored["schools"]]
        assert same(cli, stored)
