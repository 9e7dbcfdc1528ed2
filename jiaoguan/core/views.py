from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .models import AuditLog, OrgUnit, Role, SchoolYear


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。连续输错5次，账号将锁定30分钟。",
        "inactive": "该账号已停用。",
    }


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        from .audit import audit

        response = super().form_valid(form)
        audit(self.request.user, AuditLog.Action.LOGIN, request=self.request)
        return response


@require_POST
def logout_view(request):
    logout(request)
    return redirect("login")


def home(request):
    """局领导 and 股室: the county dashboard; schools and inspectors: their own schools at a glance."""
    from jiaoguan.registry.stats import overview
    from jiaoguan.reports.views import counties_for

    counties = counties_for(request.user)
    year = SchoolYear.objects.filter(code=request.GET.get("year")).first() or SchoolYear.current()
    if counties and year:
        from jiaoguan.reports.dashboard import dashboard

        county = counties[0]
        d = dashboard(county, year)
        chart_data = {
            "stages": d["stage_chart"],
            "sizes": d["charts"]["class_sizes"], "cv": d["charts"]["cv_trend"],
        }
        return render(request, "reports/dashboard.html", {"d": d, "county": county, "year": year, "years": SchoolYear.objects.all(),
                                                          "chart_data": chart_data})
    context = {"year": year, "overview": overview(request.user, year) if year else None}
    return render(request, "core/home.html", context)


def audit_log(request):
    user = request.user
    if not (user.is_superuser or user.role in (Role.ADMIN, Role.LEADER)):
        raise PermissionDenied("只有局领导和系统管理员可以查看审计日志")
    logs = AuditLog.objects.select_related("user")
    if not (user.is_superuser or user.role == Role.ADMIN) and user.org_unit_id:
        # a leader sees the log of the users in its own unit's subtree
        units = OrgUnit.objects.filter(path__startswith=user.org_unit.path)
        logs = logs.filter(Q(user__org_unit__in=units) | Q(user__school__org_unit__in=units))
    action = request.GET.get("action")
    if action:
        logs = logs.filter(action=action)
    q = request.GET.get("q", "").strip()
    if q:
        logs = logs.filter(Q(username__icontains=q) | Q(object_repr__icontains=q) | Q(object_type__icontains=q))
    page = Paginator(logs, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit.html", {"page": page, "actions": AuditLog.Action.choices, "action": action, "q": q})
