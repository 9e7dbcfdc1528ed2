"""Staff pages /enrollment/: campaigns with live statistics, the review queue, an application in
detail (evidence, category, review actions), the zones import and the lottery ceremony.
Scope in permissions.py; every state change goes through actions.py / ceremony.py (audited)."""
from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiaoguan.core.audit import audit
from jiaoguan.core.idnumbers import mask_id, mask_phone
from jiaoguan.core.importing import ImportContext, run_import, template
from jiaoguan.core.models import AuditLog

from . import actions, ceremony, lottery, present, stats
from .forms import EntropyPlanForm, OverrideForm, ZoneSchoolForm, ZonesUploadForm
from .models import AddressUnit, Application, Campaign, Document
from .permissions import (application_or_404, applications_for, campaign_or_404, campaigns_for, can_manage,
                          own_school, require_manage, whole_campaign)

S = Application.Status


def _base(request, campaign: Campaign, **extra) -> dict:
    return {"campaign": campaign, "manage": can_manage(request.user, campaign), "whole": whole_campaign(request.user, campaign),
            "own_school": own_school(request.user, campaign), **extra}


# ---------------------------------------------------------------------------- campaigns

ACTIVE_ORDER = [Campaign.Status.REVIEW, Campaign.Status.FROZEN, Campaign.Status.DRAWN, Campaign.Status.OPEN,
                Campaign.Status.ALLOCATED, Campaign.Status.DRAFT, Campaign.Status.CLOSED]


def campaign_list(request):
    campaigns = list(campaigns_for(request.user).order_by("-year__start", "stage"))
    go = request.GET.get("go")
    if campaigns and go in ("review", "ceremony"):
        # the sidebar's shortcuts: the campaign that most needs this page
        if go == "review":
            pick = max(campaigns, key=lambda c: applications_for(request.user, c).filter(status__in=[S.REVIEW, S.NEEDS_DOCUMENTS]).count())
            return redirect("enrol_review", pk=pick.pk)
        pick = min(campaigns, key=lambda c: ACTIVE_ORDER.index(c.status))
        if whole_campaign(request.user, pick):
            return redirect("enrol_ceremony", pk=pick.pk)
        return redirect("enrol_overview", pk=pick.pk)
    if len(campaigns) == 1:
        return redirect("enrol_overview", pk=campaigns[0].pk)
    rows = []
    for c in campaigns:
        apps = applications_for(request.user, c)
        rows.append({"campaign": c, "total": apps.count(), "review": apps.filter(status__in=[S.REVIEW, S.NEEDS_DOCUMENTS]).count()})
    return render(request, "enrollment/campaigns.html", {"rows": rows})


def overview(request, pk: int):
    campaign = campaign_or_404(request.user, pk)
    apps = applications_for(request.user, campaign)
    data = stats.campaign_stats(campaign, apps)
    allocated = campaign.status in (Campaign.Status.ALLOCATED, Campaign.Status.CLOSED)
    pending_docs = Document.objects.filter(application__in=apps, status=Document.Status.PENDING).count()
    siblings = campaigns_for(request.user).exclude(pk=campaign.pk).order_by("-year__start", "stage")
    return render(request, "enrollment/overview.html", _base(
        request, campaign, stats=data, columns=stats.COLUMNS, chart=stats.chart(data, allocated), allocated=allocated,
        pending_docs=pending_docs, siblings=siblings, step=ceremony.step(campaign),
        next_status=actions.CAMPAIGN_NEXT.get(campaign.status)))


@require_POST
def advance(request, pk: int):
    campaign = campaign_or_404(request.user, pk)
    require_manage(request.user, campaign)
    to = request.POST.get("to", "")
    try:
        actions.advance_campaign(campaign, to, request.user)
    except actions.ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"招生计划已进入“{campaign.get_status_display()}”阶段")
    return redirect("enrol_overview", pk=campaign.pk)


# ---------------------------------------------------------------------------- lists and the review queue

QUEUES = {
    "all": ("全部待办", Q(status__in=[S.REVIEW, S.NEEDS_DOCUMENTS])),
    "address": ("地址未匹配", Q(status=S.REVIEW, zone_school=None)),
    "documents": ("材料待审核", Q(documents__status=Document.Status.PENDING)),
    "needs": ("需补材料（等家长上传）", Q(status=S.NEEDS_DOCUMENTS)),
    "verifying": ("核验未完成", Q(status__in=[S.SUBMITTED, S.VERIFYING])),
}


def _rows(page_apps):
    return [{"app": a, "id": mask_id(a.child_id_number), "phone": mask_phone(a.guardian_phone),
             "category": (a.categories.get(str(a.zone_school_id), {}).get("id") or "统筹") if a.zone_school_id and a.categories else "",
             } for a in page_apps]


