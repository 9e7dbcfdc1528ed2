"""Fixtures for the supervision pages: the demo county."""
import io

import pytest
from django.core.management import call_command


def make_demo():
    call_command("demo", "--seed", "5", "--scale", "0.05", "--quiet", "--registry-only", stdout=io.StringIO())


@pytest.fixture
def demo(db):
    from jiaoguan.core.models import OrgUnit, SchoolYear

    make_demo()
    return OrgUnit.objects.get(code="430321"), SchoolYear.current()


