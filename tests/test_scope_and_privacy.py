"""Scope, masking and audit: a school administrator never reads another school's pupils, on a
page, in an export or through the API; full ID numbers only for roles that may, and audited."""
import io

import fastexcel
import pytest
from django.test import Client

from jiaoguan.core.models import ApiToken, AuditLog
from jiaoguan.registry import models as m

from .factories import PASSWORD, add_pupil


@pytest.fixture
def pupils(world):
    a, b, c = world["schools"]
    year = world["years"][1]
    return {
        "a": add_pupil(a, year, seq=1, name="甲校学生"),
        "b": add_pupil(b, year, seq=3, name="乙校学生"),
        "c": add_pupil(c, year, seq=5, name="外县学生"),
    }


def login(username):
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_restrict_by_role(world, pupils):
    u = world["users"]
    names = lambda user: set(m.Pupil.objects.restrict(user).values_list("name", flat=True))  # noqa: E731
    assert names(u["admin"]) == {"甲校学生", "乙校学生", "外县学生"}
    assert names(u["leader"]) == {"甲校学生", "乙校学生"}  # county subtree only
    assert names(u["school_a"]) == {"甲校学生"}
    assert names(u["inspector"]) == {"乙校学生"}  # assigned schools only
    assert set(m.School.objects.restrict(u["school_b"]).values_list("code", flat=True)) == {"4303210002"}


def test_school_admin_pages(world, pupils):
    client = login("school_a")
    page = client.get("/registry/pupils/").content.decode()
    assert "甲校学生" in page and "乙校学生" not in page
    assert client.get(f"/registry/pupils/{pupils['b'].pk}/").status_code == 404
    assert client.get("/registry/schools/4303210002/").status_code == 404
    assert client.get(f"/registry/pupils/{pupils['a'].pk}/").status_code == 200
    # filtering by another school's code yields nothing rather than leaking
    assert "乙校学生" not in client.get("/registry/pupils/?school=4303210002").content.decode()


def test_lists_mask_personal_data(world, pupils):
    client = login("jiaoji")
    page = client.get("/registry/pupils/").content.decode()
    full = pupils["a"].id_number
    assert full not in page
    assert full[:6] + "********" + full[-4:] in page


def read_export(response):
    frame = fastexcel.read_excel(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content).getvalue()).load_sheet(0, dtypes="string").to_polars()
    return frame


def test_export_is_scoped_masked_and_audited(world, pupils):
    client = login("school_a")
    response = client.get("/registry/pupils/?export=1")
    assert response.status_code == 200
    frame = read_export(response)
    assert frame["姓名"].to_list() == ["甲校学生"]
    assert frame["身份证号"].to_list() == [pupils["a"].id_number[:6] + "********" + pupils["a"].id_number[-4:]]
    log = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert (log.username, log.row_count, log.object_type) == ("school_a", 1, "学生")

    response = client.get("/registry/pupils/?export=1&full=1")
    assert read_export(response)["身份证号"].to_list() == [pupils["a"].id_number]
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT_PII, username="school_a", row_count=1).exists()


def test_leader_cannot_export_full_numbers(world, pupils):
    client = login("leader")
    assert client.get("/registry/pupils/?export=1&full=1").status_code == 403
    assert not AuditLog.objects.filter(action=AuditLog.Action.EXPORT_PII).exists()


def test_reveal_full_number_is_audited(world, pupils):
    client = login("jiaoji")
    url = f"/registry/pupils/{pupils['a'].pk}/"
    assert pupils["a"].id_number not in client.get(url).content.decode()
    assert pupils["a"].id_number in client.post(url, {"reveal": "1"}).content.decode()
    log = AuditLog.objects.get(action=AuditLog.Action.VIEW_PII)
    assert (log.username, log.object_id, log.row_count) == ("jiaoji", str(pupils["a"].pk), 1)
    assert login("leader").post(url, {"reveal": "1"}).status_code == 403


