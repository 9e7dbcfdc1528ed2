"""Staff pages /enrollment/: scope by role, the review queue (zone school, category override,
documents — all audited), the zones import (good file, bad rows), the lottery ceremony in order
(refusing steps out of order) and the published list checked with `jiaoguan lottery verify`."""
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from jiaoguan.core.models import AuditLog, Role, Section, User
from jiaoguan.enrollment import actions, lottery, sms
from jiaoguan.enrollment.models import AddressUnit, Application, Campaign, Document, Zone
from tests.factories import PASSWORD
from tests.xlsx import write_xlsx

from .helpers import child, guardian, make_campaign, records

ZONE_HEADERS = ["片区", "对口学校标识码（多校以;分隔）", "类型", "名称或道路", "起止门牌号", "单双号"]


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.SMS_BACKEND = "jiaoguan.enrollment.sms.LocmemBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    sms.LocmemBackend.outbox.clear()


@pytest.fixture
def camp(db, django_capture_on_commit_callbacks):
    c = make_campaign()
    campaign = c["campaign"]
    records(0, hukou="湘潭县金霞小区1栋", prop="湘潭县金霞小区1栋")
    records(1, hukou="湘潭县金霞小区2栋")
    records(2, hukou="湘潭县花石村3组")
    records(3, hukou="湘潭县新建小区9栋")  # no zone: review
    records(4, hukou="湘潭县花石村1组", prop="湘潭县花石村1组")
    apps = []
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            app, _ = actions.submit(campaign, {"child_id_number": child(n), "child_name": f"张小{n}", "guardian_name": "家长",
                                               "guardian_id_number": guardian(n), "choices": [c["p"].pk] if n < 2 else []},
                                    f"1380000000{n}")
        app.refresh_from_db()
        apps.append(app)
    c["apps"] = apps
    return c


def login(client, user):
    client.force_login(user)
    return client


# ---------------------------------------------------------------------------- scope

def test_scope_of_the_staff_pages(client, camp):
    users, campaign = camp["users"], camp["campaign"]
    a_app, b_app = camp["apps"][0], camp["apps"][2]
    assert a_app.zone_school_id == camp["a"].pk and b_app.zone_school_id == camp["b"].pk
    login(client, users["jiaoji"])
    page = client.get(f"/enrollment/{campaign.pk}/").content.decode()
    assert "各校报名情况" in page and "易俗河镇第一小学" in page and "截止报名" in page
    assert client.get(f"/enrollment/{campaign.pk}/ceremony/").status_code == 200
    # a leader reads, does not act
    login(client, users["leader"])
    assert client.get(f"/enrollment/{campaign.pk}/").status_code == 200
    assert "截止报名" not in client.get(f"/enrollment/{campaign.pk}/").content.decode()
    assert client.post(f"/enrollment/{campaign.pk}/advance/", {"to": "review"}).status_code == 403
    assert client.post(f"/enrollment/{campaign.pk}/ceremony/freeze/").status_code == 403
    assert client.post(f"/enrollment/a/{a_app.token}/override/", {"school": camp["a"].pk, "rank": 1, "reason": "x"}).status_code == 403
    # a school administrator sees its own school's applicants only
    login(client, users["school_b"])
    page = client.get(f"/enrollment/{campaign.pk}/applications/").content.decode()
    assert b_app.token in page and a_app.token not in page
    assert client.get(f"/enrollment/a/{a_app.token}/").status_code == 404
    assert client.get(f"/enrollment/a/{b_app.token}/").status_code == 200
    assert client.get(f"/enrollment/{campaign.pk}/ceremony/").status_code == 404
    login(client, users["school_a"])  # its school is the zone school of children 0, 1 (and the private choice is not its)
    page = client.get(f"/enrollment/{campaign.pk}/applications/").content.decode()
    assert a_app.token in page and b_app.token not in page
    # staff of another county and inspectors see nothing
    other = User.objects.create_user("cs", password=PASSWORD, role=Role.STAFF, section=Section.BASIC,
                                     org_unit=camp["world"]["county"].parent.parent.children.exclude(pk=camp["world"]["county"].parent.pk).first())
    login(client, other)
    assert client.get(f"/enrollment/{campaign.pk}/").status_code == 404
    assert client.get(f"/enrollment/a/{a_app.token}/").status_code == 404
    login(client, users["inspector"])
    assert client.get(f"/enrollment/{campaign.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/enrollment/{campaign.pk}/")["Location"].startswith("/accounts/login/")


