"""Aid import files, through the core pipeline (every row checked, nothing written unless all
pass, an error workbook otherwise):

- aid_lists:    other departments' lists (低保, 特困, 防返贫监测, 残疾证, 孤儿), matched to pupils
                by 身份证号;
- aid_returns:  a school's return (学校申报名单) adding lines to its list of a term;
- aid_payments: the bank's results for a disbursement batch (the bank file filled in).
"""
from __future__ import annotations

from collections import defaultdict

import polars as pl

from jiaoguan.core.excel import Column
from jiaoguan.core.importing import Importer, register
from jiaoguan.core.upsert import select_in
from jiaoguan.registry.importers import check_duplicates, check_schools_in_scope, school_code_column
from jiaoguan.registry.models import ON_ROLL, Enrolment, EnrolmentStatus, Pupil

from . import actions, gather
from .entitlement import categories_in_term
from .models import Batch, Decision, DifficultyRecord, Entitlement, EntitlementList, ListKind, ListStatus, Origin, Payment, Term
from .models.hardship import LIST_DEPARTMENT
from .permissions import is_aid_office, is_school_admin
from .programmes import STAGE_LABELS, ProgrammeError, money, programmes, stage_of, yuan

ID_COLUMN = Column("id_number", "身份证号", required=True, text=True, kind="id", note="18位居民身份证号，用于与学籍匹配",
                   example="430321201503041234", width=22)


def _deny_all(rows: pl.DataFrame, errors, message: str) -> None:
    errors.add(0, "", message)


def match_pupils(rows: pl.DataFrame, errors, ctx, *, check_name: bool = True) -> dict[str, tuple[int, str]]:
    """身份证号 → (pupil id, name) for the valid numbers; an error for each number the registry
    does not know, that is outside the user's scope, or whose name differs."""
    ids = rows["id_number"].to_list()
    valid = [v for i, v in enumerate(ids) if v and (i, "id_number") not in errors.cells]
    found = {idn: (pk, name) for idn, pk, name in select_in(Pupil, ["id_number", "pk", "name"], "id_number", valid)}
    visible = set(Pupil.objects.restrict(ctx.user).filter(pk__in=[v[0] for v in found.values()]).values_list("pk", flat=True))
    names = rows["name"].to_list() if "name" in rows.columns else [None] * len(ids)
    for i, (idn, name) in enumerate(zip(ids, names)):
        if not idn or (i, "id_number") in errors.cells:
            continue
        if idn not in found:
            errors.add(i, "身份证号", "在学籍系统中没有这个身份证号的学生，无法匹配。请核对号码；不在本县就读的人员请从名单中删除", "id_number")
        elif found[idn][0] not in visible:
            errors.add(i, "身份证号", "该学生不在您的管辖范围内", "id_number")
        elif check_name and name and name != found[idn][1]:
            errors.add(i, "姓名", f"“{name}”与学籍登记的姓名“{found[idn][1]}”不一致，请检查是否串行或串列")
    return found


# ---------------------------------------------------------------------------- department lists

LIST_KIND_MAP = {label: value for value, label in ListKind.choices} | {
    "最低生活保障": ListKind.DIBAO, "特困": ListKind.TEKUN, "特困人员": ListKind.TEKUN, "监测对象": ListKind.MONITORING,
    "防返贫监测": ListKind.MONITORING, "残疾": ListKind.DISABILITY, "残疾人": ListKind.DISABILITY,
}


