"""/api/aid/: statistics equal stats.py for the caller's scope (exact yuan, 万元 as the reports
write it), lists and rows scoped (another school's list is a 404), ID numbers masked unless
the role allows and asks (then audited), no token → 401."""
from decimal import Decimal

import pytest
from django.test import Client

from jiaoguan.aid import stats
from jiaoguan.aid.models import Entitlement, EntitlementList
from jiaoguan.core.models import ApiToken, AuditLog

from .helpers import populate, term
from .test_stats_and_cli import pay_everything


@pytest.fixture
def paid(world):
    world["pupils"] = populate(world)
    pay_everything(world, term())
    return world


def api(user) -> Client:
    _, key = ApiToken.issue(user, "测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def masked(idn: str) -> str:
    return idn[:6] + "********" + idn[-4:]


def test_statistics_equal_stats_py_for_the_callers_scope(paid):
    year = paid["years"][1]
    for username in ("zizhu", "leader", "school_junior"):
        user = paid["users"][username]
        body = api(user).get(f"/api/aid/stats?year={year.code}").json()
        rows = stats.programme_rows(user, year)
        assert body["year"] == year.code
        assert [(p["id"], p["stage"], p["pupils"], p["times"]) for p in body["programmes"]] == [
            (r["id"], r["stage"], r["pupils"], r["times"]) for r in rows], username
        for got, want in zip(body["programmes"], rows):
            assert Decimal(got["amount"]) == want["amount"] and got["amount_wan"] == stats.wan(want["amount"])
            assert (Decimal(got["standard"]) if got["standard"] is not None else None) == want["standard"]
        totals = stats.totals(user, year)
        assert Decimal(body["totals"]["amount"]) == totals["amount"] and body["totals"]["amount_wan"] == stats.wan(totals["amount"])
        assert (body["totals"]["pupils"], body["totals"]["school_pupils"]) == (totals["pupils"], totals["school_pupils"])
        assert body["sentence"] == stats.report_sentence(rows, year)
    # amounts are exact decimals, not floats
    county = api(paid["users"]["zizhu"]).get(f"/api/aid/stats?year={year.code}").json()
    boarding = next(p for p in county["programmes"] if p["id"] == "boarding_subsidy")
    assert boarding["amount"] == "750.00" and boarding["amount_wan"] == "0.075"
    school = api(paid["users"]["school_junior"]).get(f"/api/aid/stats?year={year.code}").json()
    assert Decimal(school["totals"]["amount"]) < Decimal(county["totals"]["amount"])


def test_lists_with_their_status_scoped_to_the_school(paid):
    junior = paid["junior"]
    own = EntitlementList.objects.get(term=term(), school=junior)
    other = EntitlementList.objects.get(term=term(), school=paid["schools"][0])
    client = api(paid["users"]["school_junior"])
    body = client.get("/api/aid/lists").json()
    assert [(r["id"], r["school_code"], r["term"], r["status"]) for r in body["items"]] == [(own.pk, junior.code, "2026秋季", own.status)]
    assert body["items"][0]["status_label"] == own.get_status_display()
    assert client.get(f"/api/aid/lists?school={other.school.code}").json()["count"] == 0
    assert client.get(f"/api/aid/lists/{other.pk}").status_code == 404
    assert client.get(f"/api/aid/lists/{other.pk}/rows").status_code == 404
    rows = client.get(f"/api/aid/lists/{own.pk}/rows").json()
    assert rows["count"] == own.entries.count() and {r["list_id"] for r in rows["items"]} == {own.pk}

    office = api(paid["users"]["zizhu"])
    everything = office.get("/api/aid/lists?term=2026秋").json()   # the term as people write it
    assert everything["count"] == EntitlementList.objects.filter(term=term()).count() > 1
    assert office.get(f"/api/aid/lists?status={own.status}&school={junior.code}").json()["count"] == 1
    assert api(paid["users"]["zizhu_other"]).get("/api/aid/lists").json()["count"] == 0   # another county's office


def test_rows_masked_unless_allowed_and_asked_for_then_audited(paid):
    the_list = EntitlementList.objects.get(term=term(), school=paid["junior"])
    url = f"/api/aid/lists/{the_list.pk}/rows"
    pupils = {e.pk: e.pupil for e in Entitlement.objects.filter(entitlement_list=the_list, pupil__isnull=False).select_related("pupil")}
    office = api(paid["users"]["zizhu"])
    items = office.get(url).json()["items"]
    assert {r["id"]: r["id_number"] for r in items if r["pupil_id"]} == {pk: masked(p.id_number) for pk, p in pupils.items()}
    assert any(r["pupil_id"] is None and r["id_number"] is None for r in items)   # the school's 营养膳食补助 line
    assert Decimal(items[0]["amount"]) == Entitlement.objects.get(pk=items[0]["id"]).amount

    leader = api(paid["users"]["leader"]).get(f"{url}?full=true").json()["items"]
    assert all("*" in r["id_number"] for r in leader if r["pupil_id"])
    assert not AuditLog.objects.filter(action=AuditLog.Action.VIEW_PII).exists()

    full = office.get(f"{url}?full=true").json()
    assert {r["id"]: r["id_number"] for r in full["items"] if r["pupil_id"]} == {pk: p.id_number for pk, p in pupils.items()}
    log = AuditLog.objects.get(action=AuditLog.Action.VIEW_PII)
    assert (log.username, log.object_type, log.row_count) == ("zizhu", "资助记录", full["count"])


def test_no_token_is_a_401(paid):
    the_list = EntitlementList.objects.filter(term=term()).first()
    for path in ("/api/aid/stats", "/api/aid/lists", f"/api/aid/lists/{the_list.pk}", f"/api/aid/lists/{the_list.pk}/rows"):
        assert Client().get(path).status_code == 401, path