def review_queue(request, pk: int):
    campaign = campaign_or_404(request.user, pk)
    apps = applications_for(request.user, campaign)
    key = request.GET.get("q", "all") if request.GET.get("q") in QUEUES else "all"
    counts = {k: apps.filter(cond).distinct().count() for k, (_, cond) in QUEUES.items()}
    qs = apps.filter(QUEUES[key][1]).distinct().select_related("zone_school__school").order_by("updated", "pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "enrollment/review.html", _base(
        request, campaign, queues=[(k, label, counts[k]) for k, (label, _) in QUEUES.items()], key=key, page=page,
        rows=_rows(page.object_list)))


def application_list(request, pk: int):
    campaign = campaign_or_404(request.user, pk)
    apps = applications_for(request.user, campaign).select_related("zone_school__school", "outcome__school")
    status = request.GET.get("status", "")
    school = request.GET.get("school", "")
    q = (request.GET.get("q") or "").strip()
    if status in S.values:
        apps = apps.filter(status=status)
    if school.isdigit():
        apps = apps.filter(Q(zone_school_id=int(school)) | Q(outcome_id=int(school)))
    if q:
        apps = apps.filter(Q(token__icontains=q) | Q(child_name__contains=q) | Q(guardian_name__contains=q))
    page = Paginator(apps.order_by("token"), 50).get_page(request.GET.get("page"))
    params = {k: v for k, v in {"status": status, "school": school, "q": q}.items() if v}
    return render(request, "enrollment/applications.html", _base(
        request, campaign, page=page, rows=_rows(page.object_list), statuses=S.choices, status=status, school=school, q=q,
        schools=campaign.schools.select_related("school").order_by("school__code"), query=urlencode(params)))


# ---------------------------------------------------------------------------- one application

def application_detail(request, token: str):
    app = application_or_404(request.user, token)
    campaign = app.campaign
    full = request.GET.get("full") == "1" and request.user.can_view_pii
    if full:
        audit(request.user, AuditLog.Action.VIEW_PII, request=request, obj=app, object_type="入学申请", row_count=1)
    schools = list(campaign.schools.select_related("school").order_by("private", "school__code"))
    categories = campaign.policy.get("categories", [])
    editable = campaign.status in (Campaign.Status.OPEN, Campaign.Status.REVIEW)
    manage = can_manage(request.user, campaign) and editable
    rows = present.verification_rows(app)
    suggestion = _suggest_zone(app, schools) if not app.zone_school_id else None
    zone_form = ZoneSchoolForm(schools=schools, initial={"school": app.zone_school_id or (suggestion["school"].pk if suggestion else "")})
    override_form = OverrideForm(schools=[s for s in schools if str(s.pk) in app.categories and not s.private], categories=categories,
                                 initial={"school": app.zone_school_id})
    return render(request, "enrollment/application.html", _base(
        request, campaign, app=app, full=full, rows=rows, categories_rows=present.category_rows(app),
        child_id=app.child_id_number if full else mask_id(app.child_id_number),
        guardian_id=app.guardian_id_number if full else mask_id(app.guardian_id_number),
        phone=app.guardian_phone if full else mask_phone(app.guardian_phone),
        calls=app.verifications.order_by("at", "pk"), events=present.timeline(app), documents=app.documents.select_related("reviewed_by"),
        notices=app.notices.order_by("created", "pk"), overrides=app.category_override, editable=editable, can_act=manage,
        zone_form=zone_form, override_form=override_form, suggestion=suggestion,
        can_set_zone=manage and app.status in actions.REVIEWABLE,
        can_override=manage and app.status == S.ELIGIBLE and bool(app.categories)))


def _suggest_zone(app: Application, schools) -> dict | None:
    """For an application without a zone school: the zone that an address (verified first, then
    as typed) would match, to pre-select in the review form."""
    from . import zones as zone_lookup

    units = actions.zone_units(app.campaign)
    by_zone = actions._zone_schools(app.campaign)
    index = {cs.pk: cs for cs in schools}
    for where, address in (("核验的房产地址", app.facts.get("property_address")), ("核验的户籍地址", app.facts.get("hukou_address")),
                           ("核验的居住证地址", app.facts.get("residence_address")), ("填报的房产地址", app.property_address),
                           ("填报的户籍地址", app.hukou_address), ("填报的居住地址", app.residence_address)):
        if not (address or "").strip():
            continue
        match = zone_lookup.lookup(address, units)
        ids = [sid for z in match.zones for sid in by_zone.get(int(z), [])]
        if ids and ids[0] in index:
            return {"school": index[ids[0]], "where": where, "address": address, "reason": match.reason}
    return None


def _back(app, anchor=""):
    return redirect(reverse("enrol_application", args=[app.token]) + anchor)


