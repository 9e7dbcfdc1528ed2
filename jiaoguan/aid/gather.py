"""From the database to the plain rows the pure modules take (entitlement.py, checks.py).

One query per source, values only: ~120,000 enrolments of a county year become PupilRows in
well under a second; the conflict check asks the database for the few candidate pupils first.
"""
from __future__ import annotations

from collections import defaultdict

from django.db.models import Case, CharField, Count, F, Q, Value, When

from jiaoguan.registry.models import ON_ROLL, Disability, Enrolment, EnrolmentStatus

from . import checks
from .entitlement import Evidence, PupilRow
from .models import DifficultyRecord, Entitlement, SchoolRecognition, Term
from .models.hardship import LIST_CATEGORY, LIST_DEPARTMENT
from .models.lists import LIVE
from .programmes import ProgrammeTable, programmes, stage_of

ENROLMENT_FIELDS = ("pupil_id", "pk", "school_id", "school__type", "school__location", "school__ownership", "grade", "status",
                    "boarding", "registered_poor", "dibao", "tekun", "orphan", "disability")


def raw_values(values_qs, chunk: int = 10000):
    """The rows of a values_list queryset as the driver returns them, skipping Django's
    per-value converters (booleans come back as 0/1 on SQLite and as bool on PostgreSQL, so
    use them only for their truth). The SQL is still the ORM's own."""
    from django.db import connection

    sql, params = values_qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(chunk):
            yield from batch


def evidence_by_pupil(year, enrolments) -> dict[int, list[Evidence]]:
    """Department list entries and the school's 认定 of the year, per pupil of the enrolments."""
    out: dict[int, list[Evidence]] = defaultdict(list)
    pupils = enrolments.values("pupil_id")
    records = DifficultyRecord.objects.filter(pupil__in=pupils).values_list(
        "pupil_id", "kind", "certificate_no", "valid_from", "valid_to", "department")
    for pupil_id, kind, cert, valid_from, valid_to, department in records:
        detail = f"证号{cert}" if cert else ""
        out[pupil_id].append(Evidence(LIST_CATEGORY[kind], department or LIST_DEPARTMENT[kind], detail, valid_from, valid_to))
    recognitions = SchoolRecognition.objects.filter(year=year, pupil__in=pupils).values_list("pupil_id", "level", "evidence")
    levels = dict(SchoolRecognition._meta.get_field("level").choices)
    for pupil_id, level, evidence in recognitions:
        note = evidence if len(evidence) <= 40 else evidence[:39] + "…"
        out[pupil_id].append(Evidence("recognised", levels[level], note))
    return out


def enrolment_tuples(enrolments) -> list[tuple]:
    """The enrolments' fields pupil_rows needs, as plain tuples (ENROLMENT_FIELDS order)."""
    return list(raw_values(enrolments.values_list(*ENROLMENT_FIELDS)))


def pupil_rows(year, *, school_ids=None, pupil_ids=None, tuples=None) -> list[PupilRow]:
    """Every enrolment of the school year (of the given schools or pupils) with its hardship
    evidence: the enrolment's flags, department lists and the school's 认定."""
    enrolments = Enrolment.objects.filter(year=year)
    if school_ids is not None:
        enrolments = enrolments.filter(school_id__in=list(school_ids))
    if pupil_ids is not None:
        enrolments = enrolments.filter(pupil_id__in=list(pupil_ids))
    evidence = evidence_by_pupil(year, enrolments)
    disability = dict(Disability.choices)
    rows = []
    for (pupil_id, pk, school_id, stype, location, ownership, grade, status, boarding, poor, dibao, tekun, orphan,
         dis) in (tuples if tuples is not None else raw_values(enrolments.values_list(*ENROLMENT_FIELDS))):
        ev = evidence.get(pupil_id, ())
        if poor or dibao or tekun or orphan or dis:
            ev = list(ev)
            for flag, category in zip((poor, dibao, tekun, orphan), ("registered_poor", "dibao", "tekun", "orphan")):
                if flag:
                    ev.append(Evidence(category, "学籍登记"))
            if dis:
                ev.append(Evidence("disabled", "学籍登记", disability.get(dis, dis)))
        rows.append(PupilRow(pupil_id, pk, school_id, stype, location, ownership, grade, status, bool(boarding), tuple(ev)))
    return rows


# ---------------------------------------------------------------------------- conflicts

def _actual_stage():
    """The stage of the entry's enrolment (as entitlement.stage_of), computed in SQL."""
    return Case(
        When(enrolment__grade__lte=0, then=Value("preschool")),
        When(enrolment__grade__lte=6, then=Value("primary")),
        When(enrolment__grade__lte=9, then=Value("junior")),
        When(enrolment__school__type="vocational", then=Value("vocational")),
        default=Value("senior"), output_field=CharField(),
    )


def term_conflicts(term: Term, *, within=None, table: ProgrammeTable | None = None) -> list[checks.Conflict]:
    """Conflicts of the term's live entries (of `within`, a queryset of entries, if given).
    Duplicates are looked for across every school of the term, whatever `within` is."""
    table = table or programmes()
    live = Entitlement.objects.filter(term=term, pupil__isnull=False).filter(LIVE)  # school lines: head counts
    scope = live if within is None else live.filter(pk__in=within.values("pk"))
    twice = live.values("pupil", "programme").annotate(n=Count("pk")).filter(n__gt=1).values("pupil")
    schools = live.values("pupil").annotate(n=Count("school", distinct=True)).filter(n__gt=1).values("pupil")
    mismatch = Q()
    for p in table:
        mismatch |= Q(programme=p.id) & ~Q(actual_stage__in=p.stages)
    suspects = scope.annotate(actual_stage=_actual_stage()).filter(
        Q(pupil__in=twice) | Q(pupil__in=schools) | Q(enrolment__isnull=True) | ~Q(enrolment__school=F("school"))
        | ~Q(enrolment__status__in=ON_ROLL) | mismatch
    )
    suspect_ids = set(suspects.values_list("pk", flat=True))
    if not suspect_ids:
        return []
    pupils = Entitlement.objects.filter(pk__in=suspect_ids).values("pupil")
    labels = dict(EnrolmentStatus.choices)
    lines = []
    for (pk, pupil_id, programme, school_id, school_name, e_school, e_school_name, status, grade,
         e_type) in live.filter(pupil__in=pupils).values_list(
            "pk", "pupil_id", "programme", "school_id", "school__name", "enrolment__school_id", "enrolment__school__name",
            "enrolment__status", "enrolment__grade", "enrolment__school__type"):
        lines.append(checks.Line(
            id=pk, pupil_id=pupil_id, programme=programme, school_id=school_id, school_name=school_name,
            enrolled_school_id=e_school, enrolled_school_name=e_school_name or "", status=status,
            status_label=labels.get(status, ""), stage=stage_of(e_type, grade) if grade is not None else None,
        ))
    return [c for c in checks.find_conflicts(lines, table) if c.line_id in suspect_ids]
