"""A hand-made county for the workforce tests (tests.factories.build_world plus a 人事股 user and
teachers with postings)."""
import datetime
import itertools

import pytest

from jiaoguan.core.models import Role, Section, User
from jiaoguan.registry import models as m
from tests.factories import PASSWORD, build_world, make_id

_seq = itertools.count(1)


def add_teacher(school, year, *, name=None, sex="男", birth=datetime.date(1980, 5, 1), since=None, subject="chinese",
                section="primary", backbone="", staffing="established", title="second", work_start=None, role="专任教师"):
    """A teacher with one posting; the ID number is valid and unique."""
    n = next(_seq)
    seq = (2 * n + 1) % 1000 if sex == "男" else (2 * n + 2) % 1000
    teacher = m.Teacher.objects.create(id_number=make_id("430321", birth, seq), name=name or f"教师{n:03d}", sex=sex,
                                       birth_date=birth, phone="13912345678", work_start=work_start)
    add_posting(teacher, school, year, since=since, subject=subject, section=section, backbone=backbone,
                staffing=staffing, title=title, role=role)
    return teacher


def add_posting(teacher, school, year, *, since=None, subject="chinese", section="primary", backbone="",
                staffing="established", title="second", role="专任教师"):
    return m.Posting.objects.create(teacher=teacher, year=year, school=school, section=section, subject=subject,
                                    education="bachelor", title=title, backbone=backbone, staffing=staffing,
                                    at_school_since=since, role=role)


def add_pupils(school, year, n, grade=3):
    """n pupils on roll (no ID numbers needed for counting)."""
    klass, _ = m.SchoolClass.objects.get_or_create(school=school, year=year, grade=grade, name="1班")
    base = m.Pupil.objects.count()
    pupils = m.Pupil.objects.bulk_create([
        m.Pupil(student_no=f"L430321{base + i:012d}", name=f"学生{base + i}", sex="男", birth_date=datetime.date(2017, 1, 1))
        for i in range(n)])
    m.Enrolment.objects.bulk_create([m.Enrolment(pupil=p, year=year, school=school, grade=grade, school_class=klass) for p in pupils])


@pytest.fixture
def world(db):
    w = build_world()
    county = w["county"]
    w["users"]["renshi"] = User.objects.create_user("renshi", password=PASSWORD, role=Role.STAFF, section=Section.PERSONNEL,
                                                    org_unit=county, last_name="陈", first_name="卫东")
    return w


