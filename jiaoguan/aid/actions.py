"""Every state change of 学生资助, one function each (Zulip's actions): the function checks the
role, writes the rows and the audit entry in one transaction. Views only parse and call.

The workflow of a school's list in a term: 学校申报 (draft: the school confirms or objects,
then submits) → 资助中心审核 (approve, or return with a reason; strike out single lines) →
公示 (published for a publicity period) → 发放 (a disbursement batch: the bank file out, the
results back, failed payments re-issued once the account is corrected).
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from jiaoguan.core.audit import audit
from jiaoguan.core.models import AuditLog, OrgUnit
from jiaoguan.registry.models import ON_ROLL, Enrolment, School

from . import entitlement, gather
from .models import (BankAccount, Batch, BatchStatus, Decision, Entitlement, EntitlementList, ListStatus, LoanApplication,
                     LoanStatus, Origin, Payment, PaymentResult, PaymentStatus, SchoolRecognition, Term)
from .models.lists import LIVE
from .permissions import AidDenied, AidError, require_declarer, require_office, require_office_for
from .programmes import TermKey, programmes

A = AuditLog.Action


def _now():
    return timezone.now()


# ---------------------------------------------------------------------------- generating lists

@dataclass
class Generated:
    lists_created: int = 0
    lists_refreshed: int = 0
    lists_locked: int = 0          # past 学校申报: left as they are
    created: int = 0
    updated: int = 0
    removed: int = 0
    kept: int = 0

    def summary(self) -> str:
        text = (f"已生成{self.lists_created}份新名单、刷新{self.lists_refreshed}份申报中的名单："
                f"新增{self.created}条，更新{self.updated}条，移除{self.removed}条（不再符合条件），未变化{self.kept}条。")
        if self.lists_locked:
            text += f"另有{self.lists_locked}份名单已申报，未改动。"
        return text


def _write_generated(term: Term, school_ids: list[int], found: list[entitlement.Entitled], result: Generated) -> None:
    by_school: dict[int, list[entitlement.Entitled]] = defaultdict(list)
    for e in found:
        by_school[e.school_id].append(e)
    lists = {lst.school_id: lst for lst in EntitlementList.objects.filter(term=term, school_id__in=school_ids)}
    new_lists = [EntitlementList(term=term, school_id=s) for s in by_school if s not in lists]
    EntitlementList.objects.bulk_create(new_lists, batch_size=1000)
    result.lists_created = len(new_lists)
    lists.update({lst.school_id: lst for lst in EntitlementList.objects.filter(term=term, school_id__in=[x.school_id for x in new_lists])})
    drafts = {s: lst for s, lst in lists.items() if lst.status == ListStatus.DRAFT}
    result.lists_locked = sum(1 for s, lst in lists.items() if lst.status != ListStatus.DRAFT)
    result.lists_refreshed = len([s for s in drafts if s not in {x.school_id for x in new_lists}])
    existing: dict[tuple, Entitlement] = {}
    for e in Entitlement.objects.filter(entitlement_list__in=list(drafts.values()), origin=Origin.GENERATED):
        existing[(e.school_id, e.pupil_id, e.programme, e.stage)] = e
    to_create, to_update, seen = [], [], set()
    for school_id, rows in by_school.items():
        lst = drafts.get(school_id)
        if lst is None:
            continue
        for r in rows:
            key = (school_id, r.pupil_id, r.programme, r.stage)
            seen.add(key)
            categories = ",".join(r.categories)
            old = existing.get(key)
            if old is None:
                to_create.append(Entitlement(
                    entitlement_list=lst, term=term, school_id=school_id, pupil_id=r.pupil_id, enrolment_id=r.enrolment_id,
                    programme=r.programme, stage=r.stage, grade=r.grade, headcount=r.headcount, amount=r.amount, tier=r.tier,
                    categories=categories, basis=r.basis))
            elif (old.amount, old.tier, old.categories, old.basis, old.grade, old.enrolment_id, old.headcount) != (
                    r.amount, r.tier, categories, r.basis, r.grade, r.enrolment_id, r.headcount):
                old.amount, old.tier, old.categories, old.basis = r.amount, r.tier, categories, r.basis
                old.grade, old.enrolment_id, old.headcount = r.grade, r.enrolment_id, r.headcount
                to_update.append(old)
            else:
                result.kept += 1
    gone = [e.pk for key, e in existing.items() if key not in seen and e.payment_status == PaymentStatus.UNPAID]
    Entitlement.objects.filter(pk__in=gone).delete()
    Entitlement.objects.bulk_create(to_create, batch_size=2000)
    Entitlement.objects.bulk_update(to_update, ["amount", "tier", "categories", "basis", "grade", "enrolment_id", "headcount"],
                                    batch_size=1000)
    result.created, result.updated, result.removed = len(to_create), len(to_update), len(gone)


def _generate(term: Term, school_ids: list[int]) -> Generated:
    rows = gather.pupil_rows(term.year, school_ids=school_ids)
    table = programmes()
    found = entitlement.school_lines(entitlement.entitlements(rows, table, term.key), table, term.key)
    result = Generated()
    _write_generated(term, school_ids, found, result)
    EntitlementList.objects.filter(term=term, school_id__in=school_ids, status=ListStatus.DRAFT).update(generated_at=_now())
    return result


def generate_lists(term: Term, *, user, request=None, schools=None) -> Generated:
    """(Re)generate the term's lists of every school in the user's scope from the registry and
    the hardship evidence. Lists still at 学校申报 are refreshed (the school's decisions on
    lines that remain are kept); lists already submitted are left alone."""
    require_office(user, "生成资助名单")
    qs = School.objects.restrict(user).filter(is_active=True)
    if schools is not None:
        qs = qs.filter(pk__in=[s.pk for s in schools])
    school_ids = list(qs.values_list("pk", flat=True))
    with transaction.atomic():
        result = _generate(term, school_ids)
        audit(user, A.CREATE, request=request, object_type="资助名单", object_repr=f"{term}资助名单生成",
              row_count=result.created + result.updated, term=term.code, schools=len(school_ids), created=result.created,
              updated=result.updated, removed=result.removed, kept=result.kept, locked=result.lists_locked)
    return result


def refresh_list(lst: EntitlementList, *, user, request=None) -> Generated:
    """Regenerate one school's list while it is still at 学校申报 (after a new 认定, say)."""
    require_declarer(user, lst.school, "刷新本校资助名单")
    lst.refresh_from_db()
    if lst.status != ListStatus.DRAFT:
        raise AidError("名单已申报，不能再刷新")
    with transaction.atomic():
        result = _generate(lst.term, [lst.school_id])
        audit(user, A.UPDATE, request=request, obj=lst, row_count=result.created + result.updated,
              created=result.created, updated=result.updated, removed=result.removed)
    return result