@require_POST
def set_zone(request, token: str):
    app = application_or_404(request.user, token)
    require_manage(request.user, app.campaign)
    schools = list(app.campaign.schools.select_related("school"))
    form = ZoneSchoolForm(request.POST, schools=schools)
    if not form.is_valid():
        messages.error(request, "请选择对口学校并填写理由")
        return _back(app, "#review")
    school = next(s for s in schools if s.pk == form.cleaned_data["school"])
    try:
        actions.set_zone_school(app, school, set(form.cleaned_data["ties"]), form.cleaned_data["reason"], request.user)
    except actions.ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        app.refresh_from_db()
        messages.success(request, f"已确定对口学校：{school.school.name}；{app.status_note}")
    return _back(app)


@require_POST
def override(request, token: str):
    app = application_or_404(request.user, token)
    campaign = app.campaign
    require_manage(request.user, campaign)
    if campaign.status not in (Campaign.Status.OPEN, Campaign.Status.REVIEW):
        messages.error(request, "名册冻结后不能再调整类别")
        return _back(app)
    schools = [s for s in campaign.schools.select_related("school") if str(s.pk) in app.categories]
    form = OverrideForm(request.POST, schools=schools, categories=campaign.policy.get("categories", []))
    if not form.is_valid():
        messages.error(request, "调整类别必须选择学校、类别并填写理由")
        return _back(app, "#override")
    try:
        actions.override_category(app, form.cleaned_data["school"], form.cleaned_data["rank"], form.cleaned_data["reason"], request.user)
    except actions.ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        rank = form.cleaned_data["rank"]
        cats = campaign.policy.get("categories", [])
        label = f"{cats[rank - 1]['id']}类" if rank <= len(cats) else "统筹"
        messages.success(request, f"类别已调整为{label}，理由已记录")
    return _back(app)


@require_POST
def review_document(request, pk: int):
    doc = get_object_or_404(Document.objects.select_related("application"), pk=pk)
    app = application_or_404(request.user, doc.application.token)
    require_manage(request.user, app.campaign)
    accept = request.POST.get("decision") == "accept"
    try:
        actions.review_document(doc, accept, request.POST.get("note", ""), request.user)
    except actions.ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已记录审核意见" + ("；请接着确定对口学校和片区关系" if accept else "，家长会收到短信"))
    return _back(app, "#review")


def document_file(request, pk: int):
    doc = get_object_or_404(Document.objects.select_related("application"), pk=pk)
    app = application_or_404(request.user, doc.application.token)
    audit(request.user, AuditLog.Action.VIEW_PII, request=request, obj=app, object_type="入学申请材料", row_count=1, document=doc.pk)
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    return FileResponse(handle, filename=doc.original_name, as_attachment=False)


# ---------------------------------------------------------------------------- zones

def zones_page(request, pk: int):
    campaign = campaign_or_404(request.user, pk)
    result = None
    form = ZonesUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require_manage(request.user, campaign)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            tmp = Path(tempfile.mkdtemp()) / Path(upload.name).name
            with tmp.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            ctx = ImportContext(user=request.user, year=campaign.year, request=request)
            ctx.campaign = campaign
            result = run_import("zones", tmp, ctx)
            if result.ok:
                messages.success(request, result.summary())
                return redirect("enrol_zones", pk=campaign.pk)
    zones = campaign.zones.prefetch_related("schools__school", "units").order_by("name")
    unmatched = applications_for(request.user, campaign).filter(status=S.REVIEW, zone_school=None).count()
    return render(request, "enrollment/zones.html", _base(request, campaign, zones=zones, form=form, result=result,
                                                          unmatched=unmatched, units=AddressUnit.objects.filter(zone__campaign=campaign).count()))


def zones_template(request, pk: int):
    campaign = campaign_or_404(request.user, pk)
    tmp = Path(tempfile.mkdtemp()) / "zones.xlsx"
    template("zones", tmp)
    return FileResponse(open(tmp, "rb"), as_attachment=True, filename=f"招生片区导入模板_{campaign.pk}.xlsx")


@require_POST
def rematch(request, pk: int):
    campaign = campaign_or_404(request.user, pk)
    require_manage(request.user, campaign)
    if campaign.status not in (Campaign.Status.OPEN, Campaign.Status.REVIEW):
        messages.error(request, "名册冻结后不能再重新匹配")
        return redirect("enrol_zones", pk=campaign.pk)
    units = actions.zone_units(campaign)
    zone_schools = actions._zone_schools(campaign)
    before = after = 0
    for app in campaign.applications.filter(status=S.REVIEW, zone_school=None).select_related("campaign"):
        before += 1
        if app.documents.exists():
            continue  # documents wait for a person
        actions.categorise(app, units=units, zone_schools=zone_schools)
        after += app.status == S.ELIGIBLE
    audit(request.user, AuditLog.Action.UPDATE, obj=campaign, object_type="招生计划", step="按新片区重新匹配", row_count=before, matched=after)
    messages.success(request, f"已按当前片区重新匹配{before}份地址未匹配的申请，其中{after}份已匹配到对口学校")
    return redirect("enrol_zones", pk=campaign.pk)


