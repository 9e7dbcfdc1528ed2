"""State changes of the workforce office, one function each (Zulip's actions): the rows, the
postings they imply and the audit entry are written together, in one transaction.

Views only parse and authorise; they call these and show `StaffingError` messages as they are.
"""
from __future__ import annotations

import datetime

from django.db import transaction

from jiaoguan.core.audit import audit
from jiaoguan.core.models import AuditLog, Role, Section
from jiaoguan.core.scope import unrestricted
from jiaoguan.registry.models import Posting, School, SchoolType, Teacher

from . import planning
from .models import Rotation, RotationKind, RotationPlan, RotationPlanLine
from .rules import RotationRule, full_years, is_eligible


class StaffingError(ValueError):
    """A change that cannot be made; the message is for the user (Chinese)."""


# Sections a school of each type can post teachers to.
TYPE_SECTIONS = {
    SchoolType.KINDERGARTEN: {"preschool"},
    SchoolType.PRIMARY: {"primary", "preschool"},
    SchoolType.JUNIOR: {"junior"},
    SchoolType.NINE_YEAR: {"primary", "junior"},
    SchoolType.COMPLETE_SECONDARY: {"junior", "senior"},
    SchoolType.TWELVE_YEAR: {"primary", "junior", "senior"},
    SchoolType.SENIOR: {"senior"},
    SchoolType.VOCATIONAL: {"vocational"},
    SchoolType.SPECIAL: {"special"},
    SchoolType.TEACHING_POINT: {"primary", "preschool"},
}

POSTING_FIELDS = ("section", "role", "subject", "education", "title", "backbone", "staffing", "certified")


def can_manage(user) -> bool:
    """系统管理员 and 人事股 staff record moves, adopt plans and import training."""
    if not user or not user.is_authenticated:
        return False
    return unrestricted(user) or (user.role == Role.STAFF and user.section == Section.PERSONNEL)


def _check_manager(user):
    if not can_manage(user):
        raise StaffingError("只有人事股和系统管理员可以登记交流轮岗和制定计划")


def _visible_school(user, school: School, label: str) -> None:
    if not School.objects.restrict(user).filter(pk=school.pk).exists():
        raise StaffingError(f"{label}「{school.name}」不在您的管辖范围内")


# ---------------------------------------------------------------------------- rotations

def record_rotation(user, *, teacher: Teacher, year, kind: str, to_school: School, start: datetime.date,
                    end: datetime.date | None = None, section: str | None = None, note: str = "",
                    plan_line: RotationPlanLine | None = None, rule: RotationRule | None = None, request=None) -> Rotation:
    """Record that `teacher` serves at `to_school` from `start` in school year `year`.

    The teacher's posting of that year moves to the new school with 到本校时间 = start (it is
    created from the latest earlier posting when the year has none yet). Postings of later years
    still at the old school move too while the term lasts (all of them for a move without an end
    date); after a term ends the teacher is back at the old school, as those postings say.
    """
    _check_manager(user)
    rule = rule or RotationRule.from_rules()
    if kind not in RotationKind.values:
        raise StaffingError(f"交流方式“{kind}”无效")
    if not (year.start <= start <= year.end):
        raise StaffingError(f"开始日期应在{year}学年内（{year.start:%Y-%m-%d}至{year.end:%Y-%m-%d}）")
    if end is not None and end <= start:
        raise StaffingError("结束日期应晚于开始日期")
    if not Teacher.objects.restrict(user).filter(pk=teacher.pk).exists():
        raise StaffingError(f"教师“{teacher.name}”不在您的管辖范围内")
    _visible_school(user, to_school, "调入学校")

    postings = Posting.objects.filter(teacher=teacher).select_related("year", "school")
    if section:
        postings = postings.filter(section=section)
    current = postings.filter(year=year).order_by("section").first()
    previous = postings.filter(year__start__lt=year.start).order_by("-year__start", "section").first()
    base = current or previous
    if base is None:
        raise StaffingError(f"{teacher.name}在{year}学年及以前没有任教记录，请先导入教师任教信息")
    from_school = base.school
    if from_school.pk == to_school.pk:
        raise StaffingError(f"调入学校与{teacher.name}现在的学校相同（{from_school.name}）")
    _visible_school(user, from_school, "调出学校")
    if base.section not in TYPE_SECTIONS.get(to_school.type, set()):
        raise StaffingError(f"调入学校「{to_school.name}」（{to_school.get_type_display()}）没有{base.get_section_display()}学段")
    if Rotation.objects.filter(teacher=teacher, year=year).exists():
        raise StaffingError(f"{teacher.name}在{year}学年已有交流轮岗记录，一名教师每学年只能登记一次")

    since = base.at_school_since
    with transaction.atomic():
        if current is None:
            current = Posting(teacher=teacher, year=year, school=to_school, at_school_since=start,
                              **{f: getattr(previous, f) for f in POSTING_FIELDS})
            if Posting.objects.filter(teacher=teacher, year=year, section=current.section).exists():
                raise StaffingError(f"{teacher.name}在{year}学年已有该学段的任教记录")
            current.save()
        else:
            current.school, current.at_school_since = to_school, start
            current.save(update_fields=["school", "at_school_since"])
        later = Posting.objects.filter(teacher=teacher, section=base.section, school=from_school, year__start__gt=year.start)
        if end is not None:
            later = later.filter(year__start__lt=end)
        moved_later = later.update(school=to_school, at_school_since=start)
        rotation = Rotation.objects.create(
            teacher=teacher, year=year, kind=kind, section=base.section, subject=base.subject,
            from_school=from_school, to_school=to_school, start=start, end=end, from_since=since,
            years_at_school=full_years(since, year.start) if since else None,
            eligible=is_eligible(since, year.start, rule.eligible_years), backbone=base.backbone or "",
            plan_line=plan_line, note=note[:200], recorded_by=user if user.is_authenticated else None,
        )
        audit(user, AuditLog.Action.CREATE, request=request, obj=rotation, object_type="交流轮岗",
              object_repr=f"{teacher.name} {from_school.name}→{to_school.name}（{rotation.get_kind_display()}）",
              row_count=1, year=str(year), kind=kind, from_school=from_school.code, to_school=to_school.code,
              later_postings_moved=moved_later)
    return rotation


