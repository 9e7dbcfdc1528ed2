"""学生资助 pages. Views parse and authorise; state changes go through actions.py. Every
queryset starts from `.restrict(request.user)`, so another school's list is a 404."""
from __future__ import annotations

import datetime
import uuid
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiaoguan.core.importing import IMPORTERS, template as write_template
from jiaoguan.core.models import ImportJob, SchoolYear
from jiaoguan.registry.models import Enrolment, Pupil

from . import actions, bankfile, gather, stats
from .checks import KINDS, by_line
from .models import (Batch, Decision, DifficultyRecord, Entitlement, EntitlementList, ListKind, ListStatus, LoanApplication,
                     LoanStatus, Payment, PaymentResult, RecognitionLevel, SchoolRecognition, Term)
from .models.lists import LIVE, ORDER, STEPS
from .permissions import AidError, can_declare, is_aid_office, is_school_admin
from .programmes import LEVEL_LABELS, PAYMENT_LABELS, STAGE_LABELS, STATUS_LABELS, ProgrammeError, TermKey, programmes

PER_PAGE = 50
AID_KINDS = ("aid_lists", "aid_returns", "aid_payments")


# ---------------------------------------------------------------------------- helpers

def current_term_key(today: datetime.date | None = None) -> TermKey:
    today = today or timezone.localdate()
    if today.month >= 9:
        return TermKey(today.year, "autumn")
    if today.month == 1:
        return TermKey(today.year - 1, "autumn")
    return TermKey(today.year, "spring")


def selected_term(request) -> Term | None:
    """The term asked for, else the current one, else the latest with lists. Only the aid
    office brings a new term into being (it is about to generate its lists); for everyone
    else viewing a page never writes."""
    code = request.GET.get("term") or request.POST.get("term") or current_term_key().code
    try:
        code = TermKey.parse(code).code
    except ProgrammeError:
        code = current_term_key().code
    term = Term.objects.filter(code=code).first()
    if term is None and is_aid_office(request.user):
        try:
            term = Term.for_code(code)
        except ProgrammeError:
            term = None
    return term or Term.objects.first()


def selected_year(request) -> SchoolYear | None:
    code = request.GET.get("year")
    year = SchoolYear.objects.filter(code=code).first() if code else None
    return year or SchoolYear.current()


def terms_for_select(request) -> list[str]:
    """Term codes for the selector: the terms with data, and for the aid office also the
    current and next terms whose school year exists (to generate their lists)."""
    codes = set(Term.objects.values_list("code", flat=True))
    if is_aid_office(request.user):
        now = current_term_key()
        for key in (now, TermKey(now.year + 1, "spring") if now.season == "autumn" else TermKey(now.year, "autumn")):
            if SchoolYear.objects.filter(code=f"{key.school_year_start}-{key.school_year_start + 1}").exists():
                codes.add(key.code)
    return sorted(codes, key=lambda c: -TermKey.parse(c).index)