@register
class DepartmentListImporter(Importer):
    kind = "aid_lists"
    title = "资助部门名单"
    intro = ("民政、乡村振兴、残联等部门提供的低保、特困供养、防返贫监测对象、残疾证、孤儿名单，可多种名单放在一个表里。"
             "按身份证号与学籍匹配，学籍中没有的身份证号会被拒绝。同一学生同一类名单再次导入时更新有效期。")
    columns = [
        ID_COLUMN,
        Column("name", "姓名", required=True, max_len=40, note="须与学籍登记的姓名一致", example="张小明"),
        Column("kind", "名单类型", required=True, kind="choice", choice_map=LIST_KIND_MAP, note="低保、特困供养、防返贫监测对象、残疾证或孤儿", example="低保"),
        Column("valid_from", "有效期起", kind="date", note="如 2026-01-01；空白表示不限", example="2026-01-01"),
        Column("valid_to", "有效期止", kind="date", note="如 2026-12-31；空白表示长期有效", example="2026-12-31"),
        Column("certificate_no", "证件号或文号", max_len=40, note="低保证号、残疾证号等", example="DB430321202600123"),
        Column("department", "提供部门", max_len=60, note="空白时按名单类型填写", example="湘潭县民政局"),
    ]

    def check(self, rows, errors, warnings, ctx):
        if not is_aid_office(ctx.user):
            return _deny_all(rows, errors, "只有学生资助中心可以导入部门名单，未写入任何数据")
        check_duplicates(rows, ["id_number", "kind"], errors, "身份证号", "同一名单的身份证号")
        for i, (start, end) in enumerate(zip(rows["valid_from"].to_list(), rows["valid_to"].to_list())):
            if start and end and end < start:
                errors.add(i, "有效期止", "早于有效期起")
        self._pupils = match_pupils(rows, errors, ctx)

    def write(self, rows, ctx):
        from django.utils import timezone

        data = rows.to_dicts()
        existing = {(r.pupil_id, r.kind): r for r in DifficultyRecord.objects.filter(
            pupil_id__in=[self._pupils[d["id_number"]][0] for d in data])}
        fields = ["name_on_list", "certificate_no", "valid_from", "valid_to", "department"]
        new, changed, unchanged, now = [], [], 0, timezone.now()
        for d in data:
            pupil_id = self._pupils[d["id_number"]][0]
            values = {"name_on_list": d["name"], "certificate_no": d["certificate_no"] or "", "valid_from": d["valid_from"],
                      "valid_to": d["valid_to"], "department": d["department"] or LIST_DEPARTMENT[d["kind"]]}
            old = existing.get((pupil_id, d["kind"]))
            if old is None:
                new.append(DifficultyRecord(pupil_id=pupil_id, kind=d["kind"], imported_by=ctx.user, imported_at=now, **values))
            elif any(getattr(old, f) != values[f] for f in fields):
                for f in fields:
                    setattr(old, f, values[f])
                old.imported_by, old.imported_at = ctx.user, now
                changed.append(old)
            else:
                unchanged += 1
        DifficultyRecord.objects.bulk_create(new, batch_size=2000)
        DifficultyRecord.objects.bulk_update(changed, [*fields, "imported_by", "imported_at"], batch_size=1000)
        return len(new), len(changed), unchanged


# ---------------------------------------------------------------------------- school returns