# ---------------------------------------------------------------------------- hardship evidence

def recognise_pupil(enrolment: Enrolment, *, user, level: str, evidence: str, request=None) -> SchoolRecognition:
    """The school's 认定 of a pupil as 家庭经济困难 for the year, with its evidence."""
    require_declarer(user, enrolment.school, "认定家庭经济困难学生")
    evidence = (evidence or "").strip()
    if len(evidence) < 4:
        raise AidError("请写明认定依据和证据（如：民主评议结果、家访记录、困难申请表编号），至少4个字")
    if enrolment.status not in ON_ROLL:
        raise AidError(f"该生学籍状态为“{enrolment.get_status_display()}”，不能认定")
    with transaction.atomic():
        rec, created = SchoolRecognition.objects.update_or_create(
            pupil_id=enrolment.pupil_id, year_id=enrolment.year_id,
            defaults={"school_id": enrolment.school_id, "enrolment": enrolment, "level": level, "evidence": evidence,
                      "recognised_by": user if user.is_authenticated else None, "recognised_at": _now()})
        audit(user, A.CREATE if created else A.UPDATE, request=request, obj=rec, level=level, evidence=evidence[:200])
    return rec


def revoke_recognition(rec: SchoolRecognition, *, user, reason: str, request=None) -> None:
    require_declarer(user, rec.school, "撤销认定")
    if not (reason or "").strip():
        raise AidError("撤销认定须填写理由")
    with transaction.atomic():
        audit(user, A.DELETE, request=request, obj=rec, reason=reason.strip())
        rec.delete()


