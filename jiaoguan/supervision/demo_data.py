"""Demo: a stored supervision run for every county and school year, and the figures a county
enters from other departments (population, disabled children, the satisfaction survey)."""
from __future__ import annotations

import random

from django.db.models import Count, Q

from jiaoguan.core.models import OrgUnit, SchoolYear
from jiaoguan.registry import models as m

from .actions import run_evaluation
from .models import CountyYearFigures


def populate(seed: int, log) -> None:
    rnd = random.Random(seed * 7919 + 3)
    for county in OrgUnit.objects.filter(level=OrgUnit.Level.COUNTY):
        for year in SchoolYear.objects.order_by("start"):
            if not m.Enrolment.objects.filter(year=year, school__org_unit__path__startswith=county.path).exists():
                continue
            log(f"督导测算 {county.name} {year}…")
            run_evaluation(county, year)
            counts = m.Enrolment.objects.filter(year=year, status__in=m.ON_ROLL, school__org_unit__path__startswith=county.path).aggregate(
                kids=Count("pk", filter=Q(grade__lte=0)), disabled=Count("pk", filter=~Q(disability="") & Q(grade__gte=1, grade__lte=9)))
            CountyYearFigures.objects.update_or_create(county=county, year=year, defaults={
                "population_3_5": int(counts["kids"] / rnd.uniform(0.86, 0.93)),
                "disabled_6_15": int(counts["disabled"] / rnd.uniform(0.93, 0.98)) + 1,
                "satisfaction": round(rnd.uniform(88.0, 96.0), 2),
                "survey_note": "县政府委托第三方网络问卷，回收有效问卷约3,000份（演示数据）",
            })