def api(token):
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_api_scope_and_masking(world, pupils):
    _, key = ApiToken.issue(world["users"]["school_a"], "测试")
    client = api(key)
    body = client.get("/api/pupils").json()
    assert [p["name"] for p in body["items"]] == ["甲校学生"]
    assert body["items"][0]["id_number"] == pupils["a"].id_number[:6] + "********" + pupils["a"].id_number[-4:]
    assert client.get(f"/api/pupils/{pupils['b'].pk}").status_code == 404
    assert client.get("/api/schools/4303210002").status_code == 404
    assert client.get("/api/pupils?full=true").json()["items"][0]["id_number"] == pupils["a"].id_number
    assert AuditLog.objects.filter(action=AuditLog.Action.VIEW_PII, username="school_a").exists()
    assert Client().get("/api/pupils").status_code == 401
    assert api("jg_wrong").get("/api/pupils").status_code == 401


def test_api_leader_sees_county_masked_even_when_asking_full(world, pupils):
    _, key = ApiToken.issue(world["users"]["leader"], "测试")
    items = api(key).get("/api/pupils?full=true").json()["items"]
    assert sorted(p["name"] for p in items) == ["乙校学生", "甲校学生"]
    assert all("*" in p["id_number"] for p in items)


def test_class_size_flags(world):
    a = world["schools"][0]
    year = world["years"][1]
    for i in range(56):
        add_pupil(a, year, seq=2 * i + 1, cls="大班", grade=3)
    client = login("leader")
    page = client.get("/registry/schools/4303210001/").content.decode()
    assert "大班额" in page
    classes = client.get("/registry/classes/?size=large_or_huge").content.decode()
    assert "大班" in classes and "56" in classes


def test_pupil_edit_checks_id_and_is_scoped(world, pupils):
    client = login("school_a")
    url = f"/registry/pupils/{pupils['a'].pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200
    data = {"p-name": "甲校学生", "p-id_number": pupils["a"].id_number[:-1] + "0", "p-sex": "男", "p-birth_date": "2018-03-04",
            "p-ethnicity": "汉族", "p-guardian_phone": "13812345678", "e-grade": "3", "e-status": "studying"}
    response = client.post(url, data)
    assert "身份证号校验位错误" in response.content.decode() or pupils["a"].id_number.endswith("0")
    data["p-id_number"] = pupils["a"].id_number
    data["p-guardian_phone"] = "13900001111"
    assert client.post(url, data).status_code == 302
    assert m.Pupil.objects.get(pk=pupils["a"].pk).guardian_phone == "13900001111"
    assert AuditLog.objects.filter(action=AuditLog.Action.UPDATE, username="school_a").exists()
    assert client.get(f"/registry/pupils/{pupils['b'].pk}/edit/").status_code == 404
    assert login("leader").get(url).status_code == 403


def test_list_pages_use_a_fixed_number_of_queries(world):
    """No N+1: twice the rows, the same number of queries (Saleor's query-count tests)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a = world["schools"][0]
    year = world["years"][1]
    client = login("jiaoji")
    client.get("/")  # the first page after log-in renews the session (a write not counted below)

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    for i in range(10):
        add_pupil(a, year, seq=2 * i + 1, name=f"学生{i}")
    before = {p: count(p) for p in ("/registry/pupils/", "/registry/schools/", "/registry/classes/", "/registry/")}
    for i in range(10, 25):
        add_pupil(a, year, seq=2 * i + 1, name=f"学生{i}", cls=f"{i % 3 + 2}班")
    after = {p: count(p) for p in before}
    assert after == before
    assert max(after.values()) <= 15


def test_api_teacher_detail_scoped(world):
    from jiaoguan.registry import models as rm
    from .factories import make_id
    import datetime

    t = rm.Teacher.objects.create(id_number=make_id("430321", datetime.date(1980, 1, 1), 11), name="刘老师", sex="男",
                                  birth_date=datetime.date(1980, 1, 1), phone="13812345678")
    rm.Posting.objects.create(teacher=t, year=world["years"][1], school=world["schools"][1], section="primary", subject="math", education="bachelor")
    _, key = ApiToken.issue(world["users"]["school_b"], "t")
    body = api(key).get(f"/api/teachers/{t.pk}").json()
    assert body["name"] == "刘老师" and body["phone"] == "138****5678"
    _, other = ApiToken.issue(world["users"]["school_a"], "t")
    assert api(other).get(f"/api/teachers/{t.pk}").status_code == 404
