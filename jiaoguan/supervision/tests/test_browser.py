"""督导评估 as 基础教育股 sees it, in headless Chromium (Debian's): open the county, compute, open
an indicator whose CV is over its limit, then a school's self-check; on a laptop and on a phone."""
import os
from pathlib import Path

import pytest

from .conftest import CHROMIUM, DEMO_PASSWORD, make_demo

SHOTS = Path(__file__).resolve().parents[3] / "test-results" / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM and not os.environ.get("CI"), reason="chromium not installed")]


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")


@pytest.fixture
def demo_county(transactional_db):
    make_demo()


def test_staff_computes_and_follows_a_failing_indicator(live_server, demo_county, page, browser):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server.url, "jiaoji")
    page.get_by_role("link", name="县域校际均衡").click()
    page.wait_for_url("**/supervision/430321/**")
    assert page.get_by_role("heading", name="湘潭县 · 义务教育校际均衡（2026-2027学年）").is_visible()
    assert page.get_by_text("还没有测算结果").is_visible()
    page.get_by_role("button", name="立即测算").click()
    page.wait_for_selector("text=已完成湘潭县")
    assert page.locator(".verdict").count() == 4
    assert page.get_by_role("button", name="重新测算").is_visible()
    shot(page, "sup-01-county")

    # an indicator whose CV is over its limit (or the first one if none is)
    failing = page.locator("#quality-2017-primary + .table-container tr.row-fail td:first-child a")
    link = failing.first if failing.count() else page.locator("#quality-2017-primary + .table-container td:first-child a").first
    name = link.inner_text()
    link.click()
    page.wait_for_selector("#school-chart canvas")
    assert page.get_by_role("heading", name=name, exact=True).is_visible()
    assert page.get_by_text("拉高差异系数的学校").is_visible()
    if failing.count():
        assert page.get_by_text("贪心算法给出的参考方案，不保证最少").is_visible()
    indicator_url = page.url
    shot(page, "sup-02-indicator")

    # a school's self-check from the table of all schools
    page.locator("table.sup-table td:first-child a").first.click()
    page.wait_for_url("**/supervision/school/**")
    assert page.get_by_text("均衡达标自查").first.is_visible()
    assert page.locator(".verdict-line").first.is_visible()
    shot(page, "sup-03-school")
    assert not errors, errors

    # the same indicator on a phone
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.on("pageerror", lambda e: errors.append(str(e)))
    log_in(phone, live_server.url, "jiaoji")
    phone.goto(indicator_url)
    phone.wait_for_selector("#school-chart canvas")
    box = phone.locator("#school-chart").bounding_box()
    assert box["width"] <= 390 and box["x"] >= 0   # the chart fits the screen
    shot(phone, "sup-04-indicator-phone")
    phone.goto(f"{live_server.url}/supervision/")
    shot(phone, "sup-05-county-phone")
    context.close()
    assert not errors, errors