def test_full_id_is_audited(client, camp):
    login(client, camp["users"]["jiaoji"])
    app = camp["apps"][0]
    page = client.get(f"/enrollment/a/{app.token}/").content.decode()
    assert app.child_id_number not in page and "查看完整信息" in page
    page = client.get(f"/enrollment/a/{app.token}/?full=1").content.decode()
    assert app.child_id_number in page
    assert AuditLog.objects.filter(action=AuditLog.Action.VIEW_PII, object_id=str(app.pk)).count() == 1


# ---------------------------------------------------------------------------- review queue

def test_review_queue_zone_and_override_are_audited(client, camp):
    login(client, camp["users"]["jiaoji"])
    stray = camp["apps"][3]
    assert stray.status == Application.Status.REVIEW and "未匹配到任何片区" in stray.status_note
    page = client.get(f"/enrollment/{camp['campaign'].pk}/review/?q=address").content.decode()
    assert stray.token in page and camp["apps"][0].token not in page
    r = client.post(f"/enrollment/a/{stray.token}/zone/", {"school": camp["a"].pk, "ties": ["hukou_in_zone"], "reason": ""})
    stray.refresh_from_db()
    assert stray.status == Application.Status.REVIEW  # no reason: refused
    client.post(f"/enrollment/a/{stray.token}/zone/", {"school": camp["a"].pk, "ties": ["hukou_in_zone"], "reason": "新建小区，经社区核实属金霞片区"})
    stray.refresh_from_db()
    assert stray.status == Application.Status.ELIGIBLE and stray.zone_school_id == camp["a"].pk
    assert stray.categories[str(camp["a"].pk)]["id"] == "B"
    assert AuditLog.objects.filter(object_type="入学申请", object_id=str(stray.pk), detail__step="确定对口学校").exists()
    # override: the reason is required, recorded on the application, in the audit log and the parent's events
    b_child = camp["apps"][1]
    assert b_child.categories[str(camp["a"].pk)]["id"] == "B"
    client.post(f"/enrollment/a/{b_child.token}/override/", {"school": camp["a"].pk, "rank": 1, "reason": ""})
    b_child.refresh_from_db()
    assert b_child.categories[str(camp["a"].pk)]["rank"] == 2
    r = client.post(f"/enrollment/a/{b_child.token}/override/", {"school": camp["a"].pk, "rank": 1, "reason": "房产证补录，已核实"})
    assert r.status_code == 302
    b_child.refresh_from_db()
    entry = b_child.categories[str(camp["a"].pk)]
    assert entry["rank"] == 1 and entry["id"] == "A" and "人工调整：房产证补录，已核实" in entry["reasons"]
    log = AuditLog.objects.get(object_type="入学申请", object_id=str(b_child.pk), action=AuditLog.Action.UPDATE)
    assert log.username == "jiaoji" and log.detail["reason"] == "房产证补录，已核实" and log.detail["rank_to"] == 1
    assert b_child.events.filter(note__contains="类别调整为A类").exists()


def test_documents_are_reviewed(client, camp):
    app = camp["apps"][3]
    doc = actions.upload_document(app, Document.Kind.HUKOU, SimpleUploadedFile("户口簿.png", b"\x89PNG\r\n\x1a\n1234", "image/png"))
    login(client, camp["users"]["jiaoji"])
    assert app.token in client.get(f"/enrollment/{camp['campaign'].pk}/review/?q=documents").content.decode()
    r = client.get(f"/enrollment/doc/{doc.pk}/file/")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"\x89PNG")
    assert AuditLog.objects.filter(object_type="入学申请材料").exists()
    client.post(f"/enrollment/doc/{doc.pk}/review/", {"decision": "reject", "note": ""})
    doc.refresh_from_db()
    assert doc.status == Document.Status.PENDING  # a rejection needs a reason
    client.post(f"/enrollment/doc/{doc.pk}/review/", {"decision": "reject", "note": "照片不清晰"})
    doc.refresh_from_db()
    app.refresh_from_db()
    assert doc.status == Document.Status.REJECTED and app.status == Application.Status.NEEDS_DOCUMENTS
    assert any("照片不清晰" in text for _, text in sms.LocmemBackend.outbox)
    assert AuditLog.objects.filter(object_type="入学申请", detail__step="审核材料").exists()


