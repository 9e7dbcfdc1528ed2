"""The REST API under /api/ (django-ninja, OpenAPI at /api/openapi.json, pages at /api/docs).

The endpoints live with their app, each in its `api.py` as a ninja Router, and are put together
here: the registry at the root, the others under /api/<app>/. What they share (token auth,
masking, the error schema) is in `jiaoguan.core.api`. Endpoints only parse, authorise and
serialise; the figures come from the apps' own functions.
"""
from __future__ import annotations

from ninja import NinjaAPI

from jiaoguan.aid.api import router as aid
from jiaoguan.core.api import TokenAuth
from jiaoguan.enrollment.api import router as enrollment
from jiaoguan.registry.api import router as registry
from jiaoguan.staffing.api import router as staffing
from jiaoguan.supervision.api import router as supervision


class JiaoguanAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        # named after the function only, not its module: moving an endpoint to another file does
        # not rename the methods of generated clients
        return f"jiaoguan_api_{operation.view_func.__name__}"


api = JiaoguanAPI(title="教管 jiaoguan API", version="1", auth=TokenAuth(), urls_namespace="api",
                  description="县教育局数据平台接口。所有列表按令牌所属用户的数据范围过滤。")
# in the order the OpenAPI page lists them
api.add_router("", registry)
api.add_router("/supervision", supervision)
api.add_router("/enrollment", enrollment)
api.add_router("/aid", aid)
api.add_router("/staffing", staffing)
