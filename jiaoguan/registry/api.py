"""Registry endpoints (/api/schools, /api/classes, /api/pupils, /api/teachers): every queryset
starts from `.restrict(user)`, so another school's row is filtered out of a list and a 404 alone."""
from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from jiaoguan.core.api import Error, MaskedPage, full_view, year_or_current
from jiaoguan.core.idnumbers import mask_id, mask_phone, mask_student_no

from . import models as m

router = Router()


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


@router.get("/schools", response=list[SchoolOut], tags=["学校"], summary="学校列表")
@paginate(PageNumberPagination, page_size=100)
def list_schools(request, type: str | None = None, q: str | None = None):
    qs = m.School.objects.restrict(request.user).select_related("org_unit", "parent")
    if type:
        qs = qs.filter(type=type)
    if q:
        qs = qs.filter(name__contains=q)
    return qs


@router.get("/schools/{code}", response={200: SchoolOut, 404: Error}, tags=["学校"], summary="学校详情")
def get_school(request, code: str):
    return get_object_or_404(m.School.objects.restrict(request.user).select_related("org_unit", "parent"), code=code)


@router.get("/classes", response=list[ClassOut], tags=["班级"], summary="班级列表（含班额）")
@paginate(PageNumberPagination, page_size=100)
def list_classes(request, year: str | None = None, school: str | None = None):
    qs = m.class_sizes(m.SchoolClass.objects.restrict(request.user).filter(year=year_or_current(year)).select_related("school"))
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


def _teacher_out(p: m.Posting, full: bool) -> TeacherOut:
    return TeacherOut(id=p.teacher.pk, id_number=p.teacher.id_number if full else mask_id(p.teacher.id_number),
                      name=p.teacher.name, sex=p.teacher.sex, birth_date=p.teacher.birth_date,
                      phone=p.teacher.phone if full else mask_phone(p.teacher.phone), school_code=p.school.code,
                      section=p.section, subject=p.subject, title=p.title)


@router.get("/pupils", response=list[PupilOut], tags=["学生"], summary="学生列表（某学年的学籍）")
@paginate(PageNumberPagination, page_size=100)
def list_pupils(request, year: str | None = None, school: str | None = None, full: bool = False):
    qs = m.Enrolment.objects.restrict(request.user).filter(year=year_or_current(year)).select_related("pupil", "school").order_by("pk")
    if school:
        qs = qs.filter(school__code=school)
    return MaskedPage(qs, request, full, "学生", _pupil_out)


@router.get("/pupils/{pupil_id}", response={200: PupilOut, 404: Error}, tags=["学生"], summary="学生详情")
def get_pupil(request, pupil_id: int, full: bool = False):
    pupil = get_object_or_404(m.Pupil.objects.restrict(request.user), pk=pupil_id)
    e = m.Enrolment.objects.restrict(request.user).filter(pupil=pupil).select_related("pupil", "school").order_by("-year__start").first()
    return _pupil_out(e, full_view(request, full, "学生", 1))


@router.get("/teachers", response=list[TeacherOut], tags=["教师"], summary="教师列表（某学年的任教记录）")
@paginate(PageNumberPagination, page_size=100)
def list_teachers(request, year: str | None = None, school: str | None = None, full: bool = False):
    qs = m.Posting.objects.restrict(request.user).filter(year=year_or_current(year)).select_related("teacher", "school").order_by("pk")
    if school:
        qs = qs.filter(school__code=school)
    return MaskedPage(qs, request, full, "教师", _teacher_out)


@router.get("/teachers/{teacher_id}", response={200: TeacherOut, 404: Error}, tags=["教师"], summary="教师详情（最近一学年的任教记录）")
def get_teacher(request, teacher_id: int, full: bool = False):
    teacher = get_object_or_404(m.Teacher.objects.restrict(request.user), pk=teacher_id)
    qs = m.Posting.objects.restrict(request.user).filter(teacher=teacher).select_related("teacher", "school").order_by("-year__start")
    return MaskedPage(qs, request, full, "教师", _teacher_out)[0:1][0]
