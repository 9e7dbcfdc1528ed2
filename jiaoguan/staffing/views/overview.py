"""The workforce at a glance (/staffing/) and its structure in detail (/staffing/structure/)."""
from __future__ import annotations

from django.shortcuts import render

from jiaoguan.core.scope import scoped_school_ids
from jiaoguan.registry.models import Location, Section

from .. import rotation_stats, structure, training_stats
from ..rules import RotationRule, TrainingCycle
from .common import base_context, rotation_rule, selected_year

LOCATIONS = [("all", "全部")] + list(Location.choices)


def _pyramid_chart(age: dict) -> dict:
    present = [s for s, _ in Section.choices if s in age["pyramid"]]
    labels = dict(Section.choices)
    return {"bands": age["bands"], "pyramid": age["pyramid"],
            "sections": [["all", "全部学段"]] + [[s, labels[s]] for s in present],
            "locations": [[k, v] for k, v in LOCATIONS]}


def home(request):
    year = selected_year(request)
    context = base_context(request, year)
    if year is None:
        return render(request, "staffing/home.html", context)
    schools = scoped_school_ids(request.user)
    rule = rotation_rule(request)
    rotation = rotation_stats.rotation_figures(year, schools, rule)
    training = training_stats.training_summary(year, schools)
    spending = training_stats.school_spending(year, schools)
    units = structure.school_sections(year, schools)
    gaps = structure.subject_gaps(units)
    age = structure.age_structure(year, schools)
    by_school = rotation_stats.rotation_by_school(year, schools, rule)
    context.update(
        rule=rule, rotation=rotation, training=training, spend=training_stats.spending_summary(spending),
        spend_rows=[r for r in spending if r["under"]][:10], ratio=structure.ratio_summary(units),
        gaps=gaps[:8], gap_total=len(gaps), gap_counts=structure.subject_gap_counts(gaps), age=age,
        pyramid=_pyramid_chart(age), by_school=[r for r in by_school if r["eligible"]][:10],
        cycle=TrainingCycle.from_rules(),
    )
    return render(request, "staffing/home.html", context)


def structure_page(request):
    year = selected_year(request)
    context = base_context(request, year)
    if year is None:
        return render(request, "staffing/structure.html", context)
    schools = scoped_school_ids(request.user)
    units = structure.school_sections(year, schools)
    gaps = structure.subject_gaps(units)
    age = structure.age_structure(year, schools)
    ratio_rows = [u for u in structure.ratio_rows(units)]
    context.update(
        ratio=structure.ratio_summary(units), ratio_short=[u for u in ratio_rows if u.gap < 0],
        ratio_count=len(ratio_rows), gaps=gaps, gap_counts=structure.subject_gap_counts(gaps), age=age,
        pyramid=_pyramid_chart(age), mix=structure.mix(year, schools),
        retirements=structure.retirements(year, schools), rule=RotationRule.from_rules(),
        age_by_location=[(dict(Location.choices).get(k, k), v) for k, v in age["mean_age_by_location"].items()],
    )
    return render(request, "staffing/structure.html", context)
