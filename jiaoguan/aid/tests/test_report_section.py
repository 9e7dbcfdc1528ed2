"""The aid report section quotes the amounts actually paid (aid stats for the whole database)."""
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from jiaoguan.aid.stats import paid_seasons, totals
from jiaoguan.core.models import OrgUnit, SchoolYear
from jiaoguan.reports.base import yoy
from jiaoguan.reports.builder import build


@pytest.mark.django_db
def test_aid_section_equals_paid_totals():
    call_command("demo", "--seed", "2", "--scale", "0.05", "--quiet", stdout=io.StringIO())
    county = OrgUnit.objects.get(code="430321")
    year = SchoolYear.objects.get(code="2025-2026")
    s = next(x for x in build(county, year).sections if x.id == "aid_paid")
    assert s.figures["aid_total"].value == pytest.approx(float(totals(None, year)["amount"] or Decimal(0)))
    assert "全年发放资助资金" in s.paragraphs[0]
    assert s.previous.than == "去年"  # a whole year paid: compared with the whole of the year before

    # 2026-2027 is under way (秋季 paid, 春季 not yet): its aid is compared with 秋季 2025 alone
    now = SchoolYear.objects.get(code="2026-2027")
    assert paid_seasons(None, now) == {"autumn"}
    s = next(x for x in build(county, now).sections if x.id == "aid_paid")
    assert s.figures["aid_total"].value == pytest.approx(float(totals(None, now)["amount"]))
    autumn_before = float(totals(None, year, seasons={"autumn"})["amount"])
    assert autumn_before < float(totals(None, year)["amount"])
    assert s.previous.than == "去年同期" and s.previous["aid_total"].value == pytest.approx(autumn_before)
    assert "本学年秋季学期已发放资助资金" in s.paragraphs[0]
    phrase = yoy(s.figures["aid_total"].value, s.previous["aid_total"].value, "万元", 2, than=s.previous.than)
    assert phrase.startswith(f"比去年同期（{autumn_before / 10000:,.2f}万元）")
