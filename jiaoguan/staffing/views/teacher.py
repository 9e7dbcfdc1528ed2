"""一师一档: one teacher's file — postings, titles over the years, moves, training hours."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.shortcuts import get_object_or_404, render

from jiaoguan.core.audit import audit
from jiaoguan.core.idnumbers import mask_id, mask_phone
from jiaoguan.core.models import AuditLog
from jiaoguan.registry.models import Teacher

from ..models import Attendance, Rotation
from ..rules import TrainingCycle, full_years, retirement_date, school_year_of
from .common import base_context, selected_year


def title_history(postings) -> list[dict]:
    """The years a teacher's title changed (the first posting counts as a change)."""
    changes, last = [], None
    for p in sorted(postings, key=lambda p: p.year.start):
        if p.title != last:
            changes.append({"year": p.year, "title": p.get_title_display(), "school": p.school})
            last = p.title
    return changes


def teacher_page(request, pk):
    teacher = get_object_or_404(Teacher.objects.restrict(request.user), pk=pk)
    year = selected_year(request)
    reveal = request.method == "POST" and request.POST.get("reveal") == "1"
    if reveal:
        if not request.user.can_view_pii:
            raise PermissionDenied("您的角色不能查看完整的身份证号和电话号码")
        audit(request.user, AuditLog.Action.VIEW_PII, request=request, obj=teacher, row_count=1)
    postings = list(teacher.postings.select_related("year", "school").order_by("-year__start", "section"))
    rotations = list(Rotation.objects.filter(teacher=teacher).select_related("year", "from_school", "to_school"))
    attendance = list(Attendance.objects.filter(teacher=teacher).select_related("session__course", "year", "school")
                      .order_by("-session__start", "-pk"))
    per_year = {y: float(h) for y, h in Attendance.objects.filter(teacher=teacher, passed=True)
                .values_list("year__code").annotate(h=Sum("hours"))}
    cycle = TrainingCycle.from_rules()
    account = None
    if year is not None:
        first = cycle.start_of(year.start.year)
        hours = sum(float(a.hours) for a in attendance if a.passed and first <= a.year.start.year <= year.start.year)
        started = school_year_of(teacher.work_start) if teacher.work_start else None
        expected = cycle.expected(year.start.year, started)
        account = {"first": first, "last": first + cycle.years - 1, "hours": hours, "expected": expected,
                   "behind": hours + 1e-9 < expected, "gap": max(0.0, expected - hours), "target": cycle.hours,
                   "progress": min(100, round(100 * hours / cycle.hours)),
                   "expected_progress": min(100, round(100 * expected / cycle.hours))}
    context = base_context(request, year)
    current = next((p for p in postings if year and p.year_id == year.pk), postings[0] if postings else None)
    context.update(
        teacher=teacher, reveal=reveal, postings=postings, rotations=rotations, attendance=attendance,
        per_year=sorted(per_year.items()), titles=title_history(postings), account=account, current=current,
        id_number=teacher.id_number if reveal else mask_id(teacher.id_number),
        phone=teacher.phone if reveal else mask_phone(teacher.phone),
        age=full_years(teacher.birth_date, year.start) if year else None,
        retires=retirement_date(teacher.birth_date, teacher.sex),
    )
    return render(request, "staffing/teacher.html", context)
