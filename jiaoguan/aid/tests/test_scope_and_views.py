"""Scope on every aid page: a school administrator sees only its own pupils' aid and another
school's list is a 404; leaders read but cannot act; the office runs the workflow from the page."""
import pytest

from jiaoguan.aid import actions
from jiaoguan.aid.models import Decision, DifficultyRecord, Entitlement, EntitlementList, ListStatus

from .conftest import login
from .helpers import lst, populate, term


@pytest.fixture
def county(world):
    world["pupils"] = populate(world)
    actions.generate_lists(term(), user=world["users"]["zizhu"])
    return world


def test_restrict_by_role(county):
    u = county["users"]
    names = lambda user: set(Entitlement.objects.restrict(user).filter(pupil__isnull=False).values_list("pupil__name", flat=True))  # noqa: E731
    assert names(u["school_a"]) == {"城区孤儿", "认定困难生"}
    assert "住校低保生" in names(u["zizhu"]) and "城区孤儿" in names(u["leader"])
    assert names(u["zizhu_other"]) == set()
    assert set(DifficultyRecord.objects.restrict(u["school_a"]).values_list("pupil__name", flat=True)) == set()
    assert set(DifficultyRecord.objects.restrict(u["school_junior"]).values_list("pupil__name", flat=True)) == {"走读名单生"}


def test_a_school_admin_sees_only_its_own_pupils(county):
    client = login("school_a")
    own, other = lst(county["schools"][0]), lst(county["junior"])
    response = client.get("/aid/lists/")
    assert response.status_code == 302 and response["Location"] == f"/aid/lists/{own.pk}/"
    page = client.get(f"/aid/lists/{own.pk}/").content.decode()
    assert "城区孤儿" in page and "住校低保生" not in page
    assert client.get(f"/aid/lists/{other.pk}/").status_code == 404
    foreign = other.entries.first()
    assert client.post(f"/aid/entries/{foreign.pk}/confirm/").status_code == 404
    assert client.post(f"/aid/lists/{other.pk}/submit/").status_code == 404
    assert "住校低保生" not in client.get("/aid/conflicts/").content.decode()
    assert "走读名单生" not in client.get("/aid/hardship/").content.decode()
    assert client.get("/aid/batches/").status_code == 403
    assert client.get("/aid/").status_code == 200


def test_the_statistics_page_follows_the_scope(county):
    users = county["users"]
    for school in (county["schools"][0], county["junior"]):
        the_list = lst(school)
        actions.submit_list(the_list, user=users["zizhu"])
        actions.approve_list(the_list, user=users["zizhu"])
        actions.publish_list(the_list, user=users["zizhu"], days=1, today=__import__("datetime").date(2026, 10, 1))
    actions.create_batch(term(), user=users["zizhu"])
    Entitlement.objects.filter(payment_status="pending").update(payment_status="paid")
    school_page = login("school_a").get("/aid/").content.decode()
    assert "易俗河镇第一小学 · 学生资助统计" in school_page
    assert "非寄宿生生活补助" in school_page and ">义务教育家庭经济困难寄宿生生活补助<" not in school_page  # the boarder is at the junior school
    county_page = login("leader").get("/aid/").content.decode()
    assert "义务教育家庭经济困难寄宿生生活补助" in county_page and "花石镇" in county_page and 'id="aid-chart-data"' in county_page


def test_leaders_read_but_cannot_act(county):
    client = login("leader")
    the_list = lst(county["junior"])
    assert client.get(f"/aid/lists/{the_list.pk}/").status_code == 200
    assert "确认无误，申报" not in client.get(f"/aid/lists/{the_list.pk}/").content.decode()
    assert client.post(f"/aid/lists/{the_list.pk}/submit/").status_code == 403
    assert client.post("/aid/lists/generate/", {"term": "2026秋季"}).status_code == 403
    the_list.refresh_from_db()
    assert the_list.status == ListStatus.DRAFT


def test_the_workflow_from_the_pages(county):
    school, office = login("school_junior"), login("zizhu")
    the_list = lst(county["junior"])
    line = the_list.entries.filter(pupil__isnull=False).first()
    page = school.get(f"/aid/lists/{the_list.pk}/").content.decode()
    assert "确认无误，申报" in page and "学校申报中" in page
    response = school.post(f"/aid/entries/{line.pk}/object/", {"reason": "", "next": f"/aid/lists/{the_list.pk}/"})
    assert response.status_code == 302
    assert "提出异议必须填写理由" in school.get(f"/aid/lists/{the_list.pk}/").content.decode()
    school.post(f"/aid/entries/{line.pk}/object/", {"reason": "已办理转学"})
    line.refresh_from_db()
    assert line.decision == Decision.OBJECTED and line.decision_reason == "已办理转学"
    school.post(f"/aid/lists/{the_list.pk}/submit/")
    assert "审核通过" in office.get(f"/aid/lists/{the_list.pk}/").content.decode()
    office.post(f"/aid/lists/{the_list.pk}/approve/")
    office.post(f"/aid/lists/{the_list.pk}/publish/", {"days": "5"})
    the_list.refresh_from_db()
    assert the_list.status == ListStatus.PUBLISHED
    assert "公示至" in office.get(f"/aid/lists/{the_list.pk}/").content.decode()


def test_pages_render_for_every_role(county):
    the_list = lst(county["schools"][0])
    for who in ("zizhu", "leader", "school_a", "inspector", "admin", "jiaoji"):
        client = login(who)
        for url in ("/aid/", "/aid/lists/?term=2026秋季", "/aid/conflicts/", "/aid/hardship/", "/aid/programmes/", "/aid/loans/",
                    "/aid/?year=2025-2026"):
            response = client.get(url, follow=True)
            assert response.status_code == 200, (who, url)
    assert login("zizhu").get(f"/aid/lists/{the_list.pk}/?conflicts=1").status_code == 200
    programmes_page = login("leader").get("/aid/programmes/").content.decode()
    assert "自2024年春季学期起执行" in programmes_page and "待核实" in programmes_page
    assert EntitlementList.objects.count() == 4


def test_viewing_never_creates_a_term_only_the_office_opens_one(county):
    from jiaoguan.aid.models import Term

    assert login("leader").get("/aid/lists/?term=2027春季").status_code == 200
    assert not Term.objects.filter(code="2027春季").exists()
    page = login("zizhu").get("/aid/lists/?term=2027春季").content.decode()
    assert Term.objects.filter(code="2027春季").exists() and "生成2027春季名单" in page
