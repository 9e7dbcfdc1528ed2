"""A small county term for the database tests: pupils of every stage with each source of
hardship evidence, and the steps that take a list from 学校申报 to 发放."""
from __future__ import annotations

import datetime

from jiaoguan.aid import actions
from jiaoguan.aid.models import BankAccount, DifficultyRecord, EntitlementList, ListKind, SchoolRecognition, Term

from .conftest import pupil


def populate(world) -> dict:
    year = world["years"][1]  # 2026-2027
    a, junior, senior, kg = world["schools"][0], world["junior"], world["senior"], world["kindergarten"]
    p = {
        "boarder": pupil(junior, year, grade=8, name="住校低保生", boarding=True, dibao=True),
        "day": pupil(junior, year, grade=7, name="走读名单生"),
        "plain": pupil(junior, year, grade=9, name="普通初中生"),
        "orphan": pupil(a, year, grade=2, name="城区孤儿"),
        "recognised": pupil(a, year, grade=4, name="认定困难生"),
        "city": pupil(a, year, grade=5, name="城区普通生"),
        "senior": pupil(senior, year, grade=11, name="高二脱贫生", registered_poor=True, boarding=True),
        "kg": pupil(kg, year, grade=-1, name="中班残疾儿童", disability="hearing"),
        "left": pupil(junior, year, grade=8, name="已转出学生", dibao=True, status="transferred_out"),
    }
    m_orphan = p["orphan"].enrolments.get()
    m_orphan.orphan = True
    m_orphan.save()
    DifficultyRecord.objects.create(pupil=p["day"], kind=ListKind.DIBAO, name_on_list="走读名单生", certificate_no="DB001",
                                    valid_from=datetime.date(2026, 1, 1), valid_to=datetime.date(2027, 12, 31),
                                    department="湘潭县民政局")
    SchoolRecognition.objects.create(pupil=p["recognised"], year=year, school=a, level="difficult",
                                     evidence="班级民主评议通过；父亲重病住院")
    for key in ("boarder", "day", "orphan", "recognised", "senior", "kg"):
        BankAccount.objects.create(pupil=p[key], holder=f"{p[key].name}家长", bank="湘潭农村商业银行",
                                   number=f"62140000{p[key].pk:011d}")
    return p


def term() -> Term:
    return Term.for_code("2026秋季")


def lst(school) -> EntitlementList:
    return EntitlementList.objects.get(term=term(), school=school)


def to_published(world, schools, *, office="zizhu") -> None:
    """Generate, submit (as the office), approve and publish the schools' lists."""
    users = world["users"]
    actions.generate_lists(term(), user=users[office])
    for school in schools:
        the_list = lst(school)
        actions.submit_list(the_list, user=users[office])
        actions.approve_list(the_list, user=users[office])
        actions.publish_list(the_list, user=users[office], days=5, today=datetime.date(2026, 10, 20))


PAY_DAY = datetime.date(2026, 11, 10)
