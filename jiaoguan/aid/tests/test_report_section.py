"""The aid report section quotes the amounts actually paid (aid stats for the whole database)."""
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from jiaoguan.aid.stats import totals
from jiaoguan.core.models import OrgUnit, SchoolYear
from jiaoguan.reports.builder import build


@pytest.mark.django_db
def test_aid_section_equals_paid_totals():
    call_command("demo", "--seed", "2", "--scale", "0.05", "--quiet", stdout=io.StringIO())
    county = OrgUnit.objects.get(code="430321")
    year = SchoolYear.objects.get(code="2025-2026")
    s = next(x for x in build(county, year).sections if x.id == "aid_paid")
    assert s.figures["aid_total"].value == pytest.approx(float(totals(None, year)["amount"] or Decimal(0)))
    assert "全年发放资助资金" in s.paragraphs[0]
