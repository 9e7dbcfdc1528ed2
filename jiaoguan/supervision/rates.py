"""The registry's counts behind the county's rates (class sizes, school sizes, retention,
preschool), handed to the pure functions in indicators/rates.py."""
from __future__ import annotations

import polars as pl
from django.db.models import Count, Q

from jiaoguan.core.models import SchoolYear
from jiaoguan.indicators import rates
from jiaoguan.indicators.grades import class_size_flag
from jiaoguan.registry import models as m

SIZE_TYPES = {m.SchoolType.PRIMARY: "小学", m.SchoolType.JUNIOR: "初中", m.SchoolType.NINE_YEAR: "九年一贯制",
              m.SchoolType.TWELVE_YEAR: "十二年一贯制", m.SchoolType.KINDERGARTEN: "幼儿园"}


def _year_back(year, n: int):
    return SchoolYear.objects.filter(start__year=year.start.year - n).first()


def county_rates(county, year, figures: dict | None = None) -> dict:
    """figures: population inputs entered per year (3–5岁人口, 6–15岁残疾儿童少年数), or None."""
    figures = figures or {}
    schools = m.School.objects.filter(org_unit__path__startswith=county.path, is_active=True)
    enrol = m.Enrolment.objects.filter(school__in=schools)
    on_roll = enrol.filter(year=year, status__in=m.ON_ROLL)

    sized = m.class_sizes(m.SchoolClass.objects.filter(school__in=schools, year=year)).values_list("grade", "size")
    classes = pl.DataFrame(list(sized), schema={"grade": pl.Int64, "size": pl.Int64}, orient="row")
    class_size = rates.class_size_shares(classes)

    sizes = []
    for s in schools.filter(type__in=list(SIZE_TYPES)).annotate(
        compulsory=Count("enrolments", filter=Q(enrolments__year=year, enrolments__status__in=m.ON_ROLL, enrolments__grade__gte=1, enrolments__grade__lte=9)),
        children=Count("enrolments", filter=Q(enrolments__year=year, enrolments__status__in=m.ON_ROLL, enrolments__grade__lte=0)),
    ):
        sizes.append({"school_code": s.code, "school_name": s.name, "type": SIZE_TYPES[s.type],
                      "pupils": s.children if s.type == m.SchoolType.KINDERGARTEN else s.compulsory})
    oversized = rates.school_size_flags(sizes)

    two_back = _year_back(year, 2)
    retention = None
    if two_back:
        # the cohort that entered 初一 two years before: who is still here in 初三, who left by a
        # normal transfer out of the county, who died; pupils who joined the cohort are not counted
        cohort_years = SchoolYear.objects.filter(start__gte=two_back.start, start__lte=year.start)
        entrants = set(enrol.filter(year=two_back, grade=7).values_list("pupil_id", flat=True))
        graduating = set(on_roll.filter(grade=9).values_list("pupil_id", flat=True))
        in_county_now = set(enrol.filter(year=year).values_list("pupil_id", flat=True))
        moved_out = set(enrol.filter(year__in=cohort_years, pupil_id__in=entrants, status=m.EnrolmentStatus.TRANSFERRED_OUT)
                        .values_list("pupil_id", flat=True)) - in_county_now
        died = set(enrol.filter(year__in=cohort_years, pupil_id__in=entrants, status=m.EnrolmentStatus.DECEASED).values_list("pupil_id", flat=True))
        retention = {
            "entrants": len(entrants), "graduating": len(graduating), "joined": len(graduating - entrants),
            "transferred_out": len(moved_out), "deaths": len(died),
        }
        retention["rate"] = rates.junior_retention(
            graduating=len(graduating), entrants=len(entrants), transferred_in=retention["joined"],
            transferred_out=len(moved_out), deaths=len(died))
    eight_back = _year_back(year, 8)
    nine_year = None
    if eight_back:
        nine_year = rates.nine_year_retention(graduating=on_roll.filter(grade=9).count(),
                                              grade1_entrants=enrol.filter(year=eight_back, grade=1).count())

    born_from, born_to = year.start.year - 15, year.start.year - 6
    disabled_enrolled = on_roll.exclude(disability="").filter(pupil__birth_date__year__gte=born_from, pupil__birth_date__year__lte=born_to).count()

    kg = on_roll.filter(grade__lte=0)
    by_owner = dict(kg.values_list("school__ownership").annotate(n=Count("pk")).values_list("school__ownership", "n"))
    kg_classes = list(m.class_sizes(m.SchoolClass.objects.filter(school__in=schools, year=year, grade__lte=0)).values_list("grade", "size"))
    kg_classes = [(g, n) for g, n in kg_classes if n > 0]
    preschool = rates.preschool(
        children=sum(by_owner.values()), public_children=by_owner.get(m.Ownership.PUBLIC, 0),
        inclusive_private_children=by_owner.get(m.Ownership.PRIVATE_INCLUSIVE, 0),
        population_3_5=figures.get("population_3_5"),
        teachers=m.Posting.objects.filter(school__in=schools, year=year, section=m.Section.PRESCHOOL, role="专任教师").count(),
        classes_total=len(kg_classes), classes_ok=sum(1 for g, n in kg_classes if class_size_flag(n, g) == ""),
    )
    return {
        "class_size": class_size, "oversized_schools": oversized, "junior_retention": retention, "nine_year_retention": nine_year,
        "disabled": {"enrolled": disabled_enrolled, "population": figures.get("disabled_6_15"),
                     "rate": rates.disabled_enrolment_rate(enrolled=disabled_enrolled, population=figures.get("disabled_6_15"))},
        "preschool": preschool,
    }
