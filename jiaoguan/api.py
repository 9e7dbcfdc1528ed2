"""The REST API under /api/ (django-ninja, OpenAPI at /api/openapi.json).

Token auth (`Authorization: Bearer jg_…`), the same scope as the pages: every endpoint starts
from `.restrict(user)`. ID and phone numbers are masked unless the role may see them and the
caller asks with `full=true`, which is audited.
"""
from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer

from jiaoguan.core.audit import audit
from jiaoguan.core.idnumbers import mask_id, mask_phone, mask_student_no
from jiaoguan.core.models import ApiToken, AuditLog, SchoolYear
from jiaoguan.registry import models as m


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        row = ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(token)).first()
        if row is None or not row.user.is_active or (row.expires and row.expires < timezone.now()):
            return None
        if not row.last_used or timezone.now() - row.last_used > datetime.timedelta(minutes=5):
            ApiToken.objects.filter(pk=row.pk).update(last_used=timezone.now())
        request.user = row.user
        return row.user


api = NinjaAPI(title="教管 jiaoguan API", version="1", auth=TokenAuth(), urls_namespace="api",
               description="县教育局数据平台接口。所有列表按令牌所属用户的数据范围过滤。")


class Error(Schema):
    detail: str


class SchoolOut(Schema):
    code: str
    name: str
    type: str
    type_label: str
    location: str
    ownership: str
    org_unit_code: str
    org_unit_name: str
    parent_code: str | None

    @staticmethod
    def resolve_type_label(obj):
        return obj.get_type_display()

    @staticmethod
    def resolve_org_unit_code(obj):
        return obj.org_unit.code

    @staticmethod
    def resolve_org_unit_name(obj):
        return obj.org_unit.name

    @staticmethod
    def resolve_parent_code(obj):
        return obj.parent.code if obj.parent_id else None


class PupilOut(Schema):
    id: int
    student_no: str
    id_number: str | None
    name: str
    sex: str
    birth_date: datetime.date
    school_code: str | None
    grade: int | None
    status: str | None


class TeacherOut(Schema):
    id: int
    id_number: str
    name: str
    sex: str
    birth_date: datetime.date
    phone: str
    school_code: str | None
    section: str | None
    subject: str | None
    title: str | None


class ClassOut(Schema):
    id: int
    school_code: str
    grade: int
    name: str
    size: int


def _year(code: str | None) -> SchoolYear:
    return (SchoolYear.objects.filter(code=code).first() if code else None) or SchoolYear.current()


def _full(request, full: bool, what: str, rows: int) -> bool:
    if not full:
        return False
    if not request.user.can_view_pii:
        return False
    audit(request.user, AuditLog.Action.VIEW_PII, request=request, object_type=what, object_repr=f"API {request.path}", row_count=rows)
    return True


@api.get("/schools", response=list[SchoolOut], tags=["学校"], summary="学校列表")
@paginate(PageNumberPagination, page_size=100)
def list_schools(request, type: str | None = None, q: str | None = None):
    qs = m.School.objects.restrict(request.user).select_related("org_unit", "parent")
    if type:
        qs = qs.filter(type=type)
    if q:
        qs = qs.filter(name__contains=q)
    return qs


@api.get("/schools/{code}", response={200: SchoolOut, 404: Error}, tags=["学校"], summary="学校详情")
def get_school(request, code: str):
    return get_object_or_404(m.School.objects.restrict(request.user).select_related("org_unit", "parent"), code=code)


@api.get("/classes", response=list[ClassOut], tags=["班级"], summary="班级列表（含班额）")
@paginate(PageNumberPagination, page_size=100)
def list_classes(request, year: str | None = None, school: str | None = None):
    qs = m.class_sizes(m.SchoolClass.objects.restrict(request.user).filter(year=_year(year)).select_related("school"))
    if school:
        qs = qs.filter(school__code=school)
    return [ClassOut(id=c.pk, school_code=c.school.code, grade=c.grade, name=c.name, size=c.size) for c in qs.order_by("school__code", "grade", "name")]


def _pupil_out(e: m.Enrolment, full: bool) -> PupilOut:
    p = e.pupil
    return PupilOut(
        id=p.pk, student_no=p.student_no if full else mask_student_no(p.student_no),
        id_number=p.id_number if full else mask_id(p.id_number), name=p.name, sex=p.sex, birth_date=p.birth_date,
        school_code=e.school.code, grade=e.grade, status=e.status,
    )


@api.get("/pupils", response=list[PupilOut], tags=["学生"], summary="学生列表（某学年的学籍）")
@paginate(PageNumberPagination, page_size=100)
def list_pupils(request, year: str | None = None, school: str | None = None, full: bool = False):
    qs = m.Enrolment.objects.restrict(request.user).filter(year=_year(year)).select_related("pupil", "school").order_by("pk")
    if school:
        qs = qs.filter(school__code=school)
    return _PupilPage(qs, request, full)


class _PupilPage:
    """Lazily maps the page the paginator slices, so masking and auditing see only that page."""

    def __init__(self, qs, request, full):
        self.qs, self.request, self.full = qs, request, full

    def count(self):
        return self.qs.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        rows = list(self.qs[item])
        full = _full(self.request, self.full, "学生", len(rows))
        return [_pupil_out(e, full) for e in rows]


@api.get("/pupils/{pupil_id}", response={200: PupilOut, 404: Error}, tags=["学生"], summary="学生详情")
def get_pupil(request, pupil_id: int, full: bool = False):
    pupil = get_object_or_404(m.Pupil.objects.restrict(request.user), pk=pupil_id)
    e = m.Enrolment.objects.restrict(request.user).filter(pupil=pupil).select_related("pupil", "school").order_by("-year__start").first()
    return _pupil_out(e, _full(request, full, "学生", 1))


@api.get("/teachers", response=list[TeacherOut], tags=["教师"], summary="教师列表（某学年的任教记录）")
@paginate(PageNumberPagination, page_size=100)
def list_teachers(request, year: str | None = None, school: str | None = None, full: bool = False):
    qs = m.Posting.objects.restrict(request.user).filter(year=_year(year)).select_related("teacher", "school").order_by("pk")
    if school:
        qs = qs.filter(school__code=school)
    return _TeacherPage(qs, request, full)


@api.get("/teachers/{teacher_id}", response={200: TeacherOut, 404: Error}, tags=["教师"], summary="教师详情（最近一学年的任教记录）")
def get_teacher(request, teacher_id: int, full: bool = False):
    teacher = get_object_or_404(m.Teacher.objects.restrict(request.user), pk=teacher_id)
    qs = m.Posting.objects.restrict(request.user).filter(teacher=teacher).select_related("teacher", "school").order_by("-year__start")
    return _TeacherPage(qs, request, full)[0:1][0]


class _TeacherPage(_PupilPage):
    def __getitem__(self, item):
        rows = list(self.qs[item])
        full = _full(self.request, self.full, "教师", len(rows))
        return [
            TeacherOut(id=p.teacher.pk, id_number=p.teacher.id_number if full else mask_id(p.teacher.id_number),
                       name=p.teacher.name, sex=p.teacher.sex, birth_date=p.teacher.birth_date,
                       phone=p.teacher.phone if full else mask_phone(p.teacher.phone), school_code=p.school.code,
                       section=p.section, subject=p.subject, title=p.title)
            for p in rows
        ]