def update_account(pupil, *, user, holder: str, bank: str, number: str, request=None) -> BankAccount:
    """Record or correct the account a pupil's aid is paid into (before a re-issue, say)."""
    enrolment = pupil.enrolments.select_related("school").order_by("-year__start").first()
    if enrolment is None:
        raise AidError("该生没有学籍记录")
    require_declarer(user, enrolment.school, "登记资助银行账户")
    number = "".join((number or "").split())
    if not (holder or "").strip() or not (bank or "").strip():
        raise AidError("开户人和开户银行都不能为空")
    if not number.isdigit() or not 12 <= len(number) <= 30:
        raise AidError("银行账号应为12–30位数字")
    with transaction.atomic():
        account, created = BankAccount.objects.update_or_create(
            pupil=pupil, defaults={"holder": holder.strip(), "bank": bank.strip(), "number": number, "updated_at": _now()})
        audit(user, A.CREATE if created else A.UPDATE, request=request, obj=account, object_repr=f"{pupil.name}的资助银行账户")
    return account


# ---------------------------------------------------------------------------- school declaration

def _move(lst: EntitlementList, expected, **fields) -> None:
    """Change the list's status only if nobody changed it meanwhile (two browser tabs, two people)."""
    expected = expected if isinstance(expected, (list, tuple)) else [expected]
    if not EntitlementList.objects.filter(pk=lst.pk, status__in=expected).update(**fields):
        raise AidError("名单状态已被他人改变，请刷新页面后再操作")
    for name, value in fields.items():
        setattr(lst, name, value)


def _list_of(entry: Entitlement) -> EntitlementList:
    return EntitlementList.objects.select_related("school", "term").get(pk=entry.entitlement_list_id)


def _draft(lst: EntitlementList) -> None:
    if lst.status != ListStatus.DRAFT:
        raise AidError(f"名单当前为“{lst.get_status_display()}”，学校已不能修改；如需更正，请学生资助中心退回")


def decide_entry(entry: Entitlement, *, user, decision: str, reason: str = "", request=None) -> Entitlement:
    """The school confirms a line, or objects to it with a reason."""
    lst = _list_of(entry)
    require_declarer(user, lst.school, "确认资助名单")
    _draft(lst)
    reason = (reason or "").strip()
    if decision == Decision.OBJECTED and not reason:
        raise AidError("提出异议必须填写理由（如：已转学、家庭情况好转、重复申报）")
    if decision not in (Decision.CONFIRMED, Decision.OBJECTED, Decision.PENDING):
        raise AidError("未知的确认结果")
    with transaction.atomic():
        entry.decision, entry.decision_reason = decision, reason if decision == Decision.OBJECTED else ""
        entry.save(update_fields=["decision", "decision_reason"])
        audit(user, A.UPDATE, request=request, obj=entry, object_repr=f"{lst} {entry.pupil.name}",
              decision=decision, reason=reason)
    return entry


def submit_list(lst: EntitlementList, *, user, request=None) -> int:
    """学校申报: lines not marked one by one are confirmed with the submission."""
    require_declarer(user, lst.school, "申报资助名单")
    lst.refresh_from_db()
    _draft(lst)
    with transaction.atomic():
        _move(lst, ListStatus.DRAFT, status=ListStatus.SUBMITTED, submitted_at=_now(), submitted_by=user, returned_reason="")
        confirmed = lst.entries.filter(decision=Decision.PENDING).update(decision=Decision.CONFIRMED)
        live = lst.entries.filter(LIVE).count()
        audit(user, A.UPDATE, request=request, obj=lst, row_count=live, step="学校申报", confirmed_with_submission=confirmed,
              objected=lst.entries.filter(decision=Decision.OBJECTED).count())
    return live


def return_list(lst: EntitlementList, *, user, reason: str, request=None) -> None:
    """资助中心 sends a submitted list back to the school with the reason."""
    require_office_for(user, lst.school, "退回资助名单")
    lst.refresh_from_db()
    if lst.status not in (ListStatus.SUBMITTED, ListStatus.APPROVED):
        raise AidError(f"名单当前为“{lst.get_status_display()}”，不能退回")
    reason = (reason or "").strip()
    if not reason:
        raise AidError("退回须填写原因，学校据此修改")
    with transaction.atomic():
        _move(lst, [ListStatus.SUBMITTED, ListStatus.APPROVED], status=ListStatus.DRAFT, returned_reason=reason[:300],
              reviewed_at=None, reviewed_by=None)
        audit(user, A.UPDATE, request=request, obj=lst, step="退回学校", reason=reason)


