"""Training: every teacher's 360-学时 account (who is behind), hours by level, each school's
training spending against 5% of its 公用经费; the attendance import is the core import page."""
from __future__ import annotations

import io
from urllib.parse import quote

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from jiaoguan.core.audit import audit
from jiaoguan.core.excel import write_rows
from jiaoguan.core.models import AuditLog
from jiaoguan.core.scope import scoped_school_ids
from jiaoguan.registry.models import School, Section

from .. import training_stats
from ..models import Course
from ..rules import TrainingCycle
from .common import base_context, selected_year

PER_PAGE = 50
SECTION_LABELS = dict(Section.choices)


def hours_histogram(accounts, cycle: TrainingCycle, expected: float) -> dict:
    """Teachers per band of cycle hours (half a year's 学时 wide), the last band open."""
    step = cycle.per_year / 2
    bands = round(cycle.hours / step)
    counts = [0] * (bands + 1)
    for a in accounts:
        counts[min(int(a.hours // step), bands)] += 1
    labels = [f"{i * step:g}–{(i + 1) * step:g}" for i in range(bands)] + [f"{cycle.hours}及以上"]
    return {"labels": labels, "counts": counts, "behind": [(i + 1) * step <= expected + 1e-9 for i in range(bands)] + [False]}


def _filtered(accounts, schools_by_pk, status: str, q: str):
    rows = accounts
    if status == "behind":
        rows = [a for a in rows if a.behind]
    elif status == "on_pace":
        rows = [a for a in rows if not a.behind]
    if q:
        rows = [a for a in rows if q in a.name or q in schools_by_pk[a.school].name or schools_by_pk[a.school].code.startswith(q)]
    return sorted(rows, key=lambda a: (not a.behind, -a.gap, schools_by_pk[a.school].code, a.name, a.teacher))


def training_page(request):
    year = selected_year(request)
    context = base_context(request, year)
    if year is None:
        return render(request, "staffing/training.html", context)
    schools = scoped_school_ids(request.user)
    accounts = training_stats.accounts(year, schools)
    summary = training_stats.training_summary(year, schools, account_list=accounts)
    schools_by_pk = {s.pk: s for s in School.objects.filter(pk__in={a.school for a in accounts})}
    status = request.GET.get("status", "behind")
    q = request.GET.get("q", "").strip()
    rows = _filtered(accounts, schools_by_pk, status, q)
    if request.GET.get("export"):
        return _export(request, year, rows, schools_by_pk, summary)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    cycle = TrainingCycle.from_rules()
    for a in page.object_list:
        a.school_obj = schools_by_pk[a.school]
        a.section_label = SECTION_LABELS.get(a.section, a.section)
        a.progress = min(100, round(100 * a.hours / cycle.hours))
        a.expected_progress = min(100, round(100 * a.expected / cycle.hours))
    spending = training_stats.school_spending(year, schools)
    courses = Course.objects.filter(year=year).select_related("school")
    if schools is not None:
        courses = courses.filter(sessions__attendances__school__in=schools).distinct()
    context.update(
        summary=summary, page=page, status=status, q=q, count=len(rows), spending=spending,
        spend=training_stats.spending_summary(spending),
        courses=list(courses.filter(school__isnull=True).order_by("level", "name")),
        school_courses=courses.filter(school__isnull=False).count(),
        query=request.GET.copy(),
        hours_chart=hours_histogram(accounts, cycle, summary["cycle"]["expected_by_now"]),
    )
    return render(request, "staffing/training.html", context)


def _export(request, year, rows, schools_by_pk, summary):
    cycle = summary["cycle"]
    buffer = io.BytesIO()
    n = write_rows(buffer, "培训学时账户", ["学校标识码", "学校", "姓名", "学段", f"{cycle['first_year']}—{cycle['last_year']}周期学时",
                                      f"{year}学年学时", "应完成学时", "差额", "状态"],
                   ([schools_by_pk[a.school].code, schools_by_pk[a.school].name, a.name, SECTION_LABELS.get(a.section, a.section),
                     a.hours, a.year_hours, a.expected, round(a.gap, 1), "进度落后" if a.behind else "正常"] for a in rows),
                   text_columns=[0])
    audit(request.user, AuditLog.Action.EXPORT, request=request, object_type="培训学时账户", object_repr=f"{year}学年培训学时账户导出",
          row_count=n, filters={k: v for k, v in request.GET.items() if k != "export"})
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'培训学时账户_{year}.xlsx')}"
    return response
