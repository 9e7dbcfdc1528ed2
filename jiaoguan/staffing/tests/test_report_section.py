"""The workforce report section on the demo county: figures equal the staffing statistics."""
import io

import pytest
from django.core.management import call_command

from jiaoguan.core.models import OrgUnit, SchoolYear
from jiaoguan.registry.models import School
from jiaoguan.reports.builder import build
from jiaoguan.staffing.figures import staffing_stats


@pytest.mark.django_db
def test_section_quotes_the_statistics():
    call_command("demo", "--seed", "2", "--scale", "0.05", "--quiet", stdout=io.StringIO())
    county, year = OrgUnit.objects.get(code="430321"), SchoolYear.current()
    stats = staffing_stats(year, School.objects.filter(org_unit__path__startswith=county.path))
    s = next(x for x in build(county, year).sections if x.id == "staffing_workforce")
    assert s.figures["rotated"].value == stats["rotation"]["rotated"]
    assert s.figures["rotation_share"].value == stats["rotation"]["share"]
    assert f"交流轮岗{stats['rotation']['rotated']:,}人" in s.paragraphs[0]
