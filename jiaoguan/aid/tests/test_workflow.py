"""Lists generated from the registry, departments' lists and the school's 认定; the workflow
学校申报 → 资助中心审核 → 公示 → 发放, each step audited; refusals for the wrong role; conflicts
block approval until struck out."""
import datetime
from decimal import Decimal

import pytest

from jiaoguan.aid import actions, gather
from jiaoguan.aid.models import (Batch, Decision, Entitlement, EntitlementList, ListStatus, Origin, PaymentStatus, Term)
from jiaoguan.aid.permissions import AidDenied, AidError
from jiaoguan.core.models import AuditLog

from .helpers import PAY_DAY, lst, populate, term


@pytest.fixture
def county(world):
    world["pupils"] = populate(world)
    return world


def entries(pupil):
    return {e.programme: e for e in Entitlement.objects.filter(pupil=pupil)}


def test_lists_come_from_registry_flags_department_lists_and_recognition(county):
    p, users = county["pupils"], county["users"]
    result = actions.generate_lists(term(), user=users["zizhu"])
    assert result.lists_created == 4 and result.created > 0
    boarder = entries(p["boarder"])
    assert set(boarder) == {"boarding_subsidy"} and boarder["boarding_subsidy"].amount == Decimal("750.00")
    assert "低保（学籍登记）" in boarder["boarding_subsidy"].basis
    day = entries(p["day"])["nonboarding_subsidy"]
    assert day.amount == Decimal("375.00") and "民政部门低保名单" not in day.basis and "湘潭县民政局" in day.basis
    assert entries(p["orphan"])["nonboarding_subsidy"].amount == Decimal("312.50")
    recognised = entries(p["recognised"])["nonboarding_subsidy"]
    assert recognised.categories == "recognised" and "学校认定（比较困难，班级民主评议通过；父亲重病住院）" in recognised.basis
    assert entries(p["city"]) == {}
    assert set(entries(p["senior"])) == {"senior_grant", "senior_fee_waiver"}
    assert entries(p["kg"])["preschool_aid"].amount == Decimal("500.00")
    assert entries(p["left"]) == {}  # transferred out: nothing
    meals = Entitlement.objects.get(school=county["junior"], programme="nutrition")
    assert meals.pupil is None and meals.headcount == 3 and meals.amount == Decimal("1500.00")
    log = AuditLog.objects.get(action=AuditLog.Action.CREATE, object_type="资助名单")
    assert log.user == users["zizhu"] and log.row_count == result.created and log.detail["term"] == "2026秋季"


def test_regenerating_keeps_the_schools_decisions(county):
    users, p = county["users"], county["pupils"]
    actions.generate_lists(term(), user=users["zizhu"])
    e = entries(p["orphan"])["nonboarding_subsidy"]
    actions.decide_entry(e, user=users["school_a"], decision=Decision.OBJECTED, reason="已随父母转学外省")
    again = actions.generate_lists(term(), user=users["zizhu"])
    assert again.created == 0 and again.removed == 0 and again.kept > 0
    e.refresh_from_db()
    assert e.decision == Decision.OBJECTED and e.decision_reason == "已随父母转学外省"


@pytest.mark.parametrize("who", ["school_a", "leader", "jiaoji", "inspector"])
def test_only_the_aid_office_generates(county, who):
    with pytest.raises(AidDenied, match="只有学生资助中心可以生成资助名单"):
        actions.generate_lists(term(), user=county["users"][who])
    assert not EntitlementList.objects.exists()


def test_the_whole_workflow_with_its_audit_trail(county):
    users, p = county["users"], county["pupils"]
    actions.generate_lists(term(), user=users["zizhu"])
    junior = lst(county["junior"])
    # 学校申报: the school objects to one line with a reason and submits
    day = entries(p["day"])["nonboarding_subsidy"]
    with pytest.raises(AidError, match="提出异议必须填写理由"):
        actions.decide_entry(day, user=users["school_junior"], decision=Decision.OBJECTED, reason=" ")
    actions.decide_entry(day, user=users["school_junior"], decision=Decision.OBJECTED, reason="家庭经济状况好转，本人申请退出")
    assert actions.submit_list(junior, user=users["school_junior"]) == 2  # the boarder's line and the school's meals line
    junior.refresh_from_db()
    assert junior.status == ListStatus.SUBMITTED and junior.submitted_by == users["school_junior"]
    assert not junior.entries.filter(decision=Decision.PENDING).exists()
    with pytest.raises(AidError, match="学校已不能修改"):
        actions.decide_entry(day, user=users["school_junior"], decision=Decision.CONFIRMED)
    # 资助中心审核 → 公示
    actions.approve_list(junior, user=users["zizhu"])
    actions.publish_list(junior, user=users["zizhu"], days=5, today=datetime.date(2026, 10, 20))
    junior.refresh_from_db()
    assert junior.status == ListStatus.PUBLISHED and junior.publicity_until == datetime.date(2026, 10, 25)
    # 发放: not during the publicity period, then a batch
    with pytest.raises(AidError, match="1份名单公示期未满"):
        actions.create_batch(term(), user=users["zizhu"], today=datetime.date(2026, 10, 22))
    result = actions.create_batch(term(), user=users["zizhu"], today=PAY_DAY)
    batch = result.batch
    assert (batch.rows, batch.amount) == (1, Decimal("750.00"))                   # the boarder, by bank
    assert (batch.school_rows, batch.school_amount) == (1, Decimal("1500.00"))   # meals, to the school
    junior.refresh_from_db()
    assert junior.status == ListStatus.PAID
    assert entries(p["boarder"])["boarding_subsidy"].payment_status == PaymentStatus.PENDING
    assert Entitlement.objects.get(school=county["junior"], programme="nutrition").payment_status == PaymentStatus.PAID
    assert entries(p["day"])["nonboarding_subsidy"].payment_status == PaymentStatus.UNPAID  # objected: never paid
    steps = [log.detail.get("step") for log in AuditLog.objects.filter(object_id=str(junior.pk)).order_by("at", "id")]
    assert steps == ["学校申报", "资助中心审核", "公示"]
    assert AuditLog.objects.filter(object_id=str(batch.pk), detail__step="发放", row_count=2).exists()


