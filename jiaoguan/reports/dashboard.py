"""The county dashboard (home page of 局领导 and 股室): key figures with year-on-year change from
every app's report sections, and three charts. Cached for five minutes per county and year."""
from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count

from jiaoguan.core.models import SchoolYear
from jiaoguan.registry import models as m

from .base import discover, yoy
from .builder import previous_year

# the figures shown as cards, in order, when a section provides them
CARDS = [
    ("registry_overview", "schools", None), ("registry_overview", "pupils", None), ("registry_overview", "teachers", None),
    ("registry_overview", "large_classes", "bad_if_positive"), ("supervision_balance", "basic_primary_cv", None),
    ("supervision_balance", "quality_schools_passed", None), ("aid_paid", "aid_total", None),
    ("staffing_workforce", "rotation_share", None), ("enrollment_intake", "primary_applications", None),
]
CACHE_SECONDS = 300


def _figures(county, year) -> dict:
    out = {}
    prev = previous_year(year)
    for s in discover():
        cur = s.figures(county, year)
        before = s.previous(county, year, prev) if prev else {}
        out[s.id] = {"title": s.title, "previous_year": prev.code if prev else None, "figures": {k: {"label": f.label, "text": f.text(), "value": f.value, "unit": f.unit,
                                                         "digits": f.digits, "link": f.link,
                                                         "before": before[k].value if k in before else None,
                                                         "yoy": yoy(f.value, before[k].value, f.unit, f.digits, than=before.than) if k in before and not isinstance(f.value, str) else ""}
                                                     for k, f in cur.items()}}
    return out


def _charts(county, year) -> dict:
    schools = m.School.objects.filter(org_unit__path__startswith=county.path)
    sizes = (m.class_sizes(m.SchoolClass.objects.filter(school__in=schools, year=year, grade__gte=1, grade__lte=9))
             .values_list("size", flat=True))
    buckets = ["≤25", "26–35", "36–45", "46–55", "56–65", "≥66"]
    counts = [0] * 6
    for size in sizes:
        if size:
            counts[0 if size <= 25 else 1 if size <= 35 else 2 if size <= 45 else 3 if size <= 55 else 4 if size <= 65 else 5] += 1
    from jiaoguan.supervision.models import Run

    trend = {}
    for run in Run.objects.filter(county=county, standard="basic-2012").select_related("year").order_by("year__start", "created"):
        for c in run.result.get("counties", []):
            for st in c["stages"]:
                trend.setdefault(st["stage"], {})[run.year.code] = st["composite_cv"]
    years = sorted({y for v in trend.values() for y in v})
    return {
        "class_sizes": {"labels": buckets, "values": counts},
        "cv_trend": {"years": years, "series": {{"primary": "小学", "junior": "初中"}[s]: [v.get(y) for y in years] for s, v in trend.items()}},
    }


def dashboard(county, year) -> dict:
    from jiaoguan.core.cache import version

    key = f"dashboard:{county.pk}:{year.pk}:{version()}"
    data = cache.get(key)
    if data is None:
        data = {"sections": _figures(county, year), "charts": _charts(county, year)}
        cache.set(key, data, CACHE_SECONDS)
    cards = []
    for sid, fid, flag in CARDS:
        f = data["sections"].get(sid, {}).get("figures", {}).get(fid)
        if f:
            cards.append(f | {"bad": flag == "bad_if_positive" and bool(f["value"])})
    reg = data["sections"].get("registry_overview", {}).get("figures", {})
    stages = [(label, reg[k]["value"], reg[k]["text"], reg[k].get("before")) for k, label in (
        ("pupils_preschool", "学前"), ("pupils_primary", "小学"), ("pupils_junior", "初中"), ("pupils_senior", "高中阶段")) if k in reg]
    return {"cards": cards, "sections": data["sections"], "charts": data["charts"], "stages": stages,
            "stage_chart": stage_chart(stages, year.code, data["sections"].get("registry_overview", {}).get("previous_year"))}


def stage_chart(stages, year_code: str, previous_code: str | None) -> dict:
    """Pupils per stage, this year next to last year when last year has records (bars per year)."""
    series = {}
    if previous_code and any(before for *_, before in stages):
        series[previous_code] = [before for *_, before in stages]
    series[year_code] = [value for _, value, _, _ in stages]
    return {"labels": [label for label, *_ in stages], "series": series}
