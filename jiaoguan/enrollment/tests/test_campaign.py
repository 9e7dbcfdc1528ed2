"""A campaign end to end on hand-made data: submit (idempotent), verify with the local backend,
categories, freeze, draw, allocate, 统筹; messages deduplicated."""
import datetime

import pytest

from jiaoguan.core.models import AuditLog
from jiaoguan.enrollment import actions, lottery, present
from jiaoguan.enrollment.models import AddressUnit, Application, Campaign, CampaignSchool, DepartmentRecord, Notice, Zone
from jiaoguan.registry.models import School
from tests.factories import build_world, make_id

POLICY = {
    "categories": [
        {"id": "A", "name": "户籍与房产一致", "all": ["hukou_in_zone", "property_in_zone", "property_share >= 1"]},
        {"id": "B", "name": "户籍在片区", "all": ["hukou_in_zone"]},
        {"id": "C", "name": "房产在片区", "all": ["property_in_zone"]},
    ],
    "keys": ["hukou_since"],
}


@pytest.fixture
def campaign(db, settings, tmp_path):
    settings.SMS_FILE = tmp_path / "sms.log"
    world = build_world()
    year = world["years"][1]
    a, b, _ = world["schools"]
    p = School.objects.create(code="4303210099", name="博雅民办小学", org_unit=world["townships"][0], type="primary", location="urban", ownership="private")
    c = Campaign.objects.create(county=world["county"], year=year, stage="primary", name="2026年小学一年级招生", policy=POLICY,
                                status=Campaign.Status.OPEN)
    sa = CampaignSchool.objects.create(campaign=c, school=a, classes=1, class_size=2, x=0, y=0)
    sb = CampaignSchool.objects.create(campaign=c, school=b, classes=1, class_size=3, x=5, y=0)
    sp = CampaignSchool.objects.create(campaign=c, school=p, classes=1, class_size=1, private=True, x=1, y=0)
    za, zb = Zone.objects.create(campaign=c, name="金霞片区"), Zone.objects.create(campaign=c, name="花石片区")
    za.schools.add(sa)
    zb.schools.add(sb)
    AddressUnit.objects.create(zone=za, kind="compound", name="金霞小区")
    AddressUnit.objects.create(zone=zb, kind="compound", name="花石村")
    return {"campaign": c, "a": sa, "b": sb, "p": sp, "world": world}


def child(n):
    return make_id("430321", datetime.date(2020, 3, 1 + n), 2 * n + 1)


def guardian(n):
    return make_id("430321", datetime.date(1990, 5, 1 + n), 2 * n + 1)


def records(n, hukou=None, prop=None, share=1, since="2018-01-01"):
    if hukou:
        DepartmentRecord.objects.create(kind="hukou", id_number=child(n), data={"address": hukou, "since": since})
    if prop:
        DepartmentRecord.objects.create(kind="property", id_number=guardian(n), data={"address": prop, "share": share})


@pytest.fixture(autouse=True)
def _commit_hooks(django_capture_on_commit_callbacks):
    """Run the verification that submit() queues on commit, as the worker would."""
    global CAPTURE
    CAPTURE = django_capture_on_commit_callbacks


def apply(c, n, phone="13800000000", choices=()):
    with CAPTURE(execute=True):
        return _submit(c, n, phone, choices)


def _submit(c, n, phone, choices):
    return actions.submit(c, {"child_id_number": child(n), "child_name": f"孩子{n}", "guardian_name": "家长",
                              "guardian_id_number": guardian(n), "hukou_address": "", "choices": list(choices)}, phone)


def test_submission_is_idempotent_and_checked(campaign):
    c = campaign["campaign"]
    records(0, hukou="湘潭县金霞小区3栋", prop="湘潭县金霞小区3栋")
    app, created = apply(c, 0)
    again, created2 = apply(c, 0)
    assert created and not created2 and app.pk == again.pk
    assert Application.objects.count() == 1
    with pytest.raises(actions.ApplicationError, match="另一位监护人"):
        apply(c, 0, phone="13900000000")
    with pytest.raises(actions.ApplicationError, match="儿童身份证号：身份证号校验位错误"):
        actions.submit(c, {"child_id_number": child(1)[:-1] + ("0" if child(1)[-1] != "0" else "1"), "child_name": "x"}, "13800000001")
    with pytest.raises(actions.ApplicationError, match="不在本次招生年龄范围"):
        actions.submit(c, {"child_id_number": make_id("430321", datetime.date(2015, 1, 1), 3), "child_name": "x"}, "13800000001")
    assert Notice.objects.filter(application=app).count() >= 1


def test_categories_from_verified_facts(campaign):
    c = campaign["campaign"]
    records(0, hukou="金霞小区", prop="金霞小区")            # A at school a
    records(1, hukou="金霞小区", prop="金霞小区", share=0.5)  # B
    records(2, prop="金霞小区")                              # C
    records(3, hukou="龙口村")                               # no zone: review
    apps = [apply(c, n)[0] for n in range(4)]               # verification runs as an immediate task
    for app in apps:
        app.refresh_from_db()
    sa = str(campaign["a"].pk)
    assert [a.categories.get(sa, {}).get("id") for a in apps[:3]] == ["A", "B", "C"]
    assert apps[0].status == Application.Status.ELIGIBLE and apps[0].zone_school_id == campaign["a"].pk
    assert apps[3].status == Application.Status.REVIEW and "未匹配到任何片区" in apps[3].status_note
    assert apps[0].verifications.count() == 4
    assert set(apps[0].verifications.values_list("outcome", flat=True)) == {"match", "not_found"}