def _xlsx(data: bytes, name: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _run(request, fn, *args, success: str | None = None, **kwargs):
    """Call an action; show its AidError as a message (AidDenied becomes a 403)."""
    try:
        result = fn(*args, user=request.user, request=request, **kwargs)
    except AidError as exc:
        messages.error(request, str(exc))
        return None
    if success:
        messages.success(request, success)
    return result


def _back(request, default: str):
    target = request.POST.get("next") or ""
    return redirect(target if target.startswith("/aid/") else default)


def _page(request, qs, per_page=PER_PAGE):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def _context(request, **extra):
    return {"is_office": is_aid_office(request.user), "is_school": is_school_admin(request.user), **extra}


# ---------------------------------------------------------------------------- statistics

def home(request):
    """学生资助统计 for the user's scope: per programme and stage, year on year, by township
    and school, and where this term's lists stand."""
    user = request.user
    year = selected_year(request)
    if year is None:
        return render(request, "aid/home.html", _context(request, year=None))
    school = user.school if is_school_admin(user) and user.school_id else None
    fallback_from = None
    if not request.GET.get("year") and not stats.paid(user, year).exists():
        # nothing paid yet this year: open on the latest year that has figures
        latest = next((y for y in SchoolYear.objects.filter(start__lt=year.start).order_by("-start")
                       if stats.paid(user, y).exists()), None)
        if latest:
            fallback_from, year = year, latest
    prev = stats.previous_year(year)
    seasons = stats.paid_seasons(user, year)
    partial = seasons if len(seasons) == 1 else None  # a year under way: compare with the same term last year
    rows = stats.with_previous(stats.programme_rows(user, year),
                               stats.programme_rows(user, prev, seasons=partial) if prev else [])
    data_years = stats.years_with_data(user)
    table = programmes()
    chart_years = [y for y in data_years if y.start <= year.start][-3:]
    shown = [p for p in table if not p.application and p.payment != "school"]
    chart = {"years": [y.code + ("学年（进行中）" if y == year and len(stats.paid_seasons(user, y)) == 1 else "学年") for y in chart_years],
             "programmes": [p.short for p in shown], "series": []}
    for y in chart_years:
        by_programme = {r["programme"]: r["amount"] for r in stats.paid(user, y).values("programme").annotate(amount=Sum("amount"))}
        chart["series"].append([round(float(by_programme.get(p.id, 0)) / 10000, 4) for p in shown])
    keep = [i for i in range(len(shown)) if any(series[i] for series in chart["series"])]  # no empty categories
    chart["programmes"] = [chart["programmes"][i] for i in keep]
    chart["series"] = [[series[i] for i in keep] for series in chart["series"]]
    school_rows = stats.school_rows(user, year)
    term = selected_term(request)
    counts = dict(EntitlementList.objects.restrict(user).filter(term=term).values_list("status").annotate(n=Count("pk"))) if term else {}
    context = _context(
        request, year=year, years=SchoolYear.objects.all(), prev=prev, rows=rows, totals=stats.totals(user, year),
        prev_totals=stats.totals(user, prev, seasons=partial) if prev else None, stages=stats.stage_rows(user, year),
        prev_label=(f"{prev.start.year}{'秋季' if 'autumn' in partial else '春季'}" if partial and prev else "上学年") if prev else "",
        partial_label=("截至" + (f"{year.start.year}秋季" if "autumn" in partial else f"{year.start.year + 1}春季")) if partial else "",
        townships=[] if school else stats.township_rows(user, year), schools=school_rows[:20],
        school_count=len(school_rows), chart=chart, sentence=stats.report_sentence(rows, year),
        fallback_from=fallback_from, unpaid_lists=sum(n for st, n in counts.items() if st != ListStatus.PAID) if term and term.year_id == year.pk else 0,
        term=term, counts=[(s.label, counts[s.value], s.value) for s in ListStatus if counts.get(s.value)], school=school,
        days=table.school_days_per_term,
        loan_rows=[r for r in rows if r["id"] == "student_loan"],
    )
    return render(request, "aid/home.html", context)


def programme_list(request):
    """Programmes and standards as the data file gives them, with each amount's source."""
    table = programmes()
    items = []
    for p in table:
        periods = []
        for a in reversed(p.amounts):
            if a.per_day is not None:
                amount = f"{a.per_day}元/生·天（每学期按{table.school_days_per_term}天）"
            elif a.limit is not None:
                amount = f"每人每年最高{a.limit:.0f}元"
            else:
                amount = "，".join(f"{STAGE_LABELS[s]}{v:.0f}元/年" for s, v in a.per_year.items())
                if a.tiers:
                    amount += "；分档：" + "，".join(f"{t.name}{t.per_year:.0f}元" for t in a.tiers)
            if a.grades:
                amount += "（" + "、".join({10: "一年级", 11: "二年级", 12: "三年级"}.get(g, str(g)) for g in a.grades) + "）"
            periods.append({"from": a.start.code, "amount": amount, "source": a.source, "status": STATUS_LABELS.get(a.status, a.status),
                            "unverified": a.status != "V"})
        rule = p.rule
        conditions = []
        if rule.boarding is True:
            conditions.append("寄宿生")
        elif rule.boarding is False:
            conditions.append("非寄宿生")
        if rule.locations:
            conditions.append("学校在" + "、".join({"urban": "城区", "town": "镇区", "rural": "乡村"}[x] for x in rule.locations))
        if rule.ownership:
            conditions.append("、".join({"public": "公办", "private": "民办", "private_inclusive": "普惠性民办"}[x] for x in rule.ownership) + "学校")
        if rule.everyone:
            conditions.append("全体在校生")
        elif rule.categories:
            conditions.append("困难类别之一：" + "、".join(table.category_short[c] for c in rule.categories))
        items.append({"p": p, "level": LEVEL_LABELS[p.level], "stages": p.stage_label, "payment": PAYMENT_LABELS[p.payment],
                      "conditions": "；".join(conditions) or "按申请登记", "periods": periods})
    return render(request, "aid/programmes.html", _context(request, items=items, table=table,
                                                            categories=list(table.categories.items())))


# ---------------------------------------------------------------------------- lists

def list_index(request):
    user = request.user
    term = selected_term(request)
    live = Q(entries__excluded=False) & ~Q(entries__decision=Decision.OBJECTED)
    qs = EntitlementList.objects.restrict(user).filter(term=term).select_related("school__org_unit").annotate(
        lines=Sum("entries__headcount", filter=live), amount=Sum("entries__amount", filter=live),
        objected=Count("entries", filter=Q(entries__decision=Decision.OBJECTED)),
    ).order_by("school__org_unit__path", "school__code")
    by_status = dict(EntitlementList.objects.restrict(user).filter(term=term).values_list("status").annotate(n=Count("pk")))
    status = request.GET.get("status", "")
    if status:
        qs = qs.filter(status=status)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(school__name__contains=q) | Q(school__code__startswith=q) | Q(school__initials__startswith=q.lower()))
    if is_school_admin(user) and qs.count() == 1 and not (status or q):
        return redirect("aid_list", pk=qs.get().pk)
    chips = [("", "全部", sum(by_status.values()))] + [(v, label, by_status.get(v, 0)) for v, label in ListStatus.choices]
    context = _context(request, term=term, terms=terms_for_select(request), page=_page(request, qs), statuses=ListStatus.choices,
                       status=status, q=q, chips=chips)
    return render(request, "aid/lists.html", context)


