"""A small open campaign for the enrolment web tests: two zones (one school each), a private
school, department records for hand-made children, a parent log-in helper."""
from __future__ import annotations

import datetime
import re

from jiaoguan.enrollment import sms
from jiaoguan.enrollment.models import AddressUnit, Campaign, CampaignSchool, DepartmentRecord, LoginCode, Zone
from jiaoguan.registry.models import School
from tests.factories import build_world, make_id

POLICY = {
    "categories": [
        {"id": "A", "name": "户籍与房产一致", "all": ["hukou_in_zone", "property_in_zone", "property_share >= 1"]},
        {"id": "B", "name": "户籍在片区", "all": ["hukou_in_zone"]},
        {"id": "C", "name": "房产在片区", "all": ["property_in_zone"]},
    ],
    "keys": [],
}


def make_campaign(status=Campaign.Status.OPEN):
    world = build_world()
    a, b, _ = world["schools"]
    p = School.objects.create(code="4303210099", name="博雅民办小学", org_unit=world["townships"][0], type="primary",
                              location="urban", ownership="private")
    c = Campaign.objects.create(county=world["county"], year=world["years"][1], stage="primary", name="2026年小学一年级招生",
                                policy=POLICY, status=status)
    sa = CampaignSchool.objects.create(campaign=c, school=a, classes=1, class_size=2, x=0, y=0)
    sb = CampaignSchool.objects.create(campaign=c, school=b, classes=1, class_size=3, x=5, y=0)
    sp = CampaignSchool.objects.create(campaign=c, school=p, classes=1, class_size=1, private=True, x=1, y=0)
    za, zb = Zone.objects.create(campaign=c, name="金霞片区"), Zone.objects.create(campaign=c, name="花石片区")
    za.schools.add(sa)
    zb.schools.add(sb)
    AddressUnit.objects.create(zone=za, kind="compound", name="金霞小区")
    AddressUnit.objects.create(zone=zb, kind="compound", name="花石村")
    return {"campaign": c, "a": sa, "b": sb, "p": sp, "world": world, "users": world["users"]}


def child(n: int) -> str:
    return make_id("430321", datetime.date(2020, 3, 1 + n), 2 * n + 1)


def guardian(n: int) -> str:
    return make_id("430321", datetime.date(1990, 5, 1 + n), 2 * n + 1)


def records(n, hukou=None, prop=None, share=1):
    if hukou:
        DepartmentRecord.objects.create(kind="hukou", id_number=child(n), data={"address": hukou, "since": "2018-01-01"})
    if prop:
        DepartmentRecord.objects.create(kind="property", id_number=guardian(n), data={"address": prop, "share": share})


def form_data(n: int, **extra) -> dict:
    return {"child_id_number": child(n), "child_name": f"孩子{n}", "guardian_name": "王芳", "guardian_relation": "母亲",
            "guardian_id_number": guardian(n), "hukou_address": "", "property_address": "", "residence_address": "",
            "promise": "on", **extra}


def last_code(phone: str) -> str:
    for to, text in reversed(sms.LocmemBackend.outbox):
        if to == phone:
            return re.search(r"验证码为(\d{6})", text).group(1)
    raise AssertionError(f"no code sent to {phone}")


def parent_login(client, phone: str) -> None:
    r = client.post("/ruxue/login/", {"action": "send", "phone": phone})
    assert r.status_code == 200, r.content
    r = client.post("/ruxue/login/", {"action": "verify", "phone": phone, "code": last_code(phone)})
    assert r.status_code == 302, r.content.decode()[:2000]
    LoginCode.objects.filter(phone=phone).delete()  # a later log-in in the same test is not rate-limited


def form_token(client, campaign) -> dict:
    """The hidden fields of one application form as shown to this parent."""
    r = client.get(f"/ruxue/apply/{campaign.pk}/")
    assert r.status_code == 200
    page = r.content.decode()
    return {name: re.search(rf'name="{name}" value="([^"]+)"', page).group(1) for name in ("form_token", "submission_id")}
