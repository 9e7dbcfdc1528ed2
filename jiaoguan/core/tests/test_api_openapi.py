"""The root API: /api/openapi.json builds with every app's router, each operation is described in
Chinese for the /api/docs page, and the registry keeps its paths and operation ids."""
import re

import pytest
from django.test import Client

NEW_PATHS = {
    "/api/supervision/runs", "/api/supervision/runs/{run_id}",
    "/api/enrollment/campaigns", "/api/enrollment/campaigns/{campaign_id}", "/api/enrollment/campaigns/{campaign_id}/stats",
    "/api/enrollment/campaigns/{campaign_id}/applications", "/api/enrollment/applications/{application_no}",
    "/api/enrollment/campaigns/{campaign_id}/published",
    "/api/aid/stats", "/api/aid/lists", "/api/aid/lists/{list_id}", "/api/aid/lists/{list_id}/rows",
    "/api/staffing/stats",
}
REGISTRY = {
    "/api/schools": "list_schools", "/api/schools/{code}": "get_school", "/api/classes": "list_classes",
    "/api/pupils": "list_pupils", "/api/pupils/{pupil_id}": "get_pupil",
    "/api/teachers": "list_teachers", "/api/teachers/{teacher_id}": "get_teacher",
}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.django_db
def test_openapi_lists_every_router_in_chinese():
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    assert NEW_PATHS <= set(paths)
    for path, name in REGISTRY.items():
        assert paths[path]["get"]["operationId"] == f"jiaoguan_api_{name}"
    operations = [op for item in paths.values() for op in item.values()]
    assert all(set(item) == {"get"} for item in paths.values())   # read-only
    assert len({op["operationId"] for op in operations}) == len(operations)
    for op in operations:
        assert CHINESE.search(op["summary"]), op["operationId"]
        assert op["tags"] and all(CHINESE.search(t) for t in op["tags"]), op["operationId"]
        assert op.get("security") == [{"TokenAuth": []}], op["operationId"]
    assert Client().get("/api/docs").status_code == 200
