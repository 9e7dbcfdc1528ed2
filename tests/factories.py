"""Small hand-made worlds for tests: a county with two townships, three schools, users per role."""
from __future__ import annotations

import datetime

from jiaoguan.core.idnumbers import id_check_char
from jiaoguan.core.models import OrgUnit, Role, SchoolYear, Section, User
from jiaoguan.registry import models as m

PASSWORD = "Test@Passw0rd"


def make_id(area: str, birth: datetime.date, seq: int) -> str:
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)


def build_world():
    prov = OrgUnit.objects.create(code="43", name="湖南省", level="province")
    city = OrgUnit.objects.create(code="4303", name="湘潭市", level="city", parent=prov)
    county = OrgUnit.objects.create(code="430321", name="湘潭县", level="county", parent=city)
    other_county = OrgUnit.objects.create(code="430121", name="长沙县", level="county", parent=prov)
    t1 = OrgUnit.objects.create(code="430321100", name="易俗河镇", level="township", parent=county)
    t2 = OrgUnit.objects.create(code="430321101", name="花石镇", level="township", parent=county)
    t3 = OrgUnit.objects.create(code="430121100", name="星沙街道", level="township", parent=other_county)
    y1 = SchoolYear.objects.create(code="2025-2026", start=datetime.date(2025, 9, 1), end=datetime.date(2026, 8, 31))
    y2 = SchoolYear.objects.create(code="2026-2027", start=datetime.date(2026, 9, 1), end=datetime.date(2027, 8, 31), is_current=True)
    a = m.School.objects.create(code="4303210001", name="易俗河镇第一小学", org_unit=t1, type="primary", location="urban")
    b = m.School.objects.create(code="4303210002", name="花石镇中心小学", org_unit=t2, type="primary", location="town")
    c = m.School.objects.create(code="4301210001", name="星沙第一小学", org_unit=t3, type="primary", location="urban")
    users = {
        "admin": User.objects.create_user("admin", password=PASSWORD, role=Role.ADMIN, is_superuser=True, is_staff=True),
        "leader": User.objects.create_user("leader", password=PASSWORD, role=Role.LEADER, org_unit=county),
        "jiaoji": User.objects.create_user("jiaoji", password=PASSWORD, role=Role.STAFF, section=Section.BASIC, org_unit=county),
        "school_a": User.objects.create_user("school_a", password=PASSWORD, role=Role.SCHOOL_ADMIN, school=a),
        "school_b": User.objects.create_user("school_b", password=PASSWORD, role=Role.SCHOOL_ADMIN, school=b),
        "inspector": User.objects.create_user("inspector", password=PASSWORD, role=Role.INSPECTOR, org_unit=county),
    }
    users["inspector"].inspected_schools.add(b)
    return {"county": county, "townships": (t1, t2, t3), "years": (y1, y2), "schools": (a, b, c), "users": users}


def add_pupil(school, year, *, seq=1, grade=3, name="张三", birth=datetime.date(2018, 3, 4), cls="1班", **flags):
    idn = make_id("430321", birth, seq)
    pupil = m.Pupil.objects.create(student_no="G" + idn, id_number=idn, name=name, sex="男" if seq % 2 else "女",
                                   birth_date=birth, guardian_phone="13812345678")
    klass, _ = m.SchoolClass.objects.get_or_create(school=school, year=year, grade=grade, name=cls)
    m.Enrolment.objects.create(pupil=pupil, year=year, school=school, grade=grade, school_class=klass, **flags)
    return pupil
