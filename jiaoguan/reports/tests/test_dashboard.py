"""The dashboard: the county's figures with year-on-year change, cached until the data changes."""
import json
import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import PASSWORD, add_pupil, build_world


def test_dashboard_figures_cache_and_invalidation(db):
    w = build_world()
    a = w["schools"][0]
    for i in range(3):
        add_pupil(a, w["years"][1], seq=2 * i + 1)
    add_pupil(a, w["years"][0], seq=99)
    c = Client()
    c.login(username="leader", password=PASSWORD)
    page = c.get("/").content.decode()
    assert "湘潭县 · 2026-2027学年概览" in page
    assert "3人" in page and "比去年（1人）增加2人，增长200.0%" in page
    # the stage chart sets this year's pupils (grade 3: 小学) next to last year's
    chart = json.loads(re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    primary = chart["stages"]["labels"].index("小学")
    assert list(chart["stages"]["series"]) == ["2025-2026", "2026-2027"]
    assert chart["stages"]["series"]["2025-2026"][primary] == 1 and chart["stages"]["series"]["2026-2027"][primary] == 3
    with CaptureQueriesContext(connection) as warm:
        c.get("/")
    assert len(warm.captured_queries) < 12            # served from the cache
    add_pupil(a, w["years"][1], seq=51)               # a write bumps the data version
    assert "4人" in c.get("/").content.decode()


def test_school_admin_keeps_its_school_overview(db):
    build_world()
    c = Client()
    c.login(username="school_a", password=PASSWORD)
    assert "易俗河镇第一小学 · 2026-2027学年概览" in c.get("/").content.decode()
