"""督导评估 as 基础教育股 sees it, in headless Chromium (Debian's): open the county, compute, open
an indicator whose CV is over its limit, then a school's self-check; on a laptop and on a phone."""

import pytest

from tests.browser import MARKS, log_in, shot

from .conftest import make_demo

pytestmark = MARKS


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