@register
class SchoolReturnImporter(Importer):
    kind = "aid_returns"
    title = "学校资助申报名单"
    intro = ("学校补充申报的资助学生：每行一名学生的一个资助项目。只能导入“学校申报中”的名单；金额空白时按标准，"
             "填写时不得超过标准。学生须有学籍，并有家庭经济困难类别（部门名单、学籍标记或学校认定）。")
    columns = [
        school_code_column(),
        Column("term", "学期", required=True, max_len=10, note="如 2026秋季、2027春季", example="2026秋季"),
        ID_COLUMN,
        Column("name", "姓名", required=True, max_len=40, example="张小明"),
        Column("programme", "资助项目", required=True, max_len=40, note="项目名称或简称，如 寄宿生生活补助", example="寄宿生生活补助", width=24),
        Column("amount", "金额（元）", kind="decimal", note="本学期金额；空白按标准", example="750"),
        Column("reason", "申报理由", max_len=300, note="如 家庭突发重大变故，经民主评议认定", width=30),
    ]

    def check(self, rows, errors, warnings, ctx):
        user = ctx.user
        if not (is_aid_office(user) or is_school_admin(user)):
            return _deny_all(rows, errors, "只有学校管理员或学生资助中心可以申报资助名单，未写入任何数据")
        table = programmes()
        schools = check_schools_in_scope(rows, errors, ctx)
        check_duplicates(rows, ["school_code", "term", "id_number", "programme"], errors, "身份证号", "学生的同一项目")
        terms: dict[str, Term | None] = {}
        for value in set(rows["term"].drop_nulls().to_list()):
            try:
                terms[value] = Term.for_code(value)
            except ProgrammeError as exc:
                terms[value] = None
                for i in [i for i, v in enumerate(rows["term"].to_list()) if v == value]:
                    errors.add(i, "学期", str(exc))
        progs = {}
        for i, value in enumerate(rows["programme"].to_list()):
            if not value:
                continue
            try:
                p = table.get(value)
            except ProgrammeError as exc:
                errors.add(i, "资助项目", str(exc))
                continue
            if p.application:
                errors.add(i, "资助项目", f"「{p.short}」按个人申请登记，不通过学校名单申报")
                continue
            if p.payment == "school":
                errors.add(i, "资助项目", f"「{p.short}」按学校在校生人数拨付，由系统按学籍计算，不需逐人申报")
                continue
            progs[i] = p
        pupils = match_pupils(rows, errors, ctx)
        # the pupils' enrolments and hardship categories in each term's school year
        years = {t.year_id: t.year for t in terms.values() if t}
        pupil_ids = [v[0] for v in pupils.values()]
        enrolments = {(e.pupil_id, e.year_id): e for e in Enrolment.objects.filter(
            pupil_id__in=pupil_ids, year_id__in=years).select_related("school")}
        rows_by_year = {y: {r.pupil_id: r for r in gather.pupil_rows(year, pupil_ids=pupil_ids)} for y, year in years.items()}
        lists = {(lst.term_id, lst.school_id): lst for lst in EntitlementList.objects.filter(
            term__in=[t for t in terms.values() if t], school__in=list(schools.values()))}
        status_labels = dict(EnrolmentStatus.choices)
        self._plan = []
        for i, r in enumerate(rows.iter_rows(named=True)):
            term, p, school = terms.get(r["term"]), progs.get(i), schools.get(r["school_code"])
            pupil = pupils.get(r["id_number"])
            if not (term and p and school and pupil) or i in errors.rows:
                continue
            lst = lists.get((term.pk, school.pk))
            if lst and lst.status != ListStatus.DRAFT:
                errors.add(i, "学期", f"{school.name}{term}资助名单已{lst.get_status_display()}，不能再导入；如需更正请学生资助中心退回")
                continue
            e = enrolments.get((pupil[0], term.year_id))
            if e is None:
                errors.add(i, "身份证号", f"该生{term.year}学年没有学籍记录，不能申报")
                continue
            stage = stage_of(e.school.type, e.grade)
            if e.school_id != school.pk:
                warnings.add(i, "学校标识码", f"该生本学年学籍在「{e.school.name}」，将在冲突检查中列出")
            if e.status not in ON_ROLL:
                warnings.add(i, "身份证号", f"该生学籍状态为“{status_labels[e.status]}”，将在冲突检查中列出")
            key = term.key
            if p.period(key) is None:
                errors.add(i, "资助项目", f"「{p.short}」在{term}尚未实施")
                continue
            if stage not in p.stages:
                warnings.add(i, "资助项目", f"「{p.short}」适用于{p.stage_label}，该生为{STAGE_LABELS[stage]}，将在冲突检查中列出")
            stages = [stage] if stage in p.stages else list(p.stages)
            ceiling = max(filter(None, (table.max_term_amount(p, key, s) for s in stages)), default=None)
            row = rows_by_year[term.year_id].get(pupil[0])
            cats = categories_in_term(row.evidence, key) if row else {}
            matched = {c: v for c, v in cats.items() if c in p.rule.categories}
            if p.rule.categories and not p.rule.everyone and not matched:
                errors.add(i, "身份证号", "该生没有本项目要求的家庭经济困难类别（部门名单、学籍标记或学校认定），请先办理学校认定并登记证据")
                continue
            amount = r["amount"]
            if amount is None:
                priced = table.term_amount(p, key, stages[0], tuple(matched))
                amount = priced[0] if priced else ceiling
            else:
                amount = money(amount)
                if amount <= 0:
                    errors.add(i, "金额（元）", "应大于0")
                    continue
                if ceiling is not None and amount > ceiling:
                    errors.add(i, "金额（元）", f"{yuan(amount)}元超过「{p.short}」{term}每生标准{yuan(ceiling)}元")
                    continue
            basis = "学校申报" + (f"：{r['reason']}" if r["reason"] else "")
            if matched:
                basis += " · 困难类别：" + "；".join(ev.text(table.category_short) for evs in matched.values() for ev in evs)
            self._plan.append(dict(term=term, school=school, pupil_id=pupil[0], enrolment=e, programme=p.id, stage=stage,
                                   amount=amount, categories=",".join(matched), basis=basis))

    def write(self, rows, ctx):
        lists = {}
        for plan in self._plan:
            key = (plan["term"].pk, plan["school"].pk)
            if key not in lists:
                lists[key], _ = EntitlementList.objects.get_or_create(term=plan["term"], school=plan["school"])
        existing = {(e.entitlement_list_id, e.pupil_id, e.programme): e for e in Entitlement.objects.filter(
            entitlement_list__in=list(lists.values()), pupil_id__in=[p["pupil_id"] for p in self._plan])}
        created = updated = unchanged = 0
        for plan in self._plan:
            lst = lists[(plan["term"].pk, plan["school"].pk)]
            old = existing.get((lst.pk, plan["pupil_id"], plan["programme"]))
            if old is None:
                Entitlement.objects.create(
                    entitlement_list=lst, term=plan["term"], school=plan["school"], pupil_id=plan["pupil_id"],
                    enrolment=plan["enrolment"], programme=plan["programme"], stage=plan["stage"], grade=plan["enrolment"].grade,
                    amount=plan["amount"], categories=plan["categories"], basis=plan["basis"], origin=Origin.SCHOOL_RETURN,
                    decision=Decision.CONFIRMED)
                created += 1
            elif old.amount != plan["amount"] or old.decision != Decision.CONFIRMED:
                old.amount, old.decision, old.decision_reason = plan["amount"], Decision.CONFIRMED, ""
                old.save(update_fields=["amount", "decision", "decision_reason"])
                updated += 1
            else:
                unchanged += 1
        return created, updated, unchanged


