"""/api/enrollment/: campaigns and applications follow permissions.py (a school administrator
sees only the applications concerning its school), numbers masked unless allowed and asked for
(then audited), statistics equal stats.campaign_stats, the published list equals the ceremony's."""
import pytest
from django.test import Client

from jiaoguan.core.models import ApiToken, AuditLog
from jiaoguan.enrollment import actions, ceremony, sms, stats
from jiaoguan.enrollment.models import Application, Campaign
from jiaoguan.enrollment.permissions import applications_for

from .helpers import child, guardian, make_campaign, records


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.SMS_BACKEND = "jiaoguan.enrollment.sms.LocmemBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    sms.LocmemBackend.outbox.clear()


@pytest.fixture
def camp(db, django_capture_on_commit_callbacks):
    """Five children: 0 and 1 in school A's zone (both also choose the private school), 2 and 4 in
    school B's, 3 without a zone (review)."""
    c = make_campaign()
    records(0, hukou="湘潭县金霞小区1栋", prop="湘潭县金霞小区1栋")
    records(1, hukou="湘潭县金霞小区2栋")
    records(2, hukou="湘潭县花石村3组")
    records(3, hukou="湘潭县新建小区9栋")
    records(4, hukou="湘潭县花石村1组", prop="湘潭县花石村1组")
    apps = []
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            app, _ = actions.submit(c["campaign"], {"child_id_number": child(n), "child_name": f"张小{n}", "guardian_name": "家长",
                                                    "guardian_id_number": guardian(n), "choices": [c["p"].pk] if n < 2 else []},
                                    f"1380000000{n}")
        app.refresh_from_db()
        apps.append(app)
    c["apps"] = apps
    return c