def cancel_rotation(user, rotation: Rotation, *, request=None) -> None:
    """Undo a move recorded by mistake: the postings it moved go back to the old school."""
    _check_manager(user)
    _visible_school(user, rotation.from_school, "调出学校")
    with transaction.atomic():
        back = Posting.objects.filter(teacher=rotation.teacher, section=rotation.section, school=rotation.to_school,
                                      at_school_since=rotation.start, year__start__gte=rotation.year.start)
        restored = back.update(school=rotation.from_school, at_school_since=rotation.from_since)
        audit(user, AuditLog.Action.DELETE, request=request, obj=rotation, object_type="交流轮岗",
              object_repr=f"撤销 {rotation.teacher.name} {rotation.from_school.name}→{rotation.to_school.name}",
              row_count=1, year=str(rotation.year), postings_restored=restored)
        rotation.delete()


# ---------------------------------------------------------------------------- plans

def adopt_rotation_plan(user, *, unit, year, plan: planning.Plan, rule: RotationRule | None = None,
                        eligible: int | None = None, required: int | None = None, note: str = "",
                        request=None) -> RotationPlan:
    """Store the suggested plan as the unit's plan for the year (replacing an earlier one;
    moves already recorded keep their records). `eligible` and `required` are the year's
    figures when some moves were recorded before the plan (the plan only sees those left)."""
    _check_manager(user)
    rule = rule or RotationRule.from_rules()
    eligible = plan.eligible if eligible is None else eligible
    required = plan.required if required is None else required
    codes = {m.from_school for m in plan.moves} | {m.to_school for m in plan.moves}
    schools = {s.code: s for s in School.objects.restrict(user).filter(code__in=codes)}
    if len(schools) < len(codes):
        raise StaffingError("计划中有学校不在您的管辖范围内")
    with transaction.atomic():
        RotationPlan.objects.filter(org_unit=unit, year=year).delete()
        stored = RotationPlan.objects.create(
            org_unit=unit, year=year, eligible_years=rule.eligible_years, eligible=eligible,
            required=required, backbone_required=rule.backbone_required(max(required, len(plan.moves))),
            note=note, created_by=user if user.is_authenticated else None)
        RotationPlanLine.objects.bulk_create([
            RotationPlanLine(plan=stored, teacher_id=m.teacher, section=m.section, subject=m.subject,
                             from_school=schools[m.from_school], to_school=schools[m.to_school], backbone=m.backbone,
                             reason=m.reason)
            for m in plan.moves])
        audit(user, AuditLog.Action.CREATE, request=request, obj=stored, object_type="交流轮岗计划",
              row_count=len(plan.moves), year=str(year), eligible=eligible, required=required)
    return stored