@require_POST
def generate(request):
    term = selected_term(request)
    if term is None:
        raise Http404
    result = _run(request, actions.generate_lists, term)
    if result:
        messages.success(request, f"{term}：{result.summary()}")
    return redirect(f"{reverse('aid_lists')}?term={term.code}")


def list_detail(request, pk):
    user = request.user
    lst = get_object_or_404(EntitlementList.objects.restrict(user).select_related("term__year", "school__org_unit",
                                                                                   "submitted_by", "reviewed_by"), pk=pk)
    entries = lst.entries.select_related("pupil", "enrolment").order_by(F("grade").asc(nulls_first=True), "programme",
                                                                         "pupil__name", "pk")
    programme = request.GET.get("programme", "")
    if programme:
        entries = entries.filter(programme=programme)
    decision = request.GET.get("decision", "")
    if decision == "excluded":
        entries = entries.filter(excluded=True)
    elif decision:
        entries = entries.filter(decision=decision)
    conflicts = by_line(gather.term_conflicts(lst.term, within=lst.entries.all()))
    if request.GET.get("conflicts") == "1":
        entries = entries.filter(pk__in=list(conflicts))
    page = _page(request, entries)
    for e in page:
        e.conflicts = conflicts.get(e.pk, [])
    summary = list(lst.entries.values("programme").annotate(
        lines=Sum("headcount", filter=LIVE), amount=Sum("amount", filter=LIVE),
        objected=Count("pk", filter=Q(decision=Decision.OBJECTED)), excluded=Count("pk", filter=Q(excluded=True)),
        paid=Sum("headcount", filter=Q(payment_status="paid")),
    ).order_by("programme"))
    order = {p.id: i for i, p in enumerate(programmes())}
    summary.sort(key=lambda r: order.get(r["programme"], 99))
    steps = []
    for label, status in STEPS:
        steps.append({"label": label, "done": ORDER.index(lst.status) > ORDER.index(status) or lst.status == ListStatus.PAID,
                      "current": lst.status == status or (status == ListStatus.SUBMITTED and lst.status == ListStatus.APPROVED)})
    declarer = can_declare(user, lst.school)
    office = is_aid_office(user)
    context = _context(
        request, lst=lst, page=page, summary=summary, steps=steps, conflict_count=len(conflicts),
        totals={"lines": sum(r["lines"] or 0 for r in summary), "amount": sum((r["amount"] or 0) for r in summary)},
        programme=programme, decision=decision, programmes_in_list=[r["programme"] for r in summary],
        decisions=[*Decision.choices, ("excluded", "资助中心核减")],
        can_decide=declarer and lst.status == ListStatus.DRAFT,
        can_review=office and lst.status == ListStatus.SUBMITTED,
        can_publish=office and lst.status == ListStatus.APPROVED,
        can_return=office and lst.status in (ListStatus.SUBMITTED, ListStatus.APPROVED),
        full_path=request.get_full_path(),
    )
    return render(request, "aid/list_detail.html", context)


