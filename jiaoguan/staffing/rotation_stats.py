"""Rotation figures for a school year and a set of schools, counted in the database.

`schools` is a queryset of school ids (a user's scope, a county) or None for every school.
Shares count the sending side: a school's (or township's) share is its eligible teachers who
left in the year. A teacher is eligible with `eligible_years` or more full years at the same
school on 1 September (the posting's 到本校时间); a teacher who has moved that year is counted
as eligible by the 到本校时间 the move recorded (the posting now shows the new school).
"""
from __future__ import annotations

from django.db.models import Count, Q

from jiaoguan.registry.models import Posting, School

from .models import Rotation, RotationKind
from .rules import RotationRule, eligible_cutoff, share


def counted_postings(year, schools, rule: RotationRule):
    qs = Posting.objects.filter(year=year, section__in=rule.sections, staffing__in=rule.staffing,
                                school__ownership__in=rule.ownership)
    return qs if schools is None else qs.filter(school__in=schools)


def year_rotations(year, schools, rule: RotationRule | None = None):
    """Moves of the year out of the given schools (in the counted sections)."""
    qs = Rotation.objects.filter(year=year)
    if rule is not None:
        qs = qs.filter(section__in=rule.sections, from_school__ownership__in=rule.ownership)
    return qs if schools is None else qs.filter(from_school__in=schools)


def eligible_postings(year, schools, rule: RotationRule):
    """Postings of teachers eligible to move who have not moved this year."""
    moved = Rotation.objects.filter(year=year).values("teacher")
    return (counted_postings(year, schools, rule)
            .filter(at_school_since__lte=eligible_cutoff(year.start, rule.eligible_years))
            .exclude(teacher__in=moved))


def rotation_figures(year, schools=None, rule: RotationRule | None = None) -> dict:
    rule = rule or RotationRule.from_rules()
    staying = eligible_postings(year, schools, rule).aggregate(n=Count("teacher", distinct=True))["n"]
    moves = year_rotations(year, schools, rule)
    was_eligible = Q(from_since__lte=eligible_cutoff(year.start, rule.eligible_years))
    agg = moves.aggregate(
        rotated=Count("pk"),
        rotated_eligible=Count("pk", filter=was_eligible),
        backbone_rotated=Count("pk", filter=Q(backbone__in=rule.backbone_levels)),
        **{f"kind_{k}": Count("pk", filter=Q(kind=k)) for k in RotationKind.values},
    )
    counted = counted_postings(year, schools, rule)
    unknown = counted.filter(at_school_since__isnull=True).aggregate(n=Count("teacher", distinct=True))["n"]
    eligible = staying + agg["rotated_eligible"]
    rotated, backbone = agg["rotated"], agg["backbone_rotated"]
    required = rule.required(eligible)
    result = {
        "eligible": eligible,
        "rotated": rotated,
        "rotated_eligible": agg["rotated_eligible"],
        "share": share(rotated, eligible),
        "backbone_rotated": backbone,
        "backbone_share": share(backbone, rotated),
        "required": required,
        "backbone_required": rule.backbone_required(max(rotated, required)),
        "required_share": rule.share,
        "required_backbone_share": rule.backbone_share,
        "eligible_years": rule.eligible_years,
        "teachers": counted.aggregate(n=Count("teacher", distinct=True))["n"],
        "since_unknown": unknown,
        "by_kind": {k: agg[f"kind_{k}"] for k in RotationKind.values},
    }
    result["meets"] = eligible > 0 and rotated >= required
    result["backbone_meets"] = rotated > 0 and backbone >= rule.backbone_required(rotated)
    return result


def rotation_by_school(year, schools=None, rule: RotationRule | None = None) -> list[dict]:
    """Per sending school: eligible, rotated, 骨干 rotated; schools with eligible teachers or moves."""
    rule = rule or RotationRule.from_rules()
    staying = dict(eligible_postings(year, schools, rule).values_list("school").annotate(n=Count("teacher", distinct=True)))
    moves = year_rotations(year, schools, rule).values("from_school").annotate(
        rotated=Count("pk"), rotated_eligible=Count("pk", filter=Q(from_since__lte=eligible_cutoff(year.start, rule.eligible_years))),
        backbone=Count("pk", filter=Q(backbone__in=rule.backbone_levels)))
    moved = {m["from_school"]: m for m in moves}
    received = dict(Rotation.objects.filter(year=year).filter(**({} if schools is None else {"to_school__in": schools}))
                    .values_list("to_school").annotate(n=Count("pk")))
    ids = set(staying) | set(moved) | set(received)
    names = {s.pk: s for s in School.objects.filter(pk__in=ids).select_related("org_unit")}
    rows = []
    for pk in ids:
        m = moved.get(pk, {})
        eligible = staying.get(pk, 0) + m.get("rotated_eligible", 0)
        rotated = m.get("rotated", 0)
        rows.append({"school": names[pk], "eligible": eligible, "rotated": rotated, "backbone": m.get("backbone", 0),
                     "received": received.get(pk, 0), "share": share(rotated, eligible),
                     "required": rule.required(eligible)})
    rows.sort(key=lambda r: (r["share"] is not None and r["share"] >= rule.share, r["share"] or 0, -r["eligible"], r["school"].code))
    return rows
