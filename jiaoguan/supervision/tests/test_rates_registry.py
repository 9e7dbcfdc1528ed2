"""County rates computed from hand-made registry records."""
import datetime

import pytest

from jiaoguan.core.models import SchoolYear
from jiaoguan.registry import models as m
from jiaoguan.supervision.rates import county_rates
from tests.factories import build_world, make_id


def enrol(pupil, year, school, grade, status=m.EnrolmentStatus.STUDYING):
    return m.Enrolment.objects.create(pupil=pupil, year=year, school=school, grade=grade, status=status)


@pytest.mark.django_db
def test_junior_retention_follows_the_cohort():
    world = build_world()
    y2025, y2026 = world["years"]
    y2024 = SchoolYear.objects.create(code="2024-2025", start=datetime.date(2024, 9, 1), end=datetime.date(2025, 8, 31))
    a, b, outside = world["schools"]
    pupils = [m.Pupil.objects.create(student_no="G" + make_id("430321", datetime.date(2012, 1, 1 + i), 1),
                                     name=f"生{i}", sex="男", birth_date=datetime.date(2012, 1, 1 + i)) for i in range(7)]
    for p in pupils[:5]:
        enrol(p, y2024, a, 7)
    for p in pupils[:3]:                      # three stay to 初三 (one moves within the county)
        enrol(p, y2025, a, 8)
    enrol(pupils[2], y2026, b, 9, m.EnrolmentStatus.TRANSFERRED_IN)
    enrol(pupils[0], y2026, a, 9)
    enrol(pupils[1], y2026, a, 9)
    enrol(pupils[3], y2025, a, 8, m.EnrolmentStatus.TRANSFERRED_OUT)   # left the county
    enrol(pupils[4], y2025, a, 8, m.EnrolmentStatus.DROPPED_OUT)       # dropped out
    enrol(pupils[5], y2026, a, 9, m.EnrolmentStatus.TRANSFERRED_IN)    # joined from outside
    enrol(pupils[6], y2026, outside, 9)                                # another county
    r = county_rates(world["county"], y2026)["junior_retention"]
    assert (r["entrants"], r["graduating"], r["joined"], r["transferred_out"], r["deaths"]) == (5, 4, 1, 1, 0)
    assert r["rate"] == pytest.approx((4 - 1 + 1) / 5)


@pytest.mark.django_db
def test_no_history_means_no_rate():
    world = build_world()
    rates = county_rates(world["county"], world["years"][0])
    assert rates["junior_retention"] is None and rates["nine_year_retention"] is None
    assert rates["disabled"]["rate"] is None  # no population figure entered
