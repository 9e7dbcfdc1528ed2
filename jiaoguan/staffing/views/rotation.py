"""交流轮岗: the year's requirement and progress, the suggested plan, the adopted plan, the moves
recorded; recording and cancelling a move; adopting the suggestion as the year's plan."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jiaoguan.core.scope import scoped_school_ids
from jiaoguan.registry.models import School, Section, Subject, Teacher

from .. import actions, planning, rotation_stats, structure
from ..forms import RotationForm
from ..models import Rotation, RotationKind, RotationPlan, RotationPlanLine
from .common import base_context, plan_unit, rotation_rule, selected_year, unit_schools, url

REASONS = {planning.SUBJECT_GAP: "学科补缺", planning.SHORTAGE: "缺编补充", planning.EXCHANGE: "城乡对口交流"}
SECTION_LABELS = dict(Section.choices)
SUBJECT_LABELS = dict(Subject.choices)


def _suggestion_rows(plan: planning.Plan) -> list[dict]:
    codes = {m.from_school for m in plan.moves} | {m.to_school for m in plan.moves}
    schools = {s.code: s for s in School.objects.filter(code__in=codes)}
    teachers = {t.pk: t for t in Teacher.objects.filter(pk__in=[m.teacher for m in plan.moves])}
    return [{"n": i, "teacher": teachers[m.teacher], "section": SECTION_LABELS[m.section], "subject": SUBJECT_LABELS[m.subject],
             "backbone": m.backbone, "from_school": schools[m.from_school], "to_school": schools[m.to_school],
             "reason": REASONS[m.reason]} for i, m in enumerate(plan.moves, 1)]


def _unit_rows(plan: planning.Plan) -> list[dict]:
    schools = {s.code: s for s in School.objects.filter(code__in=[u.school for u in plan.units])}
    rows = []
    for u in plan.units:
        if u.shortage_before or u.missing_before or u.after != u.before:
            rows.append({"school": schools[u.school], "section": SECTION_LABELS[u.section], "pupils": u.pupils,
                         "standard": u.standard, "before": u.before, "after": u.after, "short_before": u.shortage_before,
                         "short_after": u.shortage_after, "surplus": u.surplus_before,
                         "missing_before": [SUBJECT_LABELS[s] for s in u.missing_before],
                         "missing_after": [SUBJECT_LABELS[s] for s in u.missing_after]})
    rows.sort(key=lambda r: (-r["short_before"], -len(r["missing_before"]), r["school"].code))
    return rows


def remaining(figures: dict) -> int:
    """Moves still needed this year: the required number less those already recorded."""
    return max(0, figures["required"] - figures["rotated"])


def meter(value: float | None, goal: float) -> dict:
    """Bar widths (percent of the track) for a share against its goal; the track runs to twice the goal."""
    top = max(goal * 2, (value or 0) * 1.05)
    return {"width": min(100, round(100 * (value or 0) / top, 1)), "marker": round(100 * goal / top, 1),
            "pass": value is not None and value >= goal - 1e-12}


def plan_page(request):
    user = request.user
    year = selected_year(request)
    context = base_context(request, year)
    if year is None:
        return render(request, "staffing/rotation.html", context)
    rule = rotation_rule(request)
    unit = plan_unit(request)
    schools = unit_schools(user, unit) if unit else scoped_school_ids(user)
    figures = rotation_stats.rotation_figures(year, schools, rule)
    stored = RotationPlan.objects.filter(org_unit=unit, year=year).select_related("created_by").first() if unit else None
    lines = RotationPlanLine.objects.restrict(user).filter(plan__year=year)
    lines = lines.filter(plan=stored) if unit else lines
    lines = list(lines.select_related("teacher", "from_school", "to_school").order_by("pk"))
    done = {r.teacher_id: r for r in Rotation.objects.filter(year=year, teacher__in=[l.teacher_id for l in lines])}
    visible = set(Teacher.objects.restrict(user).filter(pk__in=[l.teacher_id for l in lines]).values_list("pk", flat=True))
    for line in lines:
        line.recorded = done.get(line.teacher_id)
        line.visible = line.teacher_id in visible
        line.reason_label = REASONS.get(line.reason, line.reason)
    suggestion = None
    if unit is not None:
        plan = structure.suggest_plan(year, schools, rule=rule, target=remaining(figures))
        suggestion = {"plan": plan, "rows": _suggestion_rows(plan), "units": _unit_rows(plan),
                      "counts": {label: plan.count(reason) for reason, label in REASONS.items()},
                      "short_after": sum(u.shortage_after for u in plan.units),
                      "short_before": sum(u.shortage_before for u in plan.units)}
    moves = (Rotation.objects.restrict(user).filter(year=year)
             .select_related("teacher", "from_school", "to_school").order_by("-recorded_at", "-pk"))
    context.update(
        share_meter=meter(figures["share"], rule.share), backbone_meter=meter(figures["backbone_share"], rule.backbone_share),
        kinds=[(label, figures["by_kind"][k]) for k, label in RotationKind.choices],
        still_needed=max(0, figures["required"] - figures["rotated"]),
        rule=rule, unit=unit, figures=figures, stored=stored, lines=lines,
        lines_done=sum(1 for l in lines if l.recorded), suggestion=suggestion, moves=list(moves[:300]),
        moves_total=moves.count(), by_school=rotation_stats.rotation_by_school(year, schools, rule),
        cutoff=structure.eligibility_note(year, rule), years_param=request.GET.get("years", ""),
        custom_years=rule.eligible_years != rotation_stats.RotationRule.from_rules().eligible_years,
    )
    return render(request, "staffing/rotation.html", context)


@require_POST
def adopt_plan(request):
    user = request.user
    if not actions.can_manage(user):
        raise PermissionDenied("只有人事股和系统管理员可以制定交流轮岗计划")
    year = selected_year(request)
    unit = plan_unit(request)
    if year is None or unit is None:
        raise Http404("没有学年或单位")
    rule = rotation_rule(request)
    schools = unit_schools(user, unit)
    figures = rotation_stats.rotation_figures(year, schools, rule)
    plan = structure.suggest_plan(year, schools, rule=rule, target=remaining(figures))
    try:
        stored = actions.adopt_rotation_plan(user, unit=unit, year=year, plan=plan, rule=rule, eligible=figures["eligible"],
                                             required=figures["required"], note=request.POST.get("note", "")[:500],
                                             request=request)
    except actions.StaffingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已将建议方案（{len(plan.moves)}人）定为{unit.name}{year}学年交流轮岗计划。"
                                  f"请逐条登记实际交流情况。")
        if remaining(figures) > len(plan.moves):
            messages.warning(request, f"计划人数少于还需交流的{remaining(figures)}人，请补充人选。")
    return redirect(url("staffing_rotation", year=year.code, unit=unit.code if unit != user.org_unit else None,
                        years=request.GET.get("years")))


def record(request):
    user = request.user
    if not actions.can_manage(user):
        raise PermissionDenied("只有人事股和系统管理员可以登记交流轮岗")
    year = selected_year(request)
    initial = {"year": year, "start": year.start if year else None, "kind": RotationKind.EXCHANGE}
    line = None
    line_id = request.GET.get("line") or request.POST.get("line")
    if line_id and str(line_id).isdigit():
        line = get_object_or_404(RotationPlanLine.objects.restrict(user).select_related("teacher", "to_school", "plan__year"), pk=line_id)
        year = line.plan.year
        initial.update(teacher=line.teacher_id, line=line.pk, to_school=line.to_school_id, year=year, start=year.start)
    elif request.GET.get("teacher", "").isdigit():
        initial["teacher"] = int(request.GET["teacher"])
    form = RotationForm(request.POST or None, initial=initial, user=user)
    teacher = Teacher.objects.restrict(user).filter(pk=initial.get("teacher")).first() if initial.get("teacher") else None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rotation = actions.record_rotation(
                user, teacher=form.teacher_obj, year=d["year"], kind=d["kind"], to_school=d["to_school"], start=d["start"],
                end=d["end"], note=d["note"], plan_line=line, rule=rotation_rule(request), request=request)
        except actions.StaffingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已登记：{rotation.teacher.name} {rotation.from_school.name} → {rotation.to_school.name}"
                                      f"（{rotation.get_kind_display()}），任教记录已同步。")
            return redirect(url("staffing_rotation", year=rotation.year.code) + "#moves")
    return render(request, "staffing/record.html", {**base_context(request, year), "form": form, "teacher": teacher, "line": line})


@require_POST
def cancel(request, pk):
    user = request.user
    if not actions.can_manage(user):
        raise PermissionDenied("只有人事股和系统管理员可以撤销交流轮岗记录")
    rotation = get_object_or_404(Rotation.objects.restrict(user).select_related("teacher", "year", "from_school", "to_school"), pk=pk)
    year = rotation.year
    try:
        actions.cancel_rotation(user, rotation, request=request)
    except actions.StaffingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已撤销{rotation.teacher.name}的交流轮岗记录，任教记录已恢复到{rotation.from_school.name}。")
    return redirect(url("staffing_rotation", year=year.code) + "#moves")
