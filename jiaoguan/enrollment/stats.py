"""Live statistics of a campaign by school, zone and category (counts pushed to the database
where the ORM can; categories live in a JSON column and are read once per application)."""
from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count

from .models import Application, Campaign

S = Application.Status
COLUMNS = [("total", "申请"), ("verified", "核验完成"), ("needs_documents", "需补材料"), ("review", "待审核"),
           ("eligible", "资格通过"), ("admitted", "录取"), ("placed", "统筹安排"), ("unplaced", "未安排")]


def buckets(by_status: Counter) -> dict:
    total = sum(by_status.values())
    return {
        "total": total,
        "verified": total - by_status[S.SUBMITTED] - by_status[S.VERIFYING] - by_status[S.WITHDRAWN],
        "needs_documents": by_status[S.NEEDS_DOCUMENTS], "review": by_status[S.REVIEW],
        "eligible": by_status[S.ELIGIBLE] + by_status[S.ADMITTED] + by_status[S.PLACED] + by_status[S.UNPLACED],
        "admitted": by_status[S.ADMITTED], "placed": by_status[S.PLACED], "unplaced": by_status[S.UNPLACED],
        "verifying": by_status[S.SUBMITTED] + by_status[S.VERIFYING], "waiting": by_status[S.ELIGIBLE],
    }


def campaign_stats(campaign: Campaign, apps) -> dict:
    """`apps`: the applications the user may see (a queryset of the campaign's)."""
    schools = list(campaign.schools.select_related("school").order_by("private", "school__code"))
    status_total = Counter(dict(apps.values_list("status").annotate(n=Count("pk")).order_by()))
    by_zone_school: dict = defaultdict(Counter)
    for sid, status, n in apps.values_list("zone_school", "status").annotate(n=Count("pk")).order_by():
        by_zone_school[sid][status] += n
    into: dict = defaultdict(Counter)
    for sid, status, n in apps.exclude(outcome=None).values_list("outcome", "status").annotate(n=Count("pk")).order_by():
        into[sid][status] += n
    chose: Counter = Counter()
    by_category: dict = defaultdict(Counter)
    for zone_school, categories, choices, status in apps.values_list("zone_school", "categories", "choices", "status").iterator(chunk_size=2000):
        for c in set(choices or []):
            chose[c] += 1
        cat = (categories or {}).get(str(zone_school), {}) if zone_school else {}
        label = (cat.get("id") or "统筹") if cat else "未定"
        by_category[label][status] += 1
    policy_cats = [c["id"] for c in campaign.policy.get("categories", [])]
    names = {c["id"]: c.get("name", c["id"]) for c in campaign.policy.get("categories", [])}
    names.update({"统筹": "不符合任何类别（统筹安排）", "未定": "尚未确定对口学校（核验中或待审核）"})
    category_rows = [{"label": f"{k}类" if k in names and k not in ("统筹", "未定") else k, "name": names.get(k, k), **buckets(by_category[k])}
                     for k in [*policy_cats, "统筹", "未定"] if by_category.get(k)]

    school_rows = []
    for cs in schools:
        b = buckets(by_zone_school.get(cs.pk, Counter()))
        row = {"pk": cs.pk, "name": cs.school.name, "code": cs.school.code, "private": cs.private, "capacity": cs.capacity,
               "classes": cs.classes, "chose": chose.get(cs.pk, 0), **b,
               "admitted": into[cs.pk][S.ADMITTED], "placed": into[cs.pk][S.PLACED]}
        row["filled"] = row["admitted"] + row["placed"]
        demand = row["chose"] if cs.private else b["total"]
        row["demand"] = demand
        row["over"] = demand > cs.capacity
        school_rows.append(row)
    # a 多校划片 zone's applicants are counted together (their zone school is the whole group)
    groups = [list(z.schools.values_list("pk", flat=True)) for z in campaign.zones.all()]
    merged, seen = [], set()
    for row in school_rows:
        group = next((g for g in groups if row["pk"] in g and len(g) > 1), None)
        if group is None or row["private"]:
            merged.append(row)
            continue
        if row["pk"] in seen:
            continue
        members = [r for r in school_rows if r["pk"] in group]
        seen.update(r["pk"] for r in members)
        combined = {k: sum(r[k] for r in members) for k in ("capacity", "total", "verified", "needs_documents", "review", "eligible",
                                                            "admitted", "placed", "unplaced", "verifying", "waiting", "filled", "chose")}
        combined.update(pk=row["pk"], name="、".join(r["name"] for r in members), code="", private=False, classes=None,
                        multi=True, demand=combined["total"], over=combined["total"] > combined["capacity"])
        merged.append(combined)
    school_rows = merged
    unzoned = by_zone_school.get(None)
    if unzoned:
        school_rows.append({"pk": None, "name": "未确定对口学校", "code": "", "private": False, "capacity": None, "classes": None,
                            "chose": 0, **buckets(unzoned), "admitted": 0, "placed": 0, "filled": 0, "demand": 0, "over": False})

    zone_rows = []
    zone_of_school: dict = {}
    for zone in campaign.zones.prefetch_related("schools__school").annotate(n_units=Count("units", distinct=True)).order_by("name"):
        members = list(zone.schools.all())
        for m in members:
            zone_of_school.setdefault(m.pk, zone.pk)
        counter = Counter()
        for m in members:
            if zone_of_school[m.pk] == zone.pk:
                counter.update(by_zone_school.get(m.pk, Counter()))
        zone_rows.append({"name": zone.name, "schools": [m.school.name for m in members], "units": zone.n_units,
                          "capacity": sum(m.capacity for m in members), **buckets(counter)})
    return {"total": buckets(status_total), "schools": school_rows, "zones": zone_rows, "categories": category_rows,
            "capacity": sum(cs.capacity for cs in schools if not cs.private), "private_capacity": sum(cs.capacity for cs in schools if cs.private)}


def chart(stats: dict, allocated: bool) -> dict:
    """Data for the ECharts bar chart: one bar per school, stacked by status, with capacity."""
    rows = [r for r in stats["schools"] if r["pk"] is not None]
    names = [r["name"].replace("湘潭县", "") for r in rows]
    if allocated:
        series = [("录取", [r["admitted"] for r in rows], "#1a7f37"), ("统筹安排", [r["placed"] for r in rows], "#4e86c6")]
    else:
        series = [("资格通过", [r["chose"] if r["private"] else r["waiting"] for r in rows], "#1a7f37"),
                  ("待审核", [0 if r["private"] else r["review"] for r in rows], "#e0a100"),
                  ("需补材料", [0 if r["private"] else r["needs_documents"] for r in rows], "#c62828"),
                  ("核验中", [0 if r["private"] else r["verifying"] for r in rows], "#9aa5b1")]
    return {"names": names, "series": [{"name": n, "data": d, "color": c} for n, d, c in series],
            "capacity": [r["capacity"] for r in rows], "private": [r["private"] for r in rows]}