# ---------------------------------------------------------------------------- the lottery ceremony

def ceremony_page(request, pk: int):
    campaign = campaign_or_404(request.user, pk)
    if not whole_campaign(request.user, campaign):
        raise Http404("摇号现场页面只对教育局开放")
    step = ceremony.step(campaign)
    apps = campaign.applications
    eligible = actions.eligible(campaign).count()
    pending = apps.filter(status__in=[S.REVIEW, S.NEEDS_DOCUMENTS, S.SUBMITTED, S.VERIFYING]).count()
    in_draw = apps.exclude(lottery="").count()
    rows = ceremony.published(campaign) if step == 5 else []
    first = sorted(apps.exclude(lottery="").values_list("token", "lottery"), key=lambda r: (r[1], r[0]))[:5] if step >= 4 else []
    plan_text = "\n".join(f"{p['name']} | {p.get('commitment', '')}".rstrip(" |") for p in campaign.entropy_plan or [])
    counts = {"admitted": apps.filter(status=S.ADMITTED).count(), "placed": apps.filter(status=S.PLACED).count(),
              "unplaced": apps.filter(status=S.UNPLACED).count()} if step == 5 else {}
    audits = AuditLog.objects.filter(object_type="招生计划", object_id=str(campaign.pk)).order_by("at", "pk")
    return render(request, "enrollment/ceremony.html", _base(
        request, campaign, step=step, steps=ceremony.STEPS, eligible=eligible, pending=pending, in_draw=in_draw,
        rows=rows[:100], total_rows=len(rows), first=first, counts=counts, audits=audits,
        plan_form=EntropyPlanForm(initial={"text": plan_text}), plan=campaign.entropy_plan or [],
        version=lottery.VERSION, seed_text="|".join([lottery.VERSION, str(campaign.year.start.year), campaign.county.code,
                                                     campaign.roster_hash or "名册哈希", *(campaign.entropy or ["公开熵…"])])))


@require_POST
def ceremony_action(request, pk: int, action: str):
    campaign = campaign_or_404(request.user, pk)
    require_manage(request.user, campaign)
    try:
        if action == "plan":
            plan = []
            for line in (request.POST.get("text") or "").splitlines():
                name, _, commitment = line.partition("|")
                plan.append({"name": name.strip(), "commitment": commitment.strip()})
            ceremony.announce_plan(campaign, plan, request.user)
            messages.success(request, f"已公布{len(campaign.entropy_plan)}项熵来源")
        elif action == "freeze":
            digest = ceremony.freeze(campaign, request.user)
            messages.success(request, f"名册已冻结，SHA-256：{digest}")
        elif action == "entropy":
            n = max(len(campaign.entropy_plan or []), 1)
            ceremony.record_entropy(campaign, [request.POST.get(f"entropy_{i}", "") for i in range(n)], request.user)
            messages.success(request, "公开熵已录入" + ("，与事先公布的承诺值一致" if any(p.get("commitment") for p in campaign.entropy_plan or []) else ""))
        elif action == "draw":
            seed = ceremony.draw(campaign, request.user)
            messages.success(request, f"摇号完成，种子：{seed}")
        elif action == "allocate":
            counts = ceremony.allocate(campaign, request.user)
            messages.success(request, f"录取分配完成：录取{counts['admitted']}人，统筹安排{counts['placed']}人，未安排{counts['unplaced']}人")
        else:
            raise Http404
    except actions.ApplicationError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("enrol_ceremony", args=[campaign.pk]) + f"#step{ceremony.step(campaign)}")


def roster_download(request, pk: int):
    campaign = campaign_or_404(request.user, pk)
    if not campaign.roster_hash:
        raise Http404("名册尚未冻结")
    response = HttpResponse(ceremony.roster_text(campaign).encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roster-{campaign.pk}-{campaign.roster_hash[:12]}.txt"'
    return response


def published_csv(request, pk: int):
    campaign = campaign_or_404(request.user, pk)
    if campaign.status not in (Campaign.Status.DRAWN, Campaign.Status.ALLOCATED, Campaign.Status.CLOSED):
        raise Http404("尚未摇号")
    rows = ceremony.published_csv(campaign)
    audit(request.user, AuditLog.Action.EXPORT, request=request, obj=campaign, object_type="招生计划", row_count=rows.count("\n") - 1,
          what="摇号及录取公示名单（姓名脱敏）")
    response = HttpResponse(rows, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="published-{campaign.pk}-{stamp}.csv"'
    return response
