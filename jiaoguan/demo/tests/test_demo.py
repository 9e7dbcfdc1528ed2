"""The demo county generator, at a tiny scale (a few schools, a few hundred pupils)."""
from __future__ import annotations

import io

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client

from jiaoguan.core import idnumbers
from jiaoguan.core.models import OrgUnit, SchoolYear, User
from jiaoguan.demo.generator import PASSWORD, demo_accounts, generate
from jiaoguan.registry import models as m

SCALE = 0.02


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db):
    return generate(seed=1, scale=SCALE)


def wipe():
    """Remove everything the generator wrote (PROTECT foreign keys: children first)."""
    User.objects.all().delete()
    m.Enrolment.objects.all().delete()
    m.Posting.objects.all().delete()
    m.SchoolClass.objects.all().delete()
    m.SchoolFacts.objects.all().delete()
    m.Pupil.objects.all().delete()
    m.Teacher.objects.all().delete()
    m.School.objects.filter(parent__isnull=False).delete()
    m.School.objects.all().delete()
    SchoolYear.objects.all().delete()
    for unit in sorted(OrgUnit.objects.all(), key=lambda u: -len(u.path)):
        unit.delete()


def snapshot():
    return {
        "pupils": list(m.Pupil.objects.order_by("student_no").values_list("student_no", "id_number", "name", "birth_date")[:30]),
        "schools": list(m.School.objects.order_by("code").values_list("code", "name", "type", "location")),
        "teachers": list(m.Teacher.objects.order_by("id_number").values_list("id_number", "name")[:30]),
        "enrolments": m.Enrolment.objects.count(),
        "classes": m.SchoolClass.objects.count(),
    }


@pytest.mark.django_db
def test_same_seed_same_data_other_seed_other_data():
    generate(seed=7, scale=SCALE)
    first = snapshot()
    assert first["pupils"] and first["schools"] and first["teachers"]
    wipe()
    generate(seed=7, scale=SCALE)
    assert snapshot() == first
    wipe()
    generate(seed=8, scale=SCALE)
    other = snapshot()
    assert other["pupils"] != first["pupils"]
    assert {p[1] for p in other["pupils"]} != {p[1] for p in first["pupils"]}


@pytest.mark.django_db
def test_pupil_ids_are_valid_unique_and_match_sex_and_birth(demo):
    rows = list(m.Pupil.objects.values_list("id_number", "student_no", "sex", "birth_date", "initials", "guardian_phone"))
    assert len(rows) > 200
    ids = [r[0] for r in rows if r[0]]
    assert len(ids) == len(set(ids))
    assert len(ids) > 0.9 * len(rows)
    for idn, sno, sex, birth, initials, phone in rows:
        assert initials
        assert idnumbers.check_phone(phone) is None and len(phone) == 11
        assert idnumbers.check_student_no(sno, id_number=idn) is None, sno
        if idn:
            assert idnumbers.check_id_number(idn) is None, idn
            assert idnumbers.id_sex(idn) == sex
            assert idnumbers.id_birth_date(idn) == birth
            assert sno == "G" + idn
    for idn, sex in m.Teacher.objects.values_list("id_number", "sex"):
        assert idnumbers.check_id_number(idn) is None, idn
        assert idnumbers.id_sex(idn) == sex


@pytest.mark.django_db
def test_one_enrolment_per_pupil_and_year_and_cohorts_move_up(demo):
    dupes = m.Enrolment.objects.values("pupil", "year").annotate(n=Count("id")).filter(n__gt=1)
    assert not dupes.exists()
    assert not m.Pupil.objects.filter(enrolments__isnull=True).exists()
    years = list(SchoolYear.objects.order_by("start"))
    last = dict((p, (s, g)) for p, s, g in m.Enrolment.objects.filter(year=years[1]).values_list("pupil", "school", "grade"))
    moved_up = same_school = 0
    for p, s, g in m.Enrolment.objects.filter(year=years[2], status__in=m.ON_ROLL).values_list("pupil", "school", "grade"):
        if p in last:
            assert last[p][1] in (g, g - 1)  # moved up a grade, or back after 休学
            moved_up += last[p][1] == g - 1
            same_school += last[p] == (s, g - 1)
    assert moved_up > 0.5 * m.Enrolment.objects.filter(year=years[2]).count()
    assert same_school > 0.5 * moved_up
    # every enrolment sits in a class of its school, year and grade
    assert not m.Enrolment.objects.filter(school_class__isnull=True).exists()
    for e in m.Enrolment.objects.select_related("school_class")[:300]:
        assert (e.school_class.school_id, e.school_class.year_id, e.school_class.grade) == (e.school_id, e.year_id, e.grade)
        assert e.school_class.name.endswith("班")