def exclude_entry(entry: Entitlement, *, user, reason: str, restore: bool = False, request=None) -> Entitlement:
    """资助中心 strikes a line out of a submitted list (核减), or puts it back."""
    lst = _list_of(entry)
    require_office_for(user, lst.school, "核减资助记录")
    if lst.status != ListStatus.SUBMITTED:
        raise AidError("只能在审核阶段核减")
    reason = (reason or "").strip()
    if not restore and not reason:
        raise AidError("核减须填写理由")
    with transaction.atomic():
        entry.excluded, entry.excluded_reason = (False, "") if restore else (True, reason[:300])
        entry.save(update_fields=["excluded", "excluded_reason"])
        audit(user, A.UPDATE, request=request, obj=entry, object_repr=f"{lst} {entry.pupil.name}",
              step="恢复" if restore else "核减", reason=reason)
    return entry


def approve_list(lst: EntitlementList, *, user, request=None) -> int:
    """资助中心审核通过. Refused while any live line is in conflict (each shown with its reason)."""
    require_office_for(user, lst.school, "审核资助名单")
    lst.refresh_from_db()
    if lst.status != ListStatus.SUBMITTED:
        raise AidError(f"名单当前为“{lst.get_status_display()}”，只有待审核的名单可以审核通过")
    conflicts = gather.term_conflicts(lst.term, within=lst.entries.all())
    if conflicts:
        first = "；".join(c.reason for c in conflicts[:3])
        raise AidError(f"名单中有{len({c.line_id for c in conflicts})}条记录存在冲突，请先核减或退回学校：{first}")
    with transaction.atomic():
        _move(lst, ListStatus.SUBMITTED, status=ListStatus.APPROVED, reviewed_at=_now(), reviewed_by=user)
        live = lst.entries.filter(LIVE)
        total = live.aggregate(s=Sum("amount"))["s"] or Decimal(0)
        audit(user, A.UPDATE, request=request, obj=lst, row_count=live.count(), step="资助中心审核", amount=str(total))
    return live.count()


def publish_list(lst: EntitlementList, *, user, days: int = 5, today: datetime.date | None = None, request=None) -> None:
    """公示: the approved list is published at the school for `days` days."""
    require_office_for(user, lst.school, "公示资助名单")
    lst.refresh_from_db()
    if lst.status != ListStatus.APPROVED:
        raise AidError(f"名单当前为“{lst.get_status_display()}”，审核通过后才能公示")
    if not 1 <= days <= 30:
        raise AidError("公示天数应在1–30天之间")
    today = today or timezone.localdate()
    with transaction.atomic():
        _move(lst, ListStatus.APPROVED, status=ListStatus.PUBLISHED, published_at=_now(),
              publicity_until=today + datetime.timedelta(days=days))
        audit(user, A.UPDATE, request=request, obj=lst, step="公示", until=lst.publicity_until.isoformat())


# ---------------------------------------------------------------------------- disbursement

@dataclass
class BatchResult:
    batch: Batch | None = None
    waiting_publicity: int = 0      # lists whose publicity period has not ended
    conflicts: list = field(default_factory=list)
    no_account: int = 0
    account_not_corrected: int = 0

    def summary(self) -> str:
        b = self.batch
        parts = []
        if b:
            parts.append(f"已生成发放批次{b.number}：银行代发{b.rows}笔{b.amount}元，拨付学校或免收{b.school_rows}笔{b.school_amount}元。")
        if self.waiting_publicity:
            parts.append(f"{self.waiting_publicity}份名单公示期未满，未纳入。")
        if self.conflicts:
            parts.append(f"{len({c.line_id for c in self.conflicts})}条记录存在冲突，未纳入（见冲突检查）。")
        if self.no_account:
            parts.append(f"{self.no_account}条缺少银行账户，未纳入，请学校补录账户。")
        if self.account_not_corrected:
            parts.append(f"{self.account_not_corrected}条发放失败的记录账户尚未更正，暂不补发。")
        return "".join(parts)


def _county_for(user, county: OrgUnit | None) -> OrgUnit:
    if county is not None:
        if not School.objects.restrict(user).filter(org_unit__path__startswith=county.path).exists():
            raise AidError(f"{county.name}不在您的管辖范围内")
        return county
    paths = {p for p in School.objects.restrict(user).values_list("org_unit__path", flat=True).distinct()}
    counties = [c for c in OrgUnit.objects.filter(level=OrgUnit.Level.COUNTY) if any(p.startswith(c.path) for p in paths)]
    if len(counties) != 1:
        raise AidError("请选择要发放的县区")
    return counties[0]


