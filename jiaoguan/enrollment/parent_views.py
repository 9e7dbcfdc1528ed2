"""The public parent site /ruxue/ (no staff account; mobile first). A parent logs in with a phone
number and an SMS code; the session keeps only the verified number, and every page shows only
the applications made with that number (anything else is a 404)."""
from __future__ import annotations

import datetime
import functools
import re
import secrets
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jiaoguan.core.audit import client_ip
from jiaoguan.core.idnumbers import mask_id, mask_phone

from . import actions, ceremony, login_codes, present, zones
from .forms import ApplicationForm, DocumentForm, PhoneForm
from .models import Application, Campaign

SESSION_KEY = "enrol_phone"
PENDING_KEY = "enrol_code_phone"
FORM_SALT = "jiaoguan.enrollment.apply-form"
FORM_MAX_AGE = 4 * 3600


def show_code() -> bool:
    return bool(settings.DEBUG or getattr(settings, "ENROLLMENT_SHOW_SMS_CODE", False))


def parent_view(view):
    """Public (no staff log-in) and, unless `public`, needs the parent's verified phone."""

    @login_not_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        phone = request.session.get(SESSION_KEY)
        if not phone:
            return redirect(f"{reverse('ruxue_login')}?{urlencode({'next': request.get_full_path()})}")
        request.parent_phone = phone
        return view(request, *args, **kwargs)

    return wrapper


def own_application(request, token: str) -> Application:
    app = Application.objects.select_related("campaign", "campaign__year", "zone_school__school", "outcome__school").filter(token=token).first()
    if app is None or app.guardian_phone != request.parent_phone:
        raise Http404("没有这份报名")
    return app


def _ctx(request, **extra):
    return {"parent_phone": mask_phone(request.session.get(SESSION_KEY, "")), **extra}


# ---------------------------------------------------------------------------- log-in

@login_not_required
def login(request):
    nxt = request.POST.get("next") or request.GET.get("next") or reverse("ruxue_home")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}) or not nxt.startswith("/ruxue/"):
        nxt = reverse("ruxue_home")
    form = PhoneForm(request.POST or None, initial={"phone": request.session.get(PENDING_KEY, "")})
    error = info = demo_code = None
    sent_to = request.session.get(PENDING_KEY)
    if request.method == "POST":
        action = request.POST.get("action")
        phone = (request.POST.get("phone") or "").strip()
        try:
            if action == "send":
                code = login_codes.send_code(phone, client_ip(request))
                request.session[PENDING_KEY] = sent_to = login_codes.valid_phone(phone)
                info = f"验证码已发送至 {mask_phone(sent_to)}，{login_codes.CODE_MINUTES}分钟内有效"
                if show_code():
                    demo_code = code
            elif action == "verify":
                phone = login_codes.check_code(phone or sent_to or "", request.POST.get("code", ""))
                request.session.cycle_key()
                request.session[SESSION_KEY] = phone
                request.session.pop(PENDING_KEY, None)
                return redirect(nxt)
        except login_codes.CodeError as exc:
            error = str(exc)
            if action == "send" and "已发送" in error:
                request.session[PENDING_KEY] = sent_to = login_codes.valid_phone(phone)
    return render(request, "enrollment/parent/login.html", {
        "form": form, "error": error, "info": info, "demo_code": demo_code, "sent_to": sent_to,
        "phone_value": request.POST.get("phone") or sent_to or "", "next": nxt})


@login_not_required
@require_POST
def logout(request):
    request.session.pop(SESSION_KEY, None)
    request.session.pop(PENDING_KEY, None)
    return redirect("ruxue_login")


# ---------------------------------------------------------------------------- home, form, status

@parent_view
def home(request):
    apps = (Application.objects.filter(guardian_phone=request.parent_phone).select_related("campaign", "outcome__school")
            .order_by("-created"))
    open_campaigns = Campaign.objects.filter(status=Campaign.Status.OPEN).select_related("county", "year").order_by("stage", "pk")
    published = Campaign.objects.filter(status__in=[Campaign.Status.ALLOCATED, Campaign.Status.CLOSED]).order_by("-pk")
    return render(request, "enrollment/parent/home.html", _ctx(request, apps=apps, campaigns=open_campaigns, published=published))


def _private_schools(campaign):
    return list(campaign.schools.filter(private=True).select_related("school").order_by("pk"))


SUBMISSION_ID = re.compile(r"[A-Za-z0-9_-]{8,40}")
CAMPAIGN_SECONDS = 2.0
_campaigns: dict[int, tuple[float, Campaign]] = {}


def _campaign(pk: int) -> Campaign:
    """The campaign, kept two seconds in this process: every parent's form and submission reads
    it, thousands a minute at the opening. A change made in this process is seen at once; another
    server process sees it within two seconds (a submission sent in that time counts as in flight)."""
    now = time.monotonic()
    hit = _campaigns.get(pk)
    if hit and now - hit[0] < CAMPAIGN_SECONDS:
        return hit[1]
    campaign = get_object_or_404(Campaign.objects.select_related("county", "year"), pk=pk)
    _campaigns[pk] = (now, campaign)
    return campaign


@receiver([post_save, post_delete], sender=Campaign)
def _forget_campaign(sender, instance, **kwargs):
    _campaigns.pop(instance.pk, None)


