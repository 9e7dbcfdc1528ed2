"""The workforce pages as the personnel office sees them, in headless Chromium (Debian's): the
overview with its age pyramid, the rotation plan, recording a move from the plan, the training
accounts and a teacher's file. Screenshots go to test-results/screenshots/staffing-*.png."""
import io

import pytest
from django.core.management import call_command

from tests.browser import MARKS, log_in, shot

pytestmark = MARKS


@pytest.fixture
def demo_county(transactional_db):
    call_command("demo", "--seed", "3", "--scale", "0.15", "--quiet", stdout=io.StringIO())


def test_personnel_office_works_through_the_year(live_server, demo_county, page):
    base = live_server.url
    log_in(page, base, "renshi")
    page.get_by_role("link", name="教师队伍").click()
    page.wait_for_url(f"{base}/staffing/")
    assert page.get_by_role("heading", name="湘潭县 · 教师队伍（2026-2027学年）").is_visible()
    assert page.locator(".kpi").filter(has_text="交流轮岗比例").is_visible()
    page.wait_for_selector("#pyramid canvas")
    total = page.locator("#pyr-total").inner_text()
    assert total.startswith("共 ") and "男" in total
    shot(page, "staffing-overview")
    page.select_option("#pyr-section", "primary")
    page.select_option("#pyr-location", "rural")
    assert page.locator("#pyr-total").inner_text() != total

    page.locator("nav.tabs").get_by_role("link", name="交流轮岗").click()
    page.wait_for_selector("h2#plan, h2:has-text('年度计划')")
    assert page.get_by_role("heading", name="年度计划").is_visible()
    assert page.get_by_role("heading", name="建议方案").is_visible()
    shot(page, "staffing-rotation-plan")

    # record the first line of the adopted plan not yet recorded
    first = page.locator("a[href*='?line=']").first
    first.click()
    page.wait_for_selector("text=按年度计划登记")
    name = page.locator(".alert.info").inner_text().split("：")[1].split("（")[0]
    page.get_by_label("交流方式").select_option(label="支教")
    assert page.get_by_label("开始日期").input_value() == "2026-09-01"
    page.get_by_label("结束日期").fill("2027-07-15")
    shot(page, "staffing-record")
    page.get_by_role("button", name="登记").click()
    page.wait_for_selector(".messages li.success, .alert.error, .errorlist")
    assert page.locator(".messages li.success").count(), page.locator(".alert.error, .errorlist").all_inner_texts()
    assert f"已登记：{name}" in page.locator(".messages").inner_text()

    page.locator("nav.tabs").get_by_role("link", name="培训学时").click()
    page.wait_for_selector("#hours-chart canvas")
    assert page.get_by_role("heading", name="学时账户").is_visible()
    shot(page, "staffing-training")
    page.locator("table.table a").first.click()
    page.wait_for_selector("text=一师一档")
    assert "********" in page.locator("dl.facts").inner_text()
    shot(page, "staffing-teacher")

    page.locator("nav.tabs").get_by_role("link", name="队伍结构").click()
    page.wait_for_selector("#pyramid canvas")
    shot(page, "staffing-structure")


def test_overview_on_a_phone(live_server, demo_county, browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/staffing/rotation/")
    assert page.get_by_text("登记交流轮岗").count() == 0  # leaders read
    page.goto(f"{live_server.url}/staffing/")
    page.wait_for_selector("#pyramid canvas")
    shot(page, "staffing-overview-phone")
    context.close()
