"""The demo county's aid: every kind of record present, deterministic for the seed, and figures
of the size the work reports give."""
import io
import json

import pytest
from django.core.management import call_command
from django.db.models import Sum

from jiaoguan.aid import demo_data, gather
from jiaoguan.aid.models import (BankAccount, Batch, DifficultyRecord, Entitlement, EntitlementList, ListStatus, LoanApplication,
                                 Payment, SchoolRecognition, Term)
from jiaoguan.core.models import SchoolYear


def fingerprint():
    return (
        list(Entitlement.objects.values_list("term__code", "programme").annotate(n=Sum("headcount"), s=Sum("amount"))
             .order_by("term__code", "programme")),
        list(EntitlementList.objects.values_list("term__code", "school__code", "status").order_by("term__code", "school__code")),
        Payment.objects.filter(result="failed").count(), DifficultyRecord.objects.count(), SchoolRecognition.objects.count(),
        LoanApplication.objects.aggregate(s=Sum("amount"))["s"],
    )


@pytest.fixture
def demo(db):
    call_command("demo", "--seed", "4", "--scale", "0.05", "--quiet", stdout=io.StringIO())


def test_demo_has_every_kind_of_aid_record_and_is_deterministic(demo):
    terms = list(Term.objects.order_by("index").values_list("code", flat=True))
    assert terms == ["2024秋季", "2025春季", "2025秋季", "2026春季", "2026秋季"]
    assert DifficultyRecord.objects.exists() and SchoolRecognition.objects.exists()
    # the tiny county (scale 0.05) has no senior high or vocational school, so no aid for them and no loans
    assert set(Entitlement.objects.values_list("programme", flat=True)) >= {
        "boarding_subsidy", "nonboarding_subsidy", "nutrition", "preschool_aid"}
    # past terms are paid; this term still has lists being declared, reviewed or in publicity
    assert not EntitlementList.objects.filter(term__code="2025秋季").exclude(status=ListStatus.PAID).exists()
    current = EntitlementList.objects.filter(term__code="2026秋季")
    assert current.filter(status=ListStatus.PAID).exists() and current.exclude(status=ListStatus.PAID).exists()
    assert Batch.objects.filter(reissue=True).exists() and Payment.objects.filter(result="failed").exists()
    assert BankAccount.objects.count() >= Entitlement.objects.filter(programme="boarding_subsidy").values("pupil").distinct().count()
    # nothing in a paid list is left in conflict
    paid = Entitlement.objects.filter(entitlement_list__status=ListStatus.PAID)
    for code in ("2024秋季", "2025秋季"):
        assert gather.term_conflicts(Term.objects.get(code=code), within=paid) == []
    before = fingerprint()
    for model in (Payment, Entitlement, Batch, EntitlementList, LoanApplication, BankAccount, SchoolRecognition, DifficultyRecord):
        model.objects.all().delete()
    demo_data.populate(seed=4)
    assert fingerprint() == before


def test_demo_figures_and_the_cli(demo):
    out = io.StringIO()
    year = SchoolYear.objects.get(code="2025-2026")
    call_command("aid", "stats", "--year", str(year.start.year), "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    by_id = {}
    for p in data["programmes"]:
        by_id.setdefault(p["id"], []).append(p)
    assert set(by_id) >= {"boarding_subsidy", "nonboarding_subsidy", "nutrition", "preschool_aid"}
    boarding = sum(p["amount_yuan"] for p in by_id["boarding_subsidy"])
    boarders = sum(p["pupils"] for p in by_id["boarding_subsidy"])
    assert 0 < boarding <= boarders * 1500
