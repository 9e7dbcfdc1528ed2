"""The demo county's workforce data: rotations near the required shares every year, the current
year's plan, training for every year, postings that agree with the moves."""
import io

import pytest
from django.core.management import call_command

from jiaoguan.core.models import SchoolYear
from jiaoguan.registry.models import Posting
from jiaoguan.staffing import rotation_stats, training_stats
from jiaoguan.staffing.models import Attendance, Rotation, RotationPlan


@pytest.fixture
def demo(db):
    call_command("demo", "--seed", "2", "--scale", "0.3", "--quiet", stdout=io.StringIO())


def test_demo_rotations_and_training(demo):
    years = list(SchoolYear.objects.order_by("start"))
    assert len(years) == 3
    for year in years:
        f = rotation_stats.rotation_figures(year)
        assert f["eligible"] > 100
        assert 0.06 <= f["share"] <= 0.16, (year, f)
        assert 0.10 <= f["backbone_share"] <= 0.30, (year, f)
        assert Attendance.objects.filter(year=year).exists()
        s = training_stats.training_summary(year)
        assert 0.03 <= s["behind_360_hours"] / s["teachers"] <= 0.3, (year, s)
        assert {l["level"] for l in s["by_level"]} == {"national", "province", "city", "county", "school"}
    plan = RotationPlan.objects.get(year=years[-1])
    assert plan.lines.count() >= plan.required
    assert Rotation.objects.filter(year=years[-1], plan_line__isnull=False).exists()
    # every move shows in the postings: the year's posting is at the receiving school from the start date
    for r in Rotation.objects.select_related("year")[:200]:
        p = Posting.objects.get(teacher=r.teacher, year=r.year, section=r.section)
        assert (p.school_id, p.at_school_since) == (r.to_school_id, r.start)
    assert training_stats.spending_summary(training_stats.school_spending(years[-1]))["under"] > 0
