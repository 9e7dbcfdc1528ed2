"""The parent site /ruxue/: SMS-code log-in and its limits, one's own applications only, the form
(idempotent against double clicks, retries and parallel posts), the status page, uploads."""
import datetime
import threading

import pytest
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone

from jiaoguan.enrollment import sms
from jiaoguan.enrollment.models import Application, Document, LoginCode, Notice

from .helpers import form_data, form_token, last_code, make_campaign, parent_login, records

PHONE, OTHER = "13800000001", "13900000002"


@pytest.fixture(autouse=True)
def _sms(settings, tmp_path):
    settings.SMS_BACKEND = "jiaoguan.enrollment.sms.LocmemBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ENROLLMENT_SHOW_SMS_CODE = False
    sms.LocmemBackend.outbox.clear()


@pytest.fixture
def camp(db):
    return make_campaign()


def send(client, phone=PHONE, **meta):
    return client.post("/ruxue/login/", {"action": "send", "phone": phone}, **meta).content.decode()


def verify(client, code, phone=PHONE):
    return client.post("/ruxue/login/", {"action": "verify", "phone": phone, "code": code})


# ---------------------------------------------------------------------------- log-in

def test_log_in_with_an_sms_code(client, camp):
    r = client.get("/ruxue/")
    assert r.status_code == 302 and r["Location"].startswith("/ruxue/login/")
    page = send(client)
    assert "验证码已发送至 138****0001" in page
    code = last_code(PHONE)
    assert code not in page  # shown only in the demo
    stored = LoginCode.objects.get(phone=PHONE)
    assert stored.digest != code and code not in stored.digest and len(stored.digest) == 64
    assert not Notice.objects.filter(text__contains=code).exists()  # the kept message has no code
    bad = "000000" if code != "000000" else "111111"
    assert "验证码不正确，还可以再试4次" in verify(client, bad).content.decode()
    r = verify(client, code)
    assert r.status_code == 302 and r["Location"] == "/ruxue/"
    assert client.session["enrol_phone"] == PHONE
    assert "还没有报名" in client.get("/ruxue/").content.decode()
    assert "验证码已使用" in verify(client, code).content.decode() or "请先获取验证码" in verify(client, code).content.decode()


def test_code_on_screen_only_in_the_demo(client, camp, settings):
    settings.ENROLLMENT_SHOW_SMS_CODE = True
    page = send(client)
    assert f'id="demo-code">{last_code(PHONE)}<' in page


def test_rate_limits(client, camp, settings):
    send(client)
    assert "60秒内只能获取一次" in send(client)
    for _ in range(4):
        LoginCode.objects.update(created=timezone.now() - datetime.timedelta(seconds=61))
        assert "验证码已发送" in send(client)
    LoginCode.objects.update(created=timezone.now() - datetime.timedelta(seconds=61))
    assert "1小时内获取验证码已达5次" in send(client)
    assert LoginCode.objects.filter(phone=PHONE).count() == 5
    # five wrong attempts kill the code, even the right one is refused after that
    LoginCode.objects.all().delete()
    send(client)
    code = last_code(PHONE)
    wrong = f"{(int(code) + 1) % 10 ** 6:06d}"
    for i in range(4):
        assert f"还可以再试{4 - i}次" in verify(client, wrong).content.decode()
    assert "错误次数过多" in verify(client, wrong).content.decode()
    assert "错误次数过多" in verify(client, code).content.decode()
    assert "enrol_phone" not in client.session
    # a per-IP limit across phone numbers
    settings.ENROLLMENT_CODES_PER_IP_HOUR = 2
    LoginCode.objects.all().delete()
    assert "验证码已发送" in send(client, "13700000001", REMOTE_ADDR="10.0.0.9")
    assert "验证码已发送" in send(client, "13700000002", REMOTE_ADDR="10.0.0.9")
    assert "当前网络获取验证码过于频繁" in send(client, "13700000003", REMOTE_ADDR="10.0.0.9")
    assert "验证码已发送" in send(client, "13700000003", REMOTE_ADDR="10.0.0.10")
    assert "请填写正确的11位手机号" in send(client, "12345")