LIST_STEPS = {
    "submit": (actions.submit_list, "名单已申报，等待学生资助中心审核"),
    "approve": (actions.approve_list, "审核通过，请安排公示"),
    "publish": (actions.publish_list, "名单已公示"),
    "return": (actions.return_list, "名单已退回学校"),
    "refresh": (actions.refresh_list, None),
}


@require_POST
def list_step(request, pk, step):
    lst = get_object_or_404(EntitlementList.objects.restrict(request.user), pk=pk)
    if step not in LIST_STEPS:
        raise Http404
    fn, success = LIST_STEPS[step]
    kwargs = {}
    if step == "return":
        kwargs["reason"] = request.POST.get("reason", "")
    if step == "publish":
        try:
            kwargs["days"] = int(request.POST.get("days") or 5)
        except ValueError:
            kwargs["days"] = 0
    result = _run(request, fn, lst, success=success, **kwargs)
    if step == "refresh" and result is not None:
        messages.success(request, result.summary())
    return redirect("aid_list", pk=lst.pk)


@require_POST
def entry_step(request, pk, step):
    entry = get_object_or_404(Entitlement.objects.restrict(request.user).select_related("entitlement_list__school", "pupil"), pk=pk)
    reason = request.POST.get("reason", "")
    name = entry.pupil.name if entry.pupil_id else "全校"
    if step in ("confirm", "object", "reset"):
        decision = {"confirm": Decision.CONFIRMED, "object": Decision.OBJECTED, "reset": Decision.PENDING}[step]
        done = {"confirm": f"已确认{name}的记录", "object": f"已对{name}的记录提出异议", "reset": f"已撤销对{name}的异议"}[step]
        _run(request, actions.decide_entry, entry, decision=decision, reason=reason, success=done)
    elif step in ("exclude", "restore"):
        done = f"已核减{name}的记录" if step == "exclude" else f"已恢复{name}的记录"
        _run(request, actions.exclude_entry, entry, reason=reason, restore=step == "restore", success=done)
    else:
        raise Http404
    return _back(request, reverse("aid_list", args=[entry.entitlement_list_id]))


# ---------------------------------------------------------------------------- conflicts

def conflict_list(request):
    user = request.user
    term = selected_term(request)
    scope = Entitlement.objects.restrict(user).filter(term=term) if term else Entitlement.objects.none()
    found = gather.term_conflicts(term, within=scope) if term else []
    gather_all = found
    kind = request.GET.get("kind", "")
    counts = {k: len({c.line_id for c in found if c.kind == k}) for k in KINDS}
    if kind:
        found = [c for c in found if c.kind == kind]
    lines = by_line(found)
    page = _page(request, Entitlement.objects.filter(pk__in=list(lines)).select_related(
        "pupil", "school", "entitlement_list", "enrolment").order_by("pupil__name", "pk"))
    for e in page:
        e.conflicts = lines[e.pk]
    context = _context(request, term=term, terms=terms_for_select(request), page=page, kinds=[(k, v, counts[k]) for k, v in KINDS.items()],
                       kind=kind, total=len({c.line_id for c in gather_all}), problems=len(gather_all))
    return render(request, "aid/conflicts.html", context)


# ---------------------------------------------------------------------------- hardship evidence