# ---------------------------------------------------------------------------- payment results

RESULT_MAP = {"成功": "paid", "发放成功": "paid", "已发放": "paid", "失败": "failed", "发放失败": "failed", "退回": "failed"}


@register
class PaymentResultImporter(Importer):
    kind = "aid_payments"
    title = "资助发放结果"
    intro = "银行回盘：把导出的银行代发文件填上“发放结果”（成功或失败）和失败原因后导入。失败的记录在更正账户后可补发。"
    columns = [
        Column("batch", "批次号", required=True, max_len=30, example="2026秋季-430321-01", width=22),
        ID_COLUMN,
        Column("name", "姓名", max_len=40),
        Column("programme", "资助项目", required=True, max_len=40, example="寄宿生生活补助", width=24),
        Column("amount", "金额（元）", required=True, kind="decimal", example="750"),
        Column("result", "发放结果", required=True, kind="choice", choice_map=RESULT_MAP, note="成功或失败", example="成功"),
        Column("reason", "失败原因", max_len=200, note="失败时必填，如 账户已销户、户名与账号不符", width=24),
    ]

    def check(self, rows, errors, warnings, ctx):
        if not is_aid_office(ctx.user):
            return _deny_all(rows, errors, "只有学生资助中心可以导入发放结果，未写入任何数据")
        table = programmes()
        check_duplicates(rows, ["batch", "id_number", "programme"], errors, "身份证号", "同一批次同一项目的记录")
        numbers = [n for n in rows["batch"].unique().to_list() if n]
        batches = {b.number: b for b in Batch.objects.restrict(ctx.user).filter(number__in=numbers)}
        pupils = match_pupils(rows, errors, ctx)
        payments = defaultdict(dict)
        for pk, number, pupil_id, programme, amount in Payment.objects.filter(batch__in=list(batches.values())).values_list(
                "pk", "batch__number", "entitlement__pupil_id", "entitlement__programme", "amount"):
            payments[number][(pupil_id, programme)] = (pk, amount)
        self._results = []
        for i, r in enumerate(rows.iter_rows(named=True)):
            if r["batch"] and r["batch"] not in batches:
                errors.add(i, "批次号", f"批次{r['batch']}不存在或不在您的管辖范围内")
                continue
            try:
                p = table.get(r["programme"]) if r["programme"] else None
            except ProgrammeError as exc:
                errors.add(i, "资助项目", str(exc))
                continue
            if r["result"] == "failed" and not r["reason"]:
                errors.add(i, "失败原因", "发放失败须填写失败原因")
            pupil = pupils.get(r["id_number"])
            if not (p and pupil) or i in errors.rows:
                continue
            found = payments[r["batch"]].get((pupil[0], p.id))
            if found is None:
                errors.add(i, "身份证号", f"批次{r['batch']}中没有该生的「{p.short}」发放记录")
                continue
            if r["amount"] is not None and money(r["amount"]) != found[1]:
                errors.add(i, "金额（元）", f"{yuan(money(r['amount']))}元与批次记录的{yuan(found[1])}元不一致")
                continue
            self._results.append((found[0], r["result"] == "paid", r["reason"] or ""))

    def write(self, rows, ctx):
        paid, failed, unchanged = actions.apply_payment_results(self._results, user=ctx.user)
        return 0, paid + failed, unchanged

