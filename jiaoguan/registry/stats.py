"""Counts derived from the records (never typed twice): pupils by stage, class sizes, teachers."""
from __future__ import annotations

from django.db.models import Count, Q

from jiaoguan.indicators.grades import Stage, stage_of
from jiaoguan.indicators.standards import load

from . import models as m


def stage_filter(stage: str) -> Q:
    bounds = {Stage.PRESCHOOL: (-2, 0), Stage.PRIMARY: (1, 6), Stage.JUNIOR: (7, 9), Stage.SENIOR: (10, 12)}[stage]
    return Q(grade__gte=bounds[0], grade__lte=bounds[1])


def pupils_by_stage(enrolments) -> dict[str, int]:
    """{stage: pupils on roll} for an Enrolment queryset, in one query."""
    on_roll = enrolments.filter(status__in=m.ON_ROLL)
    agg = on_roll.aggregate(**{s: Count("pk", filter=stage_filter(s)) for s in Stage.LABELS})
    return agg


def class_size_counts(classes) -> dict:
    """Classes by size band in one query: total, 大班额 (56–65), 超大班额 (≥66), over standard."""
    cs = load("class-size")
    sized = m.class_sizes(classes).filter(size__gt=0)
    large, huge = cs["large_class"]["min"], cs["huge_class"]["min"]
    std = cs["standard"]
    over = (
        Q(grade__lte=0, size__gt=std["preschool_large"]) |  # coarse for kindergartens; flags per class use the exact band
        Q(grade__gte=1, grade__lte=6, size__gt=std["primary"]) |
        Q(grade__gte=7, grade__lte=9, size__gt=std["junior"]) |
        Q(grade__gte=10, size__gt=std["senior"])
    )
    agg = sized.aggregate(
        total=Count("pk"),
        large=Count("pk", filter=Q(size__gte=large, size__lt=huge)),
        huge=Count("pk", filter=Q(size__gte=huge)),
        over=Count("pk", filter=over),
    )
    agg["large_or_huge"] = agg["large"] + agg["huge"]
    agg["large_share"] = agg["large_or_huge"] / agg["total"] if agg["total"] else None
    return agg


def overview(user, year) -> dict:
    schools = m.School.objects.restrict(user).filter(is_active=True)
    enrolments = m.Enrolment.objects.restrict(user).filter(year=year)
    postings = m.Posting.objects.restrict(user).filter(year=year)
    by_type = dict(schools.values_list("type").annotate(n=Count("pk")).values_list("type", "n"))
    classes = m.SchoolClass.objects.restrict(user).filter(year=year)
    pupils = pupils_by_stage(enrolments)
    teachers = dict(postings.values_list("section").annotate(n=Count("teacher", distinct=True)).values_list("section", "n"))
    flags = enrolments.filter(status__in=m.ON_ROLL).aggregate(
        left_behind=Count("pk", filter=Q(left_behind=True)), migrant=Count("pk", filter=Q(migrant=True)),
        disabled=Count("pk", filter=~Q(disability="")), boarding=Count("pk", filter=Q(boarding=True)),
    )
    return {
        "schools": sum(by_type.values()),
        "schools_by_type": [(label, by_type.get(value, 0)) for value, label in m.SchoolType.choices if by_type.get(value)],
        "pupils": pupils,
        "pupils_total": sum(pupils.values()),
        "pupil_stages": [(Stage.LABELS[s], pupils[s]) for s in Stage.LABELS],
        "teachers_total": postings.values("teacher").distinct().count(),
        "teachers_by_section": [(label, teachers.get(value, 0)) for value, label in m.Section.choices if teachers.get(value)],
        "classes": class_size_counts(classes),
        "flags": flags,
    }


__all__ = ["overview", "pupils_by_stage", "class_size_counts", "stage_of"]
