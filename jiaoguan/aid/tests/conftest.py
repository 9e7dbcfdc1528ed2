"""A hand-made county for aid tests: the shared test world (two townships, three schools, one
user per role) plus a rural junior school, a senior high, a vocational school, a kindergarten
and a 学生资助中心 user."""
from __future__ import annotations

import datetime

import pytest
from django.test import Client

from jiaoguan.core.models import Role, Section, User
from jiaoguan.registry import models as m
from tests.factories import PASSWORD, add_pupil, build_world


@pytest.fixture
def world(db):
    w = build_world()
    t1, t2, _t3 = w["townships"]
    w["junior"] = m.School.objects.create(code="4303210003", name="花石镇中学", org_unit=t2, type="junior", location="rural")
    w["senior"] = m.School.objects.create(code="4303210004", name="湘潭县第一中学", org_unit=t1, type="senior", location="urban")
    w["vocational"] = m.School.objects.create(code="4303210005", name="湘潭县职业中专", org_unit=t1, type="vocational", location="urban")
    w["kindergarten"] = m.School.objects.create(code="4303210006", name="花石镇中心幼儿园", org_unit=t2, type="kindergarten", location="town")
    w["private"] = m.School.objects.create(code="4303210007", name="花石镇民办实验小学", org_unit=t2, type="primary", location="town",
                                           ownership="private")
    w["users"]["zizhu"] = User.objects.create_user("zizhu", password=PASSWORD, role=Role.STAFF, section=Section.AID, org_unit=w["county"])
    w["users"]["zizhu_other"] = User.objects.create_user("zizhu_other", password=PASSWORD, role=Role.STAFF, section=Section.AID,
                                                         org_unit=w["townships"][2].parent)
    w["users"]["school_junior"] = User.objects.create_user("school_junior", password=PASSWORD, role=Role.SCHOOL_ADMIN, school=w["junior"])
    return w


_seq = iter(range(101, 999, 2))


def pupil(school, year, *, grade=3, name=None, seq=None, **flags):
    """A pupil enrolled in the school and year; flags are the Enrolment's (boarding, dibao…)."""
    seq = seq or next(_seq)
    birth = datetime.date(year.start.year - grade - 6, 3, 4) if grade > 0 else datetime.date(year.start.year - 5, 3, 4)
    return add_pupil(school, year, seq=seq, grade=grade, name=name or f"学生{seq}", birth=birth, cls="1班", **flags)


def login(username):
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def xlsx_upload(path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(path.name, path.read_bytes(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def read_xlsx(data: bytes):
    import fastexcel

    return fastexcel.read_excel(data).load_sheet(0, dtypes="string").to_polars()