# ---------------------------------------------------------------------------- zones import

def test_zones_import_good_file_and_bad_rows(client, camp, tmp_path):
    c = camp["campaign"]
    login(client, camp["users"]["jiaoji"])
    a, b = camp["a"].school.code, camp["b"].school.code
    good = write_xlsx(tmp_path / "片区.xlsx", ZONE_HEADERS, [
        ["金霞片区", a, "道路门牌号段", "金霞路", "1-199", "单号"],
        ["金霞片区", a, "小区/社区/村", "金霞小区", "", ""],
        ["城东片区", f"{a};{b}", "道路门牌号段", "金霞路", "2-198", "双号"],
        ["城东片区", f"{a};{b}", "小区", "新建小区", "", ""],
        ["花石片区", b, "村", "花石村", "", ""],
    ], sheet="片区")
    r = client.post(f"/enrollment/{c.pk}/zones/", {"file": open(good, "rb")})
    assert r.status_code == 302, r.content.decode()[-3000:]
    assert set(Zone.objects.filter(campaign=c).values_list("name", flat=True)) == {"金霞片区", "城东片区", "花石片区"}
    assert sorted(Zone.objects.get(campaign=c, name="城东片区").schools.values_list("pk", flat=True)) == sorted([camp["a"].pk, camp["b"].pk])
    assert AddressUnit.objects.filter(zone__campaign=c).count() == 5
    assert AddressUnit.objects.get(name="金霞路", parity="odd").number_to == 199
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT, object_type="招生片区").exists()
    # the stray address now matches (多校划片): re-match the review queue
    client.post(f"/enrollment/{c.pk}/zones/rematch/")
    stray = Application.objects.get(pk=camp["apps"][3].pk)
    assert stray.status == Application.Status.ELIGIBLE and set(stray.categories) == {str(camp["a"].pk), str(camp["b"].pk)}

    before = list(AddressUnit.objects.order_by("pk").values_list("name", "number_from", "number_to", "parity"))
    bad = write_xlsx(tmp_path / "错.xlsx", ZONE_HEADERS, [
        ["金霞片区", a, "道路门牌号段", "金霞路", "1-199", ""],
        ["金霞片区", "4303219999", "小区", "金霞小区", "", ""],          # school not in the campaign
        ["城东片区", b, "道路门牌号段", "金霞路", "150-300", ""],        # overlaps row 2
        ["花石片区", b, "道路门牌号段", "花石路", "", ""],               # road without numbers
        ["花石片区", b, "小区", "花石村", "1-5", ""],                   # compound with numbers
        ["花石片区", a, "小区", "花石二村", "", ""],                    # same zone, other schools
        ["花石片区", b, "道路门牌号段", "花石大道", "90-10", ""],        # from > to
        ["花石片区", b, "别墅", "花石山庄", "", ""],                    # unknown kind
    ], sheet="片区")
    page = client.post(f"/enrollment/{c.pk}/zones/", {"file": open(bad, "rb")}).content.decode()
    assert "导入被拒绝：共8行，其中7行有错误，未写入任何数据" in page
    for text in ["学校4303219999不在招生计划", "与第2行（金霞片区，1-199号）重叠", "道路须填写起止门牌号", "不填门牌号和单双号",
                 "与第5行同一片区“花石片区”的对口学校不一致", "起号90大于止号10", "不在可选范围内"]:
        assert text in page, text
    assert list(AddressUnit.objects.order_by("pk").values_list("name", "number_from", "number_to", "parity")) == before
    assert AuditLog.objects.filter(action=AuditLog.Action.IMPORT_REJECTED, object_type="招生片区").exists()
    # the command line finds the campaign from the school year and the schools
    from jiaoguan.core.importing import ImportContext, run_import

    result = run_import("zones", good, ImportContext(user=camp["users"]["jiaoji"], year=c.year))
    assert result.ok, result.errors
    result = run_import("zones", good, ImportContext(user=camp["users"]["leader"], year=c.year))
    assert not result.ok and "只有基础教育股" in result.errors[0][0]