@pytest.mark.django_db
def test_structure_schools_and_teaching_points(demo):
    county = OrgUnit.objects.get(code="430321")
    assert (county.name, county.level, county.path) == ("湘潭县", "county", "/43/4303/430321/")
    assert OrgUnit.objects.get(code="43").level == "province"
    assert OrgUnit.objects.get(code="4303").level == "city"
    townships = OrgUnit.objects.filter(level="township")
    assert townships.exists()
    assert all(len(t.code) == 9 and t.code.startswith("430321") and t.parent_id == county.pk for t in townships)
    codes = list(m.School.objects.values_list("code", flat=True))
    assert all(idnumbers.check_school_code(c) is None for c in codes) and len(codes) == len(set(codes))
    assert all(m.School.objects.values_list("initials", flat=True))
    points = m.School.objects.filter(type="teaching_point")
    assert points.exists()
    for tp in points.select_related("parent"):
        assert tp.parent is not None
        assert tp.parent.org_unit_id == tp.org_unit_id
        assert tp.parent.type == "primary"
    assert m.School.objects.filter(type="primary", location="urban").exists()
    assert m.SchoolFacts.objects.count() == 3 * m.School.objects.count()
    assert m.Posting.objects.values("teacher", "year", "section").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    # an urban primary school has 大班额 classes
    sizes = m.class_sizes(m.SchoolClass.objects.filter(school__location="urban", school__type="primary"))
    assert sizes.filter(size__gte=56).exists()


@pytest.mark.django_db
def test_three_school_years_one_current(demo):
    years = list(SchoolYear.objects.order_by("start").values_list("code", "start", "end", "is_current"))
    assert [y[0] for y in years] == ["2024-2025", "2025-2026", "2026-2027"]
    assert [y[3] for y in years] == [False, False, True]
    assert all(y[1].month == 9 and y[1].day == 1 and y[2].year == y[1].year + 1 and (y[2].month, y[2].day) == (8, 31) for y in years)
    for year in SchoolYear.objects.all():
        assert m.Enrolment.objects.filter(year=year, status__in=m.ON_ROLL).exists()
        assert m.Posting.objects.filter(year=year).exists()


@pytest.mark.django_db
def test_demo_accounts_exist_and_log_in(demo):
    accounts = demo_accounts()
    assert [a["username"] for a in accounts] == ["admin", "leader", "jiaoji", "zizhu", "renshi", "dudao", "school"]
    for a in accounts:
        assert a["password"] == PASSWORD
        user = User.objects.get(username=a["username"])
        assert user.last_name and user.first_name
        validate_password(PASSWORD, user)
        assert Client().login(username=a["username"], password=PASSWORD), a["username"]
    county = OrgUnit.objects.get(code="430321")
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.role == "admin"
    assert User.objects.get(username="leader").org_unit == county
    assert (User.objects.get(username="jiaoji").section, User.objects.get(username="zizhu").section,
            User.objects.get(username="renshi").section) == ("basic", "aid", "personnel")
    assert User.objects.get(username="dudao").inspected_schools.exists()
    school = User.objects.get(username="school").school
    assert school.type == "primary" and school.location == "urban"
    assert next(a for a in accounts if a["username"] == "school")["scope"] == school.name


@pytest.mark.django_db
def test_command_if_empty_does_nothing_the_second_time():
    out = io.StringIO()
    call_command("demo", "--seed", "3", "--scale", str(SCALE), "--quiet", stdout=out)
    assert "Jiaoguan@2026" not in out.getvalue()  # --quiet: nothing but errors
    counts = (m.School.objects.count(), m.Pupil.objects.count(), m.Enrolment.objects.count(), User.objects.count())
    assert counts[0] > 0
    out = io.StringIO()
    call_command("demo", "--seed", "4", "--scale", str(SCALE), "--if-empty", stdout=out)
    assert "未生成" in out.getvalue()
    assert "Jiaoguan@2026" in out.getvalue() and "局领导" in out.getvalue()  # the log-ins, for `make run`
    assert (m.School.objects.count(), m.Pupil.objects.count(), m.Enrolment.objects.count(), User.objects.count()) == counts
    with pytest.raises(CommandError):
        call_command("demo", "--seed", "4", "--scale", str(SCALE), stdout=io.StringIO())


@pytest.mark.django_db
def test_more_counties():
    generate(seed=2, counties=2, scale=SCALE)
    assert set(OrgUnit.objects.filter(level="county").values_list("code", flat=True)) == {"430321", "430121"}
    assert OrgUnit.objects.get(code="430121").parent.code == "4301"
    assert m.School.objects.filter(org_unit__parent__code="430121").exists()