def hardship(request):
    user = request.user
    records = DifficultyRecord.objects.restrict(user).select_related("pupil").order_by("kind", "pupil__name", "pk")
    kind = request.GET.get("kind", "")
    if kind:
        records = records.filter(kind=kind)
    q = (request.GET.get("q") or "").strip()
    if q:
        records = records.filter(Q(pupil__name__contains=q) | Q(pupil__id_number__startswith=q.upper()))
    year = selected_year(request)
    recognitions = SchoolRecognition.objects.restrict(user).filter(year=year).select_related("pupil", "school", "recognised_by")
    kind_counts = dict(DifficultyRecord.objects.restrict(user).values_list("kind").annotate(n=Count("pk")))
    context = _context(
        request, page=_page(request, records), kinds=[(k, v, kind_counts.get(k, 0)) for k, v in ListKind.choices], kind=kind,
        q=q, year=year, years=SchoolYear.objects.all(), recognitions=recognitions.order_by("-recognised_at")[:50], recognition_count=recognitions.count(), levels=RecognitionLevel.choices,
        can_recognise=is_aid_office(user) or is_school_admin(user),
    )
    return render(request, "aid/hardship.html", context)


@require_POST
def recognise(request):
    user = request.user
    year = selected_year(request)
    key = (request.POST.get("pupil") or "").strip().upper()
    enrolment = (Enrolment.objects.restrict(user).filter(year=year).filter(Q(pupil__id_number=key) | Q(pupil__student_no=key))
                 .select_related("school", "pupil").first()) if key else None
    if enrolment is None:
        messages.error(request, f"在您的管辖范围内没有找到身份证号或学籍号为“{key}”的{year}学年学生")
    else:
        _run(request, actions.recognise_pupil, enrolment, level=request.POST.get("level", RecognitionLevel.DIFFICULT),
             evidence=request.POST.get("evidence", ""), success=f"已认定{enrolment.pupil.name}为家庭经济困难学生；如名单仍在申报中，请刷新名单")
    return redirect(f"{reverse('aid_hardship')}?year={year.code}#recognitions")


@require_POST
def revoke(request, pk):
    rec = get_object_or_404(SchoolRecognition.objects.restrict(request.user), pk=pk)
    _run(request, actions.revoke_recognition, rec, reason=request.POST.get("reason", ""), success="认定已撤销")
    return redirect(f"{reverse('aid_hardship')}#recognitions")


# ---------------------------------------------------------------------------- imports

def _upload(request, kind: str, year=None):
    """Store the uploaded workbook, run the import at once (aid files are small) and show the
    outcome; a rejected file offers the error workbook, as every import does."""
    from jiaoguan.core import import_views
    from jiaoguan.core.tasks import execute_import

    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要导入的Excel文件")
        return None
    if not upload.name.lower().endswith((".xlsx", ".xls")):
        messages.error(request, "只能导入 .xlsx 或 .xls 格式的Excel文件")
        return None
    directory = import_views.UPLOAD_DIR
    directory.mkdir(parents=True, exist_ok=True)
    stored = directory / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
    with stored.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    job = ImportJob.objects.create(kind=kind, user=request.user, year=year or SchoolYear.current(),
                                   filename=upload.name[:200], stored=str(stored))
    execute_import(job.pk)
    return redirect("aid_import_result", pk=job.pk)


@require_POST
def import_file(request, kind):
    if kind not in AID_KINDS:
        raise Http404
    if kind in ("aid_lists", "aid_payments") and not is_aid_office(request.user):
        raise PermissionDenied("只有学生资助中心可以导入该文件")
    if kind == "aid_returns" and not (is_aid_office(request.user) or is_school_admin(request.user)):
        raise PermissionDenied("只有学校管理员或学生资助中心可以导入学校申报名单")
    response = _upload(request, kind)
    if response:
        return response
    return _back(request, reverse("aid_home"))


def import_result(request, pk):
    job = get_object_or_404(ImportJob, pk=pk, kind__in=AID_KINDS)
    if job.user_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    back = {"aid_lists": reverse("aid_hardship"), "aid_returns": reverse("aid_lists"), "aid_payments": reverse("aid_batches")}
    return render(request, "aid/import_result.html", _context(request, job=job, importer=IMPORTERS[job.kind], back=back[job.kind]))


def download_template(request, kind):
    import tempfile

    if kind not in AID_KINDS:
        raise Http404
    tmp = Path(tempfile.mkdtemp()) / f"{kind}.xlsx"
    write_template(kind, tmp)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return FileResponse(open(tmp, "rb"), as_attachment=True, filename=f"{IMPORTERS[kind].title}导入模板_{stamp}.xlsx")