def create_batch(term: Term, *, user, county: OrgUnit | None = None, reissue: bool = False,
                 today: datetime.date | None = None, request=None) -> BatchResult:
    """发放: gather the live, unpaid lines (failed ones when re-issuing) of the county's lists
    whose publicity has ended, leave out conflicts and lines without an account, record a bank
    payment for each line paid into an account, and mark the rest (meals, fee waivers) paid to
    the school. Refused, with the reasons, when nothing can be paid."""
    require_office(user, "发放资助资金")
    county = _county_for(user, county)
    today = today or timezone.localdate()
    table = programmes()
    bank_programmes = [p.id for p in table if p.payment == "bank"]
    schools = School.objects.restrict(user).filter(org_unit__path__startswith=county.path)
    lists = EntitlementList.objects.filter(term=term, school__in=schools,
                                           status__in=[ListStatus.PUBLISHED, ListStatus.PAID])
    result = BatchResult()
    result.waiting_publicity = lists.filter(status=ListStatus.PUBLISHED, publicity_until__gte=today).count()
    lists = lists.exclude(status=ListStatus.PUBLISHED, publicity_until__gte=today)
    wanted = PaymentStatus.FAILED if reissue else PaymentStatus.UNPAID
    entries = Entitlement.objects.filter(entitlement_list__in=lists, payment_status=wanted).filter(LIVE)
    result.conflicts = gather.term_conflicts(term, within=entries)
    blocked = {c.line_id for c in result.conflicts}
    rows = list(entries.exclude(pk__in=blocked).values_list("pk", "pupil_id", "programme", "amount", "entitlement_list_id"))
    accounts = {a.pupil_id: a for a in BankAccount.objects.filter(pupil__in=[r[1] for r in rows if r[2] in bank_programmes])}
    last_failure = {}
    if reissue:
        last_failure = dict(Payment.objects.filter(entitlement__in=[r[0] for r in rows], result=PaymentResult.FAILED)
                            .values_list("entitlement").annotate(at=Max("settled_at")))
    bank, in_kind, touched_lists = [], [], set()
    for pk, pupil_id, programme, amount, list_id in rows:
        if programme in bank_programmes:
            account = accounts.get(pupil_id)
            if account is None:
                result.no_account += 1
                continue
            failed_at = last_failure.get(pk)
            if reissue and failed_at and account.updated_at <= failed_at:
                result.account_not_corrected += 1
                continue
            bank.append((pk, amount, account))
        elif not reissue:
            in_kind.append((pk, amount))
        touched_lists.add(list_id)
    if not bank and not in_kind:
        raise AidError("没有可以发放的记录。" + result.summary())
    now = _now()
    with transaction.atomic():
        seq = Batch.objects.filter(county=county, term=term).count() + 1
        batch = Batch.objects.create(
            county=county, term=term, number=f"{term.code}-{county.code}-{seq:02d}", reissue=reissue, created_by=user,
            rows=len(bank), amount=sum((a for _, a, _ in bank), Decimal(0)),
            school_rows=len(in_kind), school_amount=sum((a for _, a in in_kind), Decimal(0)),
            status=BatchStatus.CREATED if bank else BatchStatus.SETTLED, settled_at=None if bank else now)
        Payment.objects.bulk_create([
            Payment(batch=batch, entitlement_id=pk, amount=amount, holder=acc.holder, bank=acc.bank, account_number=acc.number)
            for pk, amount, acc in bank], batch_size=2000)
        # only lines still unpaid (or failed): a batch made meanwhile by someone else pays nothing twice
        moved = Entitlement.objects.filter(pk__in=[pk for pk, _, _ in bank], payment_status=wanted).update(
            payment_status=PaymentStatus.PENDING, batch=batch)
        moved += Entitlement.objects.filter(pk__in=[pk for pk, _ in in_kind], payment_status=wanted).update(
            payment_status=PaymentStatus.PAID, paid_at=now, batch=batch)
        if moved != len(bank) + len(in_kind):
            raise AidError("部分记录已被其他发放批次纳入，请刷新页面后重试")
        EntitlementList.objects.filter(pk__in=touched_lists, status=ListStatus.PUBLISHED).update(status=ListStatus.PAID, paid_at=now)
        audit(user, A.CREATE, request=request, obj=batch, row_count=len(bank) + len(in_kind), step="发放",
              bank_rows=len(bank), bank_amount=str(batch.amount), school_rows=len(in_kind),
              school_amount=str(batch.school_amount), reissue=reissue, left_out_conflicts=len(blocked),
              left_out_no_account=result.no_account)
    result.batch = batch
    return result