def test_refusals_for_the_wrong_role_or_state(county):
    users = county["users"]
    actions.generate_lists(term(), user=users["zizhu"])
    junior, city = lst(county["junior"]), lst(county["schools"][0])
    e = junior.entries.first()
    with pytest.raises(AidDenied, match="只有花石镇中学的学校管理员或学生资助中心可以"):
        actions.decide_entry(e, user=users["school_a"], decision=Decision.CONFIRMED)
    with pytest.raises(AidDenied):
        actions.submit_list(junior, user=users["leader"])
    with pytest.raises(AidError, match="只有待审核的名单可以审核通过"):
        actions.approve_list(junior, user=users["zizhu"])
    actions.submit_list(junior, user=users["school_junior"])
    with pytest.raises(AidDenied, match="只有学生资助中心可以审核资助名单"):
        actions.approve_list(junior, user=users["school_junior"])
    with pytest.raises(AidDenied, match="不在您的管辖范围内"):
        actions.approve_list(junior, user=users["zizhu_other"])  # the aid office of another county
    with pytest.raises(AidError, match="审核通过后才能公示"):
        actions.publish_list(junior, user=users["zizhu"])
    with pytest.raises(AidError, match="退回须填写原因"):
        actions.return_list(junior, user=users["zizhu"], reason="")
    actions.return_list(junior, user=users["zizhu"], reason="请补充寄宿生证明")
    junior.refresh_from_db()
    assert junior.status == ListStatus.DRAFT and junior.returned_reason == "请补充寄宿生证明"
    with pytest.raises(AidError, match="没有可以发放的记录"):
        actions.create_batch(term(), user=users["zizhu"], today=PAY_DAY)
    with pytest.raises(AidDenied):
        actions.create_batch(term(), user=users["leader"], today=PAY_DAY)
    assert city.status == ListStatus.DRAFT and not Batch.objects.exists()


def test_a_conflict_blocks_approval_until_struck_out(county):
    users, p = county["users"], county["pupils"]
    actions.generate_lists(term(), user=users["zizhu"])
    city = lst(county["schools"][0])
    # school A also declares the junior school's day pupil (a school return)
    first = entries(p["day"])["nonboarding_subsidy"]
    Entitlement.objects.create(entitlement_list=city, term=term(), school=city.school, pupil=p["day"], enrolment=first.enrolment,
                               programme="nonboarding_subsidy", stage="junior", grade=7, amount=Decimal("375.00"),
                               origin=Origin.SCHOOL_RETURN, decision=Decision.CONFIRMED)
    kinds = {c.kind for c in gather.term_conflicts(term(), within=city.entries.all())}
    assert kinds == {"duplicate", "two_schools", "not_on_roll"}
    actions.submit_list(city, user=users["school_a"])
    with pytest.raises(AidError, match="1条记录存在冲突.*同一项目每学期只能享受一次"):
        actions.approve_list(city, user=users["zizhu"])
    line = city.entries.get(pupil=p["day"])
    with pytest.raises(AidError, match="核减须填写理由"):
        actions.exclude_entry(line, user=users["zizhu"], reason="")
    actions.exclude_entry(line, user=users["zizhu"], reason="学籍在花石镇中学，重复申报")
    actions.approve_list(city, user=users["zizhu"])
    city.refresh_from_db()
    assert city.status == ListStatus.APPROVED


def test_a_pupil_who_left_after_the_list_was_made_is_caught(county):
    users, p = county["users"], county["pupils"]
    actions.generate_lists(term(), user=users["zizhu"])
    enrolment = p["boarder"].enrolments.get()
    enrolment.status = "dropped_out"
    enrolment.save()
    junior = lst(county["junior"])
    actions.submit_list(junior, user=users["school_junior"])
    with pytest.raises(AidError, match="学籍状态为“辍学”"):
        actions.approve_list(junior, user=users["zizhu"])


def test_recognition_needs_evidence_and_the_right_school(county):
    users, p = county["users"], county["pupils"]
    enrolment = p["city"].enrolments.get()
    with pytest.raises(AidError, match="请写明认定依据和证据"):
        actions.recognise_pupil(enrolment, user=users["school_a"], level="difficult", evidence="困难")
    with pytest.raises(AidDenied):
        actions.recognise_pupil(enrolment, user=users["school_junior"], level="difficult", evidence="民主评议通过，母亲重病")
    rec = actions.recognise_pupil(enrolment, user=users["school_a"], level="special", evidence="民主评议通过，母亲重病")
    actions.generate_lists(term(), user=users["zizhu"])
    assert "特别困难，民主评议通过，母亲重病" in entries(p["city"])["nonboarding_subsidy"].basis
    assert AuditLog.objects.filter(object_type="学校认定", action=AuditLog.Action.CREATE, object_id=str(rec.pk)).exists()


def test_terms_belong_to_their_school_year(county):
    assert Term.for_code("2027春季").year == county["years"][1]
    assert Term.for_code("2025秋季").year == county["years"][0]
    with pytest.raises(ValueError, match="2030-2031学年，该学年尚未建立"):
        Term.for_code("2030秋季")
