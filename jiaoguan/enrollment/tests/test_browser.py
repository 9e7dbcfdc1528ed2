"""The enrolment flows in headless Chromium (Debian's): a parent at phone size (log in with an
SMS code, apply, follow the status, upload a document) and the lottery ceremony at desktop size.
Screenshots go to test-results/screenshots/enrol-*.png."""
import csv
import io
import re

import pytest

from jiaoguan.enrollment import actions, lottery, sms
from jiaoguan.enrollment.models import Application, Campaign
from tests.browser import MARKS, shot
from tests.factories import PASSWORD

from .helpers import child, guardian, make_campaign, records

pytestmark = MARKS


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.SMS_BACKEND = "jiaoguan.enrollment.sms.LocmemBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ENROLLMENT_SHOW_SMS_CODE = True
    sms.LocmemBackend.outbox.clear()


def test_parent_applies_on_a_phone(live_server, transactional_db, browser):
    camp = make_campaign()
    records(0, hukou="湘潭县易俗河镇金霞小区3栋2单元", prop="湘潭县易俗河镇金霞小区3栋2单元")
    records(1, hukou="湘潭县花石镇花石村5组")
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/ruxue/")
    assert "/ruxue/login/" in page.url
    page.get_by_label("手机号").fill("13800138000")
    page.get_by_role("button", name="获取验证码").click()
    code = page.locator("#demo-code").inner_text()
    assert re.fullmatch(r"\d{6}", code)
    shot(page, "enrol-01-parent-login")
    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/ruxue/")
    page.get_by_role("link", name="开始报名").click()
    page.get_by_label("儿童身份证号").fill(child(0))
    page.get_by_label("儿童姓名").fill("王小明")
    page.get_by_label("监护人姓名").fill("王建国")
    page.get_by_label("与儿童关系").select_option("父亲")
    page.get_by_label("监护人身份证号").fill(guardian(0))
    page.get_by_label("房产地址").fill("湘潭县易俗河镇金霞小区3栋2单元")
    page.get_by_label("房产地址").blur()
    page.wait_for_selector("#lookup-property_address:has-text('易俗河镇第一小学')")
    page.get_by_label("博雅民办小学").check()
    page.locator("input[name=promise]").check()
    shot(page, "enrol-02-parent-form")
    page.get_by_role("button", name="提交报名").click()
    page.wait_for_url(re.compile(r".*/ruxue/a/.+/\?new=1"))
    page.reload()
    assert page.get_by_text("资格审核通过").first.is_visible()
    assert page.get_by_text("已核验：户籍地址：湘潭县易俗河镇金霞小区3栋2单元").is_visible()
    shot(page, "enrol-03-parent-status")
    # a second child whose self-built house the property register does not know
    page.goto(f"{live_server.url}/ruxue/apply/{camp['campaign'].pk}/")
    page.get_by_label("儿童身份证号").fill(child(1))
    page.get_by_label("儿童姓名").fill("王小红")
    page.get_by_label("监护人姓名").fill("王建国")
    page.get_by_label("监护人身份证号").fill(guardian(1))
    page.get_by_label("房产地址").fill("湘潭县花石镇花石村5组12号")
    page.locator("input[name=promise]").check()
    page.get_by_role("button", name="提交报名").click()
    page.wait_for_url(re.compile(r".*/ruxue/a/.+/\?new=1"))
    page.reload()
    assert page.get_by_text("需要补充的材料").is_visible()
    page.locator("input[type=file]").set_input_files({"name": "宅基地使用证.png", "mimeType": "image/png",
                                                      "buffer": b"\x89PNG\r\n\x1a\n" + b"0" * 64})
    shot(page, "enrol-04-parent-documents")
    page.get_by_role("button", name="上传材料").click()
    page.wait_for_url(re.compile(r".*uploaded=1.*"))
    assert page.get_by_text("材料已上传").is_visible()
    page.goto(f"{live_server.url}/ruxue/")
    shot(page, "enrol-05-parent-home")
    assert Application.objects.filter(guardian_phone="13800138000").count() == 2
    context.close()


def test_lottery_ceremony(live_server, transactional_db, page, tmp_path):
    camp = make_campaign()
    c = camp["campaign"]
    for n in range(6):
        records(n, hukou="湘潭县金霞小区", prop="湘潭县金霞小区" if n % 2 else None)
        actions.submit(c, {"child_id_number": child(n), "child_name": ["张小明", "李华", "王芳芳", "赵一", "刘洋", "陈晨"][n],
                           "guardian_name": "家长", "guardian_id_number": guardian(n), "choices": [camp["p"].pk] if n < 3 else []},
                       f"1390000000{n}")
    assert Application.objects.filter(status="eligible").count() == 6
    secret = "notary-2026-xt-4817"
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("jiaoji")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="摇号与录取").first.click()
    assert page.get_by_role("heading", name="摇号与录取").is_visible()
    page.locator("#id_text").fill(f"福彩3D 2026186期开奖号码\n公证员种子 | {lottery.commit(secret)}")
    page.get_by_role("button", name="公布").click()
    page.get_by_role("link", name="概况与统计").click()
    page.get_by_role("button", name="截止报名，进入资格审核").click()
    page.get_by_role("link", name="摇号与录取", exact=True).last.click()
    page.get_by_role("button", name="冻结名册").click()
    c.refresh_from_db()
    assert page.locator("#roster-hash").inner_text() == c.roster_hash
    shot(page, "enrol-06-ceremony-frozen")
    page.get_by_label("福彩3D 2026186期开奖号码").fill("5 0 7")
    page.get_by_label("公证员种子").fill("a wrong secret")
    page.get_by_role("button", name="录入并核对").click()
    assert page.get_by_text("与事先公布的承诺值（SHA-256）不一致").is_visible()
    page.get_by_label("福彩3D 2026186期开奖号码").fill("5 0 7")
    page.get_by_label("公证员种子").fill(secret)
    page.get_by_role("button", name="录入并核对").click()
    page.get_by_role("button", name="摇号").click()
    c.refresh_from_db()
    assert c.status == Campaign.Status.DRAWN and page.locator("#seed").inner_text() == c.seed
    shot(page, "enrol-07-ceremony-drawn")
    page.get_by_role("button", name="录取分配").click()
    assert page.get_by_text("录取分配完成").is_visible()
    shot(page, "enrol-08-ceremony-published")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载公示名单（CSV）").click()
    path = tmp_path / "published.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 6 and all(r["lottery"] == lottery.lottery_number(c.seed, r["application_no"]) for r in rows)
    page.get_by_role("link", name="概况与统计").click()
    page.wait_for_selector("#school-chart svg")
    shot(page, "enrol-09-overview")