# ---------------------------------------------------------------------------- disbursement

def batch_list(request):
    user = request.user
    if is_school_admin(user):
        raise PermissionDenied("发放批次由学生资助中心办理；本校学生的发放结果见本校资助名单")
    term = selected_term(request)
    batches = Batch.objects.restrict(user).filter(term=term).select_related("created_by", "county") if term else Batch.objects.none()
    ready = EntitlementList.objects.restrict(user).filter(term=term, status=ListStatus.PUBLISHED).count() if term else 0
    failed = Entitlement.objects.restrict(user).filter(term=term, payment_status="failed").count() if term else 0
    context = _context(request, term=term, terms=terms_for_select(request), batches=batches, ready=ready, failed=failed)
    return render(request, "aid/batches.html", context)


@require_POST
def batch_create(request):
    term = selected_term(request)
    if term is None:
        raise Http404
    result = _run(request, actions.create_batch, term, reissue=request.POST.get("reissue") == "1")
    if result:
        messages.success(request, result.summary())
        return redirect("aid_batch", pk=result.batch.pk)
    return redirect(f"{reverse('aid_batches')}?term={term.code}")


def batch_detail(request, pk):
    user = request.user
    batch = get_object_or_404(Batch.objects.restrict(user).select_related("term", "county", "created_by"), pk=pk)
    payments = Payment.objects.filter(batch=batch).select_related("entitlement__pupil", "entitlement__school").order_by(
        "entitlement__school__code", "entitlement__pupil__name", "pk")
    result = request.GET.get("result", "")
    if result:
        payments = payments.filter(result=result)
    counts = dict(Payment.objects.filter(batch=batch).values_list("result").annotate(n=Count("pk")))
    page = _page(request, payments)
    context = _context(request, batch=batch, page=page, result=result,
                       counts=[(v, label, counts.get(v, 0)) for v, label in PaymentResult.choices])
    return render(request, "aid/batch_detail.html", context)


def batch_export(request, pk):
    batch = get_object_or_404(Batch.objects.restrict(request.user).select_related("term"), pk=pk)
    data, _rows = actions.export_bank_file(batch, user=request.user, request=request)
    return _xlsx(data, bankfile.filename(batch))


@require_POST
def account_update(request, pk):
    pupil = get_object_or_404(Pupil.objects.restrict(request.user), pk=pk)
    _run(request, actions.update_account, pupil, holder=request.POST.get("holder", ""), bank=request.POST.get("bank", ""),
         number=request.POST.get("number", ""), success=f"{pupil.name}的资助银行账户已更新，可在补发批次中重新发放")
    return _back(request, reverse("aid_batches"))


# ---------------------------------------------------------------------------- loans

def loan_list(request):
    user = request.user
    year = selected_year(request)
    if request.method == "POST":
        key = (request.POST.get("pupil") or "").strip().upper()
        pupil = Pupil.objects.restrict(user).filter(Q(id_number=key) | Q(student_no=key)).first() if key else None
        if pupil is None:
            messages.error(request, f"在您的管辖范围内没有找到身份证号或学籍号为“{key}”的学生")
        else:
            _run(request, actions.record_loan, pupil, year, university=request.POST.get("university", ""),
                 amount=request.POST.get("amount", ""), contract_no=request.POST.get("contract_no", ""),
                 status=request.POST.get("status") or LoanStatus.APPLIED, success=f"已登记{pupil.name}的{year}学年助学贷款")
        return redirect(f"{reverse('aid_loans')}?year={year.code}")
    loans = LoanApplication.objects.restrict(user).filter(year=year).select_related("pupil", "school")
    summary = loans.values("status").annotate(n=Count("pk"), amount=Sum("amount"))
    loan = programmes().get("student_loan")
    period = loan.period(TermKey.of_school_year(year.start.year)[0]) if year else None
    context = _context(request, year=year, years=SchoolYear.objects.all(), page=_page(request, loans.order_by("-applied_at", "pk")),
                       summary={r["status"]: r for r in summary}, statuses=LoanStatus.choices, period=period)
    return render(request, "aid/loans.html", context)