@parent_view
def apply(request, pk: int):
    campaign = _campaign(pk)
    if campaign.status != Campaign.Status.OPEN:
        return render(request, "enrollment/parent/closed.html", _ctx(request, campaign=campaign), status=409)
    error = None
    if request.method == "POST":
        # the private schools are read only when the form names one (the 9 a.m. rush is mostly without)
        private = _private_schools(campaign) if request.POST.getlist("choices") else []
        form = ApplicationForm(request.POST, private_schools=private)
        try:
            issued = signing.loads(request.POST.get("form_token", ""), salt=FORM_SALT, max_age=FORM_MAX_AGE)
        except signing.BadSignature:
            issued = None
        submission_id = request.POST.get("submission_id", "")
        if not issued or issued.get("p") != request.parent_phone or issued.get("c") != campaign.pk:
            error = "页面已过期，请核对后重新提交"
        elif not SUBMISSION_ID.fullmatch(submission_id):
            error = "页面不完整，请刷新后重新提交"
        elif form.is_valid():
            try:
                app, created = actions.submit(campaign, form.cleaned_data, request.parent_phone, form_key=submission_id,
                                              private_ids=[cs.pk for cs in private])
            except actions.ApplicationError as exc:
                error = str(exc)
            else:
                flag = "" if created is None else "?new=1" if created else "?saved=1"  # None: this form was sent before
                return redirect(reverse("ruxue_status", args=[app.token]) + flag)
        if not private:  # show the private-school choices again with the errors
            form = ApplicationForm(request.POST, private_schools=_private_schools(campaign))
            form.is_valid()
    else:
        initial = {"guardian_relation": "父亲"}
        edit = request.GET.get("edit")
        if edit:
            app = own_application(request, edit)
            initial = {f: getattr(app, f) for f in ("child_id_number", "child_name", "guardian_name", "guardian_relation",
                                                   "guardian_id_number", "hukou_address", "property_address", "residence_address")}
            initial["choices"] = app.choices
        form = ApplicationForm(initial=initial, private_schools=_private_schools(campaign))
    # the token ties the form to this parent and campaign for four hours; the submission id makes
    # a second POST of this very page (double click, retry) land on the application it made
    token = signing.dumps({"p": request.parent_phone, "c": campaign.pk}, salt=FORM_SALT)
    return render(request, "enrollment/parent/apply.html", _ctx(
        request, campaign=campaign, form=form, error=error, form_token=token, submission_id=secrets.token_urlsafe(18),
        has_private="choices" in form.fields))


@parent_view
def status(request, token: str):
    app = own_application(request, token)
    rows = present.verification_rows(app)
    wanted = present.documents_wanted(app, rows)
    return render(request, "enrollment/parent/status.html", _ctx(
        request, app=app, rows=rows, categories=present.category_rows(app), steps=present.progress(app),
        events=present.timeline(app), documents=app.documents.all(), wanted=wanted, child_id=mask_id(app.child_id_number),
        upload_form=DocumentForm(initial={"kind": wanted[0][0]} if wanted else None) if wanted else None,
        can_edit=app.campaign.status == Campaign.Status.OPEN and app.status not in (Application.Status.WITHDRAWN,),
        new=request.GET.get("new"), saved=request.GET.get("saved"), uploaded=request.GET.get("uploaded"),
        polling=app.status in (Application.Status.SUBMITTED, Application.Status.VERIFYING)
        and timezone.now() - app.updated < datetime.timedelta(minutes=10)))


@parent_view
@require_POST
def upload(request, token: str):
    app = own_application(request, token)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.upload_document(app, form.cleaned_data["kind"], form.cleaned_data["file"], form.cleaned_data["note"])
        except actions.ApplicationError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(f"{reverse('ruxue_status', args=[app.token])}?uploaded=1#documents")
    rows = present.verification_rows(app)
    return render(request, "enrollment/parent/status.html", _ctx(
        request, app=app, rows=rows, categories=present.category_rows(app), steps=present.progress(app),
        events=present.timeline(app), documents=app.documents.all(), wanted=present.documents_wanted(app, rows),
        child_id=mask_id(app.child_id_number), upload_form=form, can_edit=False), status=400)


@parent_view
def lookup(request, pk: int):
    """Which school(s) an address belongs to (the form asks as the parent types)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    address = (request.GET.get("property_address") or request.GET.get("residence_address") or request.GET.get("hukou_address")
               or request.GET.get("address") or "").strip()
    if not address:
        return HttpResponse("")
    match = zones.lookup(address, actions.zone_units(campaign))
    names = []
    if match.zones:
        names = list(campaign.schools.filter(zones__pk__in=[int(z) for z in match.zones]).values_list("school__name", flat=True).distinct())
    return render(request, "enrollment/parent/_lookup.html", {"match": match, "names": names})


# ---------------------------------------------------------------------------- the public result

@login_not_required
def result(request, pk: int):
    campaign = get_object_or_404(Campaign.objects.select_related("county", "year"), pk=pk,
                                 status__in=[Campaign.Status.ALLOCATED, Campaign.Status.CLOSED])
    rows = ceremony.published(campaign)
    q = (request.GET.get("q") or "").strip().upper()
    shown = [r for r in rows if q in r["application_no"]] if q else rows[:50]
    return render(request, "enrollment/parent/result.html", {"campaign": campaign, "rows": shown, "total": len(rows), "q": q,
                                                             "parent_phone": mask_phone(request.session.get(SESSION_KEY, ""))})


@login_not_required
def result_csv(request, pk: int):
    campaign = get_object_or_404(Campaign, pk=pk, status__in=[Campaign.Status.ALLOCATED, Campaign.Status.CLOSED])
    response = HttpResponse(ceremony.published_csv(campaign), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="published-{campaign.pk}.csv"'
    return response
