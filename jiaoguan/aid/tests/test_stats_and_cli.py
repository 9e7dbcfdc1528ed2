"""Statistics as the work reports give them (万元, year on year), loans up to the limit, and
`jiaoguan aid stats --year YYYY --format json|table`."""
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from jiaoguan.aid import actions, stats
from jiaoguan.aid.models import BankAccount, Entitlement, LoanStatus, PaymentStatus, Term
from jiaoguan.aid.permissions import AidDenied, AidError
from jiaoguan.core.models import SchoolYear

from .conftest import pupil
from .helpers import populate, term


def pay_everything(world, the_term):
    users = world["users"]
    actions.generate_lists(the_term, user=users["zizhu"])
    for the_list in the_term.lists.all():
        actions.submit_list(the_list, user=users["zizhu"])
        actions.approve_list(the_list, user=users["zizhu"])
        actions.publish_list(the_list, user=users["zizhu"], days=5, today=the_term.key.start)
    for pupil_id in Entitlement.objects.filter(term=the_term, pupil__isnull=False).values_list("pupil", flat=True):
        BankAccount.objects.get_or_create(pupil_id=pupil_id, defaults={"holder": "家长", "bank": "中国农业银行",
                                                                        "number": f"6228{pupil_id:015d}"})
    actions.create_batch(the_term, user=users["zizhu"], today=the_term.key.start + datetime.timedelta(days=60))
    Entitlement.objects.filter(term=the_term, payment_status=PaymentStatus.PENDING).update(payment_status=PaymentStatus.PAID)


@pytest.fixture
def paid_county(world):
    world["pupils"] = populate(world)
    pay_everything(world, term())
    return world


def run_cli(*args):
    out = io.StringIO()
    call_command("aid", "stats", *args, stdout=out)
    return out.getvalue()


def test_wan_uses_two_to_four_decimals():
    assert stats.wan(820300) == "82.03"
    assert stats.wan(1771937.5) == "177.1938"
    assert stats.wan(1621750) == "162.175"
    assert stats.wan(12345678) == "1,234.5678"
    assert stats.wan(0) == "0.00"


def test_programme_rows_count_pupils_and_amounts_actually_paid(paid_county):
    year = paid_county["years"][1]
    rows = {(r["id"], r["stage"]): r for r in stats.programme_rows(None, year)}
    assert (rows[("boarding_subsidy", "junior")]["pupils"], rows[("boarding_subsidy", "junior")]["amount"]) == (1, Decimal("750.00"))
    assert rows[("nonboarding_subsidy", "primary")]["pupils"] == 2 and rows[("nonboarding_subsidy", "junior")]["pupils"] == 1
    assert rows[("nutrition", "junior")]["pupils"] == 3 and rows[("nutrition", "junior")]["amount"] == Decimal("1500.00")
    assert rows[("senior_grant", "senior")]["standard"] == Decimal("2300.00")
    totals = stats.totals(None, year)
    assert totals["pupils"] == 6 and totals["school_pupils"] == 3
    assert "义务教育阶段发放寄宿生生活补助1人，金额0.075万元" in stats.report_sentence(list(rows.values()), year)


def test_the_cli_prints_json(paid_county):
    data = json.loads(run_cli("--year", "2026", "--format", "json"))
    assert data["year"] == 2026
    first = data["programmes"][0]
    assert set(first) >= {"id", "name", "stage", "pupils", "amount_yuan", "per_pupil_standard_yuan"}
    boarding = next(p for p in data["programmes"] if p["id"] == "boarding_subsidy")
    assert boarding == {"id": "boarding_subsidy", "name": "义务教育家庭经济困难寄宿生生活补助", "stage": "junior", "pupils": 1,
                        "amount_yuan": 750.0, "per_pupil_standard_yuan": 1500.0}
    assert {p["id"] for p in data["programmes"]} == {"boarding_subsidy", "nonboarding_subsidy", "nutrition", "senior_grant",
                                                     "senior_fee_waiver", "preschool_aid"}


def test_the_cli_prints_a_table_and_refuses_unknown_years(paid_county):
    table = run_cli("--year", "2026", "--format", "table")
    assert "2026-2027学年学生资助实际发放情况" in table and "义务教育家庭经济困难寄宿生生活补助" in table and "0.075" in table
    with pytest.raises(CommandError, match="2031-2032学年不存在"):
        run_cli("--year", "2031")
    assert json.loads(run_cli("--year", "2025"))["programmes"] == []  # nothing paid that year


def test_a_2023_term_is_paid_at_the_2023_amount(world):
    old = SchoolYear.objects.create(code="2023-2024", start=datetime.date(2023, 9, 1), end=datetime.date(2024, 8, 31))
    boarder = pupil(world["junior"], old, grade=8, boarding=True, tekun=True)
    pay_everything(world, Term.for_code("2023秋季"))
    line = Entitlement.objects.get(pupil=boarder, programme="boarding_subsidy")
    assert line.amount == Decimal("625.00") and "（自2011秋季起）" in line.basis
    rows = {(r["id"], r["stage"]): r for r in stats.programme_rows(None, old)}
    assert rows[("boarding_subsidy", "junior")]["amount"] == Decimal("625.00")
    assert rows[("nutrition", "junior")]["standard"] == Decimal("1000.00")
    data = json.loads(run_cli("--year", "2023"))
    assert next(p for p in data["programmes"] if p["id"] == "boarding_subsidy")["per_pupil_standard_yuan"] == 1375.0  # 625 + 750


def test_year_on_year(world):
    populate(world)
    pay_everything(world, term())
    previous = world["years"][0]
    boarder = pupil(world["junior"], previous, grade=7, boarding=True, dibao=True)
    pay_everything(world, Term.for_code("2025秋季"))
    rows = stats.with_previous(stats.programme_rows(None, world["years"][1]), stats.programme_rows(None, previous))
    junior = next(r for r in rows if r["id"] == "boarding_subsidy" and r["stage"] == "junior")
    assert junior["prev_pupils"] == 1 and junior["prev_amount"] == Decimal("750.00") and junior["change"] == 0.0
    assert boarder


def test_loans_up_to_the_limit(paid_county):
    users, senior = paid_county["users"], paid_county["pupils"]["senior"]
    year = paid_county["years"][1]
    with pytest.raises(AidError, match="贷款金额25000元超过2026-2027学年每人每年最高20000元的标准"):
        actions.record_loan(senior, year, user=users["zizhu"], university="湘潭大学", amount="25000")
    with pytest.raises(AidDenied):
        actions.record_loan(senior, year, user=users["school_a"], university="湘潭大学", amount="8000")
    actions.record_loan(senior, year, user=users["zizhu"], university="湘潭大学", amount="12000", status=LoanStatus.GRANTED)
    data = json.loads(run_cli("--year", "2026"))
    loan = next(p for p in data["programmes"] if p["id"] == "student_loan")
    assert loan == {"id": "student_loan", "name": "生源地信用助学贷款", "stage": "higher", "pupils": 1, "amount_yuan": 12000.0,
                    "per_pupil_standard_yuan": 20000.0}
    assert stats.totals(None, year)["amount"] == Decimal(
        sum(Entitlement.objects.filter(payment_status="paid").values_list("amount", flat=True)))  # loans not in the grant total
