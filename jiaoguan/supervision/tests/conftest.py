"""Fixtures for the supervision pages: the demo county, and Debian's Chromium for browser tests
(the same launch arguments as tests/test_browser.py)."""
import io
import os
import shutil

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
DEMO_PASSWORD = "Jiaoguan@2026"


def make_demo():
    call_command("demo", "--seed", "5", "--scale", "0.05", "--quiet", "--registry-only", stdout=io.StringIO())


@pytest.fixture
def demo(db):
    from jiaoguan.core.models import OrgUnit, SchoolYear

    make_demo()
    return OrgUnit.objects.get(code="430321"), SchoolYear.current()


