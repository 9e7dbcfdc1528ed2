from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.contrib.auth.decorators import login_not_required

from jiaoguan.core import views as core_views
from jiaoguan.api import api


@login_not_required
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", core_views.logout_view, name="logout"),
    path("audit/", core_views.audit_log, name="audit"),
    path("imports/", include("jiaoguan.core.import_urls")),
    path("registry/", include("jiaoguan.registry.urls")),
    path("supervision/", include("jiaoguan.supervision.urls")),
    path("aid/", include("jiaoguan.aid.urls")),
    path("staffing/", include("jiaoguan.staffing.urls")),
    path("enrollment/", include("jiaoguan.enrollment.urls")),
    path("ruxue/", include("jiaoguan.enrollment.parent_urls")),
    path("reports/", include("jiaoguan.reports.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", healthz),
]