def test_full_campaign_lottery_and_allocation(campaign):
    c = campaign["campaign"]
    for n in range(5):
        records(n, hukou="金霞小区", prop="金霞小区", since=f"201{n}-01-01")
    apps = [apply(c, n, choices=[campaign["p"].pk] if n < 2 else [])[0] for n in range(5)]
    user = campaign["world"]["users"]["jiaoji"]
    roster = actions.freeze(c, user)
    assert len(roster) == 64 and c.status == Campaign.Status.FROZEN
    seed = actions.draw(c, ["福彩3D 2026155期 483", "notary-7f3a"], user)
    assert seed == lottery.draw_seed(2026, "430321", roster, ["福彩3D 2026155期 483", "notary-7f3a"])
    counts = actions.allocate(c, user)
    apps = [Application.objects.get(pk=a.pk) for a in apps]
    # all category A at school a (2 seats) → the two earliest 落户 (keys), 1 private seat by lottery, the rest 统筹 to b
    private = [a for a in apps if a.outcome_id == campaign["p"].pk]
    assert len(private) == 1 and private[0].child_name in ("孩子0", "孩子1")
    loser = ({"孩子0", "孩子1"} - {private[0].child_name}).pop()
    at_a = sorted(a.child_name for a in apps if a.outcome_id == campaign["a"].pk)
    assert at_a == sorted({"孩子0", "孩子1", "孩子2"} - {private[0].child_name})  # earliest hukou_since among the rest
    placed = [a for a in apps if a.status == Application.Status.PLACED]
    assert all(a.outcome_id == campaign["b"].pk and "统筹安排" in a.outcome_note for a in placed)
    assert counts == {"admitted": 3, "placed": 2, "unplaced": 0}
    assert all(a.lottery == lottery.lottery_number(seed, a.token) for a in apps)
    assert AuditLog.objects.filter(object_type="招生计划").count() == 3
    assert loser  # the private school's loser kept a public place
    assert Notice.objects.filter(dedupe_key__endswith=":outcome").count() == 5


def test_override_is_audited(campaign):
    c = campaign["campaign"]
    records(0, hukou="金霞小区")
    app, _ = apply(c, 0)
    user = campaign["world"]["users"]["jiaoji"]
    with pytest.raises(actions.ApplicationError):
        actions.override_category(app, campaign["a"].pk, 1, " ", user)
    actions.override_category(app, campaign["a"].pk, 1, "自建房，已核实宅基地证", user)
    app.refresh_from_db()
    assert app.categories[str(campaign["a"].pk)]["rank"] == 1
    assert AuditLog.objects.filter(action=AuditLog.Action.UPDATE, object_type="入学申请").exists()


def test_the_rush_wakes_one_follow_up_that_handles_every_submission(campaign, settings, monkeypatch):
    """With a real queue, submissions write no task row each: the first of a second wakes one
    follow-up, due two seconds later, which records, notifies and checks every waiting
    application, each once (an edit made before it ran is recorded too)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import task_backends

    monkeypatch.setattr(actions, "_last_wake", 0.0)
    c = campaign["campaign"]
    records(0, hukou="湘潭县金霞小区3栋", prop="湘潭县金霞小区3栋")
    apps = [_submit(c, n, f"1380000000{n}", ())[0] for n in range(3)]
    _submit(c, 1, "13800000001", [campaign["p"].pk])  # a change before the follow-up ran
    queued = task_backends["default"].results
    assert [r.task.name for r in queued] == ["follow_up_submissions"]
    assert queued[0].task.run_after > datetime.datetime.now(datetime.UTC)
    assert Notice.objects.count() == 0 and not Application.objects.exclude(status=Application.Status.SUBMITTED).exists()
    waiting = Application.objects.get(pk=apps[1].pk)  # the parent's page shows the submission before the worker has run
    assert [e.note for e in present.timeline(waiting)] == ["提交报名", "修改报名信息"]

    assert actions.follow_up() == 3
    assert actions.follow_up() == 0  # nothing twice
    for app in apps:
        app.refresh_from_db()
        assert app.status != Application.Status.SUBMITTED and not app.needs_follow_up
        assert app.events.filter(note="提交报名").count() == 1
    assert list(apps[1].events.filter(actor="家长").values_list("note", flat=True)) == ["提交报名", "修改报名信息"]
    assert Notice.objects.filter(application=apps[1]).filter(dedupe_key__contains="submitted").count() == 2
    assert Notice.objects.filter(dedupe_key__endswith=":submitted").count() == 3
    assert apps[0].status == Application.Status.ELIGIBLE  # its records were found: checked and categorised
