"""学生资助 as the aid office and a school see it, in headless Chromium (Debian's, never a
downloaded one): the statistics with their chart, a school declaring its list, the office
reviewing a list and the conflicts, a disbursement batch; and the statistics on a phone.
Screenshots go to test-results/screenshots/aid-*.png."""
import io

import pytest
from django.core.management import call_command

from tests.browser import MARKS, log_in, shot

pytestmark = MARKS


@pytest.fixture
def demo_county(transactional_db):
    call_command("demo", "--seed", "5", "--scale", "0.05", "--quiet", stdout=io.StringIO())


def test_aid_office_reads_the_statistics_and_reviews_a_list(live_server, demo_county, page):
    from jiaoguan.aid.models import EntitlementList, ListStatus

    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(page, live_server.url, "zizhu")
    page.get_by_role("link", name="学生资助", exact=True).click()
    page.wait_for_selector("#aid-chart canvas")
    assert page.get_by_role("heading", name="湘潭县 · 学生资助统计").is_visible()
    assert page.locator("#programme-table tbody tr").count() > 0
    assert page.get_by_text("工作报告口径：").is_visible()
    page.select_option("#year-select", "2025-2026")
    page.wait_for_selector("#aid-chart canvas")
    assert "2025-2026学年（2025秋季、2026春季两个学期）" in page.locator(".subtitle").first.inner_text()
    shot(page, "aid-01-statistics")

    # an entitlement list waiting for review
    submitted = EntitlementList.objects.filter(term__code="2026秋季", status=ListStatus.SUBMITTED).order_by("pk").first()
    page.locator(".aid-tabs").get_by_role("link", name="资助名单").click()
    page.wait_for_url("**/aid/lists/**")
    page.locator(".chips a", has_text="待资助中心审核").click()
    page.wait_for_url("**status=submitted**")
    page.get_by_role("link", name=submitted.school.name).click()
    page.wait_for_selector("ol.steps")
    assert page.locator("ol.steps li.current").inner_text().startswith("资助中心审核")
    shot(page, "aid-02-list-review")
    for _ in range(5):  # planted conflicts: strike the lines out first
        if not page.get_by_role("button", name="审核通过").is_disabled():
            break
        assert page.get_by_text("条记录存在冲突").is_visible()
        page.goto(f"{live_server.url}/aid/lists/{submitted.pk}/?conflicts=1")
        page.locator("form[action*='/exclude/'] input[name=reason]").first.fill("学籍不在本校，核减")
        page.locator("form[action*='/exclude/'] button").first.click()
        page.wait_for_selector("text=已核减")
        page.goto(f"{live_server.url}/aid/lists/{submitted.pk}/")
    page.get_by_role("button", name="审核通过").click()
    page.wait_for_selector(".messages li")
    assert page.get_by_text("审核通过，请安排公示").is_visible(), page.locator(".messages").inner_text()
    assert page.locator(".aid-head .badge").inner_text() == "已审核待公示"
    page.get_by_role("button", name="公示").click()
    page.wait_for_selector("text=名单已公示")
    shot(page, "aid-03-list-published")

    page.locator(".aid-tabs").get_by_role("link", name="冲突检查").click()
    page.wait_for_selector("text=冲突记录")
    shot(page, "aid-04-conflicts")

    page.locator(".aid-tabs").get_by_role("link", name="发放批次").click()
    page.locator("table a").first.click()
    page.wait_for_selector("text=导出银行代发文件（.xlsx）")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出银行代发文件（.xlsx）").click()
    assert download.value.suggested_filename.startswith("资助代发_2026秋季-")
    shot(page, "aid-05-batch")
    assert errors == []


def test_a_school_declares_its_list(live_server, demo_county, page):
    log_in(page, live_server.url, "school")
    page.goto(f"{live_server.url}/aid/lists/")
    page.wait_for_selector("ol.steps")
    assert page.locator("ol.steps li.current").inner_text().startswith("学校申报")
    assert "住校" not in page.locator(".subtitle").first.inner_text()
    row_form = page.locator("form[action*='/object/']").first
    row_form.locator("input[name=reason]").fill("家庭经济状况好转，本人申请退出")
    row_form.locator("button").click()
    page.wait_for_selector(".badge-warn >> text=异议")
    shot(page, "aid-06-school-declares")
    page.get_by_role("button", name="确认无误，申报").click()
    page.wait_for_selector("text=名单已申报，等待学生资助中心审核")
    assert page.locator(".aid-head .badge").inner_text() == "待资助中心审核"
    page.locator(".aid-tabs").get_by_role("link", name="资助统计").click()
    page.wait_for_selector("h1")
    assert "学生资助统计" in page.locator("h1").inner_text()
    shot(page, "aid-07-school-statistics")


def test_statistics_on_a_phone(live_server, demo_county, browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/aid/")
    page.wait_for_selector("#aid-chart canvas")
    assert page.locator("#programme-table").is_visible()
    shot(page, "aid-08-statistics-phone")
    context.close()
