"""State changes of the supervision section (one function each, rows and audit together)."""
from __future__ import annotations

from django.db import transaction

from jiaoguan.core.audit import audit
from jiaoguan.core.models import AuditLog
from jiaoguan.indicators import balance

from .facts import build_facts
from .models import Run

STANDARDS = ("basic-2012", "quality-2017")


def run_evaluation(county, year, *, user=None, standards=STANDARDS, teaching_points: str | None = None,
                   include_private: bool = False) -> list[Run]:
    """Compute every standard for the county and year from the registry and store the runs."""
    frame = build_facts(county, year, include_private=include_private)
    runs = []
    with transaction.atomic():
        for standard in standards:
            result = balance.evaluate(frame, standard, teaching_points=teaching_points) if frame.height else {
                "standard": standard, "counties": [], "schools": [], "excluded": []}
            stages = result["counties"][0]["stages"] if result["counties"] else []
            runs.append(Run.objects.create(
                county=county, year=year, standard=standard, user=user if user and user.is_authenticated else None,
                settings={"teaching_points": teaching_points or "default", "include_private": include_private},
                facts=frame.to_dicts(), result=result, passed={s["stage"]: s["passed"] for s in stages},
            ))
        from jiaoguan.core.cache import bump

        transaction.on_commit(bump)
        audit(user, AuditLog.Action.CREATE, object_type="督导测算", object_repr=f"{county.name} {year} 校际均衡测算",
              row_count=frame.height, standards=list(standards))
    return runs