# ---------------------------------------------------------------------------- the ceremony

def test_ceremony_steps_in_order_and_the_published_list_verifies(client, camp, tmp_path, capsys):
    c = camp["campaign"]
    login(client, camp["users"]["jiaoji"])
    url = f"/enrollment/{c.pk}/ceremony/"

    def step(action, data=None):
        r = client.post(f"{url}{action}/", data or {}, follow=True)
        assert r.status_code == 200
        c.refresh_from_db()
        return r.content.decode()

    assert "请先完成摇号" in step("allocate")
    assert "请先冻结名册" in step("draw")
    assert "请先截止报名" in step("freeze")
    secret = "notary-seed-7f3a"
    assert "承诺值应为64位" in step("plan", {"text": "公证员种子 | abc"})
    step("plan", {"text": f"福彩3D 2026186期开奖号码\n公证员种子 | {lottery.commit(secret)}"})
    assert c.entropy_plan[1]["commitment"] == lottery.commit(secret)
    client.post(f"/enrollment/{c.pk}/advance/", {"to": "review"})
    c.refresh_from_db()
    assert c.status == Campaign.Status.REVIEW
    assert "请先冻结名册" in step("entropy", {"entropy_0": "5 0 7", "entropy_1": secret})
    page = step("freeze")
    assert c.status == Campaign.Status.FROZEN and c.roster_hash in page and "名册已冻结" in page
    roster = client.get(f"/enrollment/{c.pk}/roster.txt").content
    assert hashlib.sha256(roster).hexdigest() == c.roster_hash and b"\t" in roster and "张" not in roster.decode()
    assert "名册已经冻结，不能重复冻结" in step("freeze")
    assert "名册冻结后不能再修改熵来源" in step("plan", {"text": "别的"})
    assert "请先录入公开熵" in step("draw")
    assert "与事先公布的承诺值（SHA-256）不一致" in step("entropy", {"entropy_0": "5 0 7", "entropy_1": "guess"})
    assert not c.entropy
    assert "与承诺值一致" in step("entropy", {"entropy_0": "5 0 7", "entropy_1": secret})
    assert c.entropy == ["5 0 7", secret]
    assert "请先完成摇号" in step("allocate")
    page = step("draw")
    assert c.status == Campaign.Status.DRAWN and c.seed == lottery.draw_seed(2026, "430321", c.roster_hash, ["5 0 7", secret])
    assert c.seed in page
    assert "同一名册不能重新摇号" in step("draw")
    page = step("allocate")
    assert c.status == Campaign.Status.ALLOCATED and "录取分配完成" in page
    assert "已经完成录取分配" in step("allocate")
    steps = [log.detail.get("step") for log in AuditLog.objects.filter(object_type="招生计划", object_id=str(c.pk)).order_by("pk")]
    assert steps == ["公布熵来源", "阶段", "冻结名册", "公开熵核对失败", "录入公开熵", "摇号", "录取分配"]
    # a frozen roster cannot be edited from the review queue
    r = client.post(f"/enrollment/a/{camp['apps'][1].token}/override/", {"school": camp["a"].pk, "rank": 1, "reason": "x"}, follow=True)
    assert "名册冻结后不能再调整类别" in r.content.decode()

    csv_text = client.get(f"/enrollment/{c.pk}/published.csv").content.decode("utf-8-sig")
    header, *rows = csv_text.strip().split("\n")
    assert header.startswith("application_no,lottery,")
    assert len(rows) == Application.objects.filter(campaign=c).exclude(lottery="").count() == 4
    assert all("张*" in r for r in rows) and not any("张小" in r for r in rows)
    path = tmp_path / "published.csv"
    path.write_text(csv_text, encoding="utf-8")
    call_command("lottery", "verify", "--seed", c.seed, "--file", str(path))
    assert "核验通过：4 个摇号号码全部与种子一致" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        call_command("lottery", "verify", "--seed", "0" * 64, "--file", str(path))
    assert exc.value.code == 1
    # the public page shows the same list, masked, with the seed
    client.logout()
    page = client.get(f"/ruxue/gongshi/{c.pk}/").content.decode()
    assert c.seed in page and "张*" in page and "张小" not in page
    assert client.get(f"/ruxue/gongshi/{c.pk}/published.csv").content.decode("utf-8-sig") == csv_text