def api(user) -> Client:
    _, key = ApiToken.issue(user, "测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def masked(idn: str) -> str:
    return idn[:6] + "********" + idn[-4:]


def test_campaigns_in_scope(camp):
    users, campaign = camp["users"], camp["campaign"]
    body = api(users["jiaoji"]).get("/api/enrollment/campaigns").json()
    assert [(c["id"], c["name"], c["county_code"], c["status"], c["whole"]) for c in body["items"]] == [
        (campaign.pk, "2026年小学一年级招生", "430321", "open", True)]
    assert api(users["school_b"]).get("/api/enrollment/campaigns").json()["items"][0]["whole"] is False
    inspector = api(users["inspector"])
    assert inspector.get("/api/enrollment/campaigns").json()["count"] == 0
    assert inspector.get(f"/api/enrollment/campaigns/{campaign.pk}").status_code == 404
    assert inspector.get(f"/api/enrollment/campaigns/{campaign.pk}/applications").status_code == 404
    assert Client().get("/api/enrollment/campaigns").status_code == 401
    assert Client().get(f"/api/enrollment/campaigns/{campaign.pk}/applications").status_code == 401


def test_a_school_administrator_sees_only_applications_concerning_its_school(camp):
    users, campaign, apps = camp["users"], camp["campaign"], camp["apps"]
    url = f"/api/enrollment/campaigns/{campaign.pk}/applications"
    staff = api(users["jiaoji"])
    assert [a["application_no"] for a in staff.get(url).json()["items"]] == sorted(a.token for a in apps)
    assert {a["application_no"] for a in staff.get(f"{url}?school=4303210002").json()["items"]} == {apps[2].token, apps[4].token}

    school_b = api(users["school_b"])
    assert {a["application_no"] for a in school_b.get(url).json()["items"]} == {apps[2].token, apps[4].token}
    assert school_b.get(f"{url}?school=4303210001").json()["count"] == 0   # filtering by another school leaks nothing
    assert school_b.get(f"/api/enrollment/applications/{apps[0].token}").status_code == 404
    assert school_b.get(f"/api/enrollment/applications/{apps[2].token}").status_code == 200
    # school A is the zone school of children 0 and 1
    assert {a["application_no"] for a in api(users["school_a"]).get(url).json()["items"]} == {apps[0].token, apps[1].token}


def test_numbers_masked_unless_allowed_and_asked_for_then_audited(camp):
    users, campaign, apps = camp["users"], camp["campaign"], camp["apps"]
    url = f"/api/enrollment/campaigns/{campaign.pk}/applications"
    first = api(users["jiaoji"]).get(url).json()["items"][0]
    app = Application.objects.get(token=first["application_no"])
    assert first["child_id_number"] == masked(app.child_id_number)
    assert first["guardian_id_number"] == masked(app.guardian_id_number)
    assert first["guardian_phone"] == app.guardian_phone[:3] + "****" + app.guardian_phone[-4:]
    assert not AuditLog.objects.filter(action=AuditLog.Action.VIEW_PII).exists()

    # a leader may not see full numbers: asking changes nothing and writes nothing
    leader = api(users["leader"]).get(f"{url}?full=true").json()["items"]
    assert all("*" in a["child_id_number"] and "*" in a["guardian_phone"] for a in leader)
    assert api(users["leader"]).get(f"/api/enrollment/applications/{app.token}?full=true").json()["child_id_number"] == masked(app.child_id_number)
    assert not AuditLog.objects.filter(action=AuditLog.Action.VIEW_PII).exists()

    full = api(users["jiaoji"]).get(f"{url}?full=true&status={app.status}").json()
    row = next(a for a in full["items"] if a["application_no"] == app.token)
    assert (row["child_id_number"], row["guardian_phone"]) == (app.child_id_number, app.guardian_phone)
    log = AuditLog.objects.get(action=AuditLog.Action.VIEW_PII)
    assert (log.username, log.object_type, log.row_count) == ("jiaoji", "入学申请", full["count"])
    detail = api(users["school_a"]).get(f"/api/enrollment/applications/{apps[0].token}?full=true").json()
    assert detail["child_id_number"] == apps[0].child_id_number
    assert AuditLog.objects.filter(action=AuditLog.Action.VIEW_PII, username="school_a", row_count=1).exists()


def test_statistics_by_school_equal_the_overview_page(camp):
    users, campaign = camp["users"], camp["campaign"]
    for username in ("jiaoji", "school_b"):
        user = users[username]
        body = api(user).get(f"/api/enrollment/campaigns/{campaign.pk}/stats").json()
        expected = stats.campaign_stats(campaign, applications_for(user, campaign))
        assert body["total"] == {k: expected["total"][k] for k in body["total"]}
        assert len(body["schools"]) == len(expected["schools"])
        for got, want in zip(body["schools"], expected["schools"]):
            assert got == {k: want.get(k, False) for k in got}, username
        assert (body["capacity"], body["private_capacity"]) == (expected["capacity"], expected["private_capacity"])
    # school B's administrator counts only the applications concerning B
    assert api(users["school_b"]).get(f"/api/enrollment/campaigns/{campaign.pk}/stats").json()["total"]["total"] == 2


def test_the_published_list_is_the_ceremony_list(camp):
    users, campaign = camp["users"], camp["campaign"]
    url = f"/api/enrollment/campaigns/{campaign.pk}/published"
    staff = api(users["jiaoji"])
    assert staff.get(url).status_code == 404   # nothing published yet
    jiaoji = users["jiaoji"]
    actions.advance_campaign(campaign, Campaign.Status.REVIEW, jiaoji)
    ceremony.freeze(campaign, jiaoji)
    ceremony.record_entropy(campaign, ["5 0 7"], jiaoji)
    ceremony.draw(campaign, jiaoji)
    assert staff.get(url).status_code == 404   # drawn, not yet allocated and published
    ceremony.allocate(campaign, jiaoji)
    rows = staff.get(url).json()
    assert rows["count"] == len(ceremony.published(campaign)) > 0
    assert rows["items"] == ceremony.published(campaign)
    assert all(r["name"].startswith("张") and "小" not in r["name"] for r in rows["items"])
    # the list is public: a school administrator of a participating school reads it whole
    assert api(users["school_b"]).get(url).json()["count"] == rows["count"]