# ---------------------------------------------------------------------------- form and status

def test_apply_and_follow_the_status(client, camp, django_capture_on_commit_callbacks):
    records(0, hukou="湘潭县金霞小区3栋", prop="湘潭县金霞小区3栋")
    parent_login(client, PHONE)
    token = form_token(client, camp["campaign"])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/ruxue/apply/{camp['campaign'].pk}/", {**form_data(0), **token, "choices": [camp["p"].pk]})
    assert r.status_code == 302
    app = Application.objects.get()
    assert r["Location"] == f"/ruxue/a/{app.token}/?new=1"
    page = client.get(r["Location"]).content.decode()
    assert "报名已提交" in page and app.token in page
    assert "已核验：户籍地址：湘潭县金霞小区3栋" in page
    assert "资格审核通过" in page and "A类" in page and "符合“户籍与房产一致”" in page
    assert "博雅民办小学" in page and "电脑随机录取" in page
    log = page[page.index("办理记录"):]
    assert log.index("提交报名") < log.index("核验中") < log.index("核验通过，对口学校类别")  # every event, in order
    assert "430321********" in page and app.child_id_number not in page


def test_a_parent_sees_only_its_own_applications(client, camp):
    parent_login(client, PHONE)
    client.post(f"/ruxue/apply/{camp['campaign'].pk}/", {**form_data(0), **form_token(client, camp["campaign"])})
    app = Application.objects.get()
    other = Client()
    parent_login(other, OTHER)
    assert other.get(f"/ruxue/a/{app.token}/").status_code == 404
    assert other.post(f"/ruxue/a/{app.token}/upload/", {"kind": "hukou"}).status_code == 404
    assert other.get(f"/ruxue/apply/{camp['campaign'].pk}/?edit={app.token}").status_code == 404
    assert app.token not in other.get("/ruxue/").content.decode()
    assert client.get(f"/ruxue/a/{app.token}/").status_code == 200
    # the same child by another guardian's phone: refused with a clear message, nothing changed
    r = other.post(f"/ruxue/apply/{camp['campaign'].pk}/", {**form_data(0), **form_token(other, camp["campaign"])})
    assert "该儿童已由另一位监护人报名" in r.content.decode()
    assert Application.objects.get().guardian_phone == PHONE


def test_double_submission_makes_one_application(client, camp):
    parent_login(client, PHONE)
    url = f"/ruxue/apply/{camp['campaign'].pk}/"
    token = form_token(client, camp["campaign"])
    first = client.post(url, {**form_data(0), **token})
    second = client.post(url, {**form_data(0), **token})  # the double click
    third = client.post(url, {**form_data(0), **form_token(client, camp["campaign"])})  # a retry with a new form
    app = Application.objects.get()
    assert first["Location"].startswith(f"/ruxue/a/{app.token}/") and second["Location"] == f"/ruxue/a/{app.token}/"
    assert third["Location"].startswith(f"/ruxue/a/{app.token}/")
    assert app.events.filter(note="提交报名").count() == 1 and app.events.filter(note="修改报名信息").count() == 0
    # a re-submission with a change edits the same application
    client.post(url, {**form_data(0, child_name="孩子零"), **form_token(client, camp["campaign"])})
    assert Application.objects.get().child_name == "孩子零" and Application.objects.count() == 1
    # a form token from another phone (or a forged one) is refused
    assert "页面已过期" in client.post(url, {**form_data(1), "form_token": "x", "submission_id": "abcdefgh12"}).content.decode()
    assert Application.objects.count() == 1