def export_bank_file(batch: Batch, *, user, request=None) -> tuple[bytes, int]:
    """The bank file of a batch, with full ID and account numbers: only for the aid office,
    and every export is written to the audit log with its row count."""
    from . import bankfile

    require_office(user, "导出银行代发文件（含完整身份证号和银行账号）")
    if not Batch.objects.restrict(user).filter(pk=batch.pk).exists():
        raise AidDenied("该批次不在您的管辖范围内")
    data, rows = bankfile.write_bank_file(batch)
    with transaction.atomic():
        fields = {"exported_at": _now()}
        if batch.status == BatchStatus.CREATED:
            fields["status"] = BatchStatus.EXPORTED
        Batch.objects.filter(pk=batch.pk).update(**fields)
        for name, value in fields.items():
            setattr(batch, name, value)
        audit(user, A.EXPORT_PII, request=request, obj=batch, object_repr=f"{batch.number} 银行代发文件", row_count=rows,
              amount=str(batch.amount), contains="完整身份证号、银行账号")
    return data, rows


def apply_payment_results(results: list[tuple[int, bool, str]], *, user) -> tuple[int, int, int]:
    """Record the bank's results (payment id, paid?, reason); called inside an import's
    transaction. Returns (paid, failed, unchanged)."""
    require_office(user, "导入发放结果")
    now = _now()
    payments = {p.pk: p for p in Payment.objects.filter(pk__in=[r[0] for r in results]).select_related("entitlement")}
    paid = failed = unchanged = 0
    changed_payments, changed_entries = [], []
    for pk, ok, reason in results:
        p = payments[pk]
        new = PaymentResult.PAID if ok else PaymentResult.FAILED
        reason = "" if ok else reason
        if p.result == new and p.reason == reason:
            unchanged += 1
            continue
        p.result, p.reason, p.settled_at = new, reason, now
        changed_payments.append(p)
        e = p.entitlement
        e.payment_status = PaymentStatus.PAID if ok else PaymentStatus.FAILED
        e.paid_at = now if ok else None
        changed_entries.append(e)
        paid += ok
        failed += not ok
    Payment.objects.bulk_update(changed_payments, ["result", "reason", "settled_at"], batch_size=1000)
    Entitlement.objects.bulk_update(changed_entries, ["payment_status", "paid_at"], batch_size=1000)
    batches = {p.batch_id for p in payments.values()}
    for batch in Batch.objects.filter(pk__in=batches):
        open_ = batch.payments.filter(result=PaymentResult.PENDING).count()
        if not open_ and batch.status != BatchStatus.SETTLED:
            batch.status, batch.settled_at = BatchStatus.SETTLED, now
            batch.save(update_fields=["status", "settled_at"])
    return paid, failed, unchanged


# ---------------------------------------------------------------------------- loans

def record_loan(pupil, year, *, user, university: str, amount, contract_no: str = "", status: str = LoanStatus.APPLIED,
                request=None) -> LoanApplication:
    """生源地信用助学贷款: one application per pupil and school year, up to the year's limit."""
    require_office(user, "登记生源地信用助学贷款")
    if status not in LoanStatus.values:
        raise AidError("贷款状态应为已受理、已放贷或未通过")
    loan = programmes().get("student_loan")
    period = loan.period(TermKey.of_school_year(year.start.year)[0])
    if period is None:
        raise AidError(f"{year}学年尚无生源地信用助学贷款额度标准")
    try:
        amount = Decimal(str(amount))
    except Exception:  # noqa: BLE001 - anything that is not a number
        raise AidError("贷款金额应为数字") from None
    if amount <= 0:
        raise AidError("贷款金额应大于0")
    if amount > period.limit:
        raise AidError(f"贷款金额{amount:.0f}元超过{year}学年每人每年最高{period.limit:.0f}元的标准（{period.source}）")
    if not (university or "").strip():
        raise AidError("请填写就读高校")
    last = pupil.enrolments.select_related("school").order_by("-year__start").first()
    if last is not None:
        require_office_for(user, last.school, "登记该生的助学贷款")
    with transaction.atomic():
        app, created = LoanApplication.objects.update_or_create(
            pupil=pupil, year=year, defaults={"school": last.school if last else None, "university": university.strip(),
                                              "amount": amount, "contract_no": contract_no.strip(), "status": status,
                                              "recorded_by": user})
        audit(user, A.CREATE if created else A.UPDATE, request=request, obj=app, amount=str(amount), status=status)
    return app