def test_form_errors_name_the_field(client, camp):
    parent_login(client, PHONE)
    url = f"/ruxue/apply/{camp['campaign'].pk}/"
    bad = form_data(0, child_id_number=form_data(0)["child_id_number"][:-1] + "X")
    page = client.post(url, {**bad, **form_token(client, camp["campaign"])}).content.decode()
    assert "儿童身份证号：" in page and not Application.objects.exists()
    page = client.post(url, {**form_data(0, promise=""), **form_token(client, camp["campaign"])}).content.decode()
    assert "这个字段是必填项" in page and not Application.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_parallel_posts_of_one_form_make_one_row(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    camp = make_campaign()
    login = Client()
    parent_login(login, PHONE)
    token = form_token(login, camp["campaign"])
    cookie = login.cookies["sessionid"].value
    url = f"/ruxue/apply/{camp['campaign'].pk}/"
    results, errors = [], []
    start = threading.Barrier(8)

    def post():
        c = Client()
        c.cookies["sessionid"] = cookie
        try:
            start.wait()
            results.append(c.post(url, {**form_data(0), **token}))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert Application.objects.count() == 1
    token_no = Application.objects.get().token
    assert all(r.status_code == 302 and r["Location"].startswith(f"/ruxue/a/{token_no}/") for r in results), [r.status_code for r in results]


def test_documents_when_records_are_missing(client, camp, django_capture_on_commit_callbacks, settings):
    records(0, hukou="湘潭县金霞小区3栋")  # hukou found, the self-built house is not in the property register
    parent_login(client, PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/ruxue/apply/{camp['campaign'].pk}/",
                    {**form_data(0, property_address="湘潭县花石村5组12号"), **form_token(client, camp["campaign"])})
    app = Application.objects.get()
    assert app.status == Application.Status.NEEDS_DOCUMENTS
    page = client.get(f"/ruxue/a/{app.token}/").content.decode()
    assert "需要补充的材料" in page and "宅基地使用证" in page and "未查到记录" in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("证明.png", b"not an image", "image/png")
    r = client.post(f"/ruxue/a/{app.token}/upload/", {"kind": "self_built", "file": fake})
    assert r.status_code == 400 and "只能上传JPG、PNG照片或PDF文件" in r.content.decode()
    png = SimpleUploadedFile("宅基地证.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png")
    r = client.post(f"/ruxue/a/{app.token}/upload/", {"kind": "self_built", "file": png, "note": "自建房"})
    assert r.status_code == 302
    app.refresh_from_db()
    doc = Document.objects.get()
    assert app.status == Application.Status.REVIEW and doc.status == Document.Status.PENDING
    assert doc.file.path.startswith(str(settings.MEDIA_ROOT)) and doc.size == 108
    assert "已上传的材料" in client.get(f"/ruxue/a/{app.token}/").content.decode()


def test_closed_campaign_and_address_lookup(client, camp):
    parent_login(client, PHONE)
    page = client.get(f"/ruxue/apply/{camp['campaign'].pk}/lookup/", {"property_address": "湘潭县 金霞小区 5栋"}).content.decode()
    assert "易俗河镇第一小学" in page and "对口学校" in page
    assert "未匹配片区" in client.get(f"/ruxue/apply/{camp['campaign'].pk}/lookup/", {"property_address": "长沙市某小区"}).content.decode()
    camp["campaign"].status = "review"
    camp["campaign"].save()
    r = client.get(f"/ruxue/apply/{camp['campaign'].pk}/")
    assert r.status_code == 409 and "当前不在报名时间内" in r.content.decode()


def test_the_status_page_follows_the_checks_until_they_answer(client, camp, settings):
    """Right after submitting, the follow-up has not run yet: the page shows the submission and
    refreshes itself; once the departments have answered it stops."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from jiaoguan.enrollment import actions

    parent_login(client, PHONE)
    r = client.post(f"/ruxue/apply/{camp['campaign'].pk}/", {**form_data(0), **form_token(client, camp["campaign"])})
    page = client.get(r["Location"]).content.decode()
    assert 'hx-trigger="every 4s"' in page and "本页会自动显示进度" in page
    assert "提交报名" in page[page.index("办理记录"):]
    actions.follow_up()
    page = client.get(r["Location"]).content.decode()
    assert "hx-trigger" not in page and Application.objects.get().status != Application.Status.SUBMITTED
