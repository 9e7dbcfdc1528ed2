"""Demo 学生资助 for the demo county (called by `jiaoguan demo` after the registry exists).

Deterministic for the seed. Written in bulk: other departments' lists from the registry's
flags (and some pupils the registry has not flagged), school 认定 with evidence, every term's
lists computed by the same pure code the office uses (entitlement.py), the workflow dates,
bank accounts, disbursement batches with a few failed payments re-issued, and loans. The
current term (2026秋季) is mostly paid, with some schools still declaring, under review or in
publicity, and three planted conflicts for the office to resolve.
"""
from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Q

from jiaoguan.core.models import OrgUnit, SchoolYear, User
from jiaoguan.core.upsert import Table, insert_rows
from jiaoguan.registry.models import ON_ROLL, Enrolment, EnrolmentStatus, Pupil, School

from . import entitlement, gather
from .models import (BankAccount, Batch, BatchStatus, Decision, DifficultyRecord, Entitlement, EntitlementList, ListKind,
                     ListStatus, LoanApplication, LoanStatus, Origin, Payment, PaymentResult, PaymentStatus, RecognitionLevel,
                     SchoolRecognition, Term)
from .programmes import TermKey, programmes, stage_of

TZ = ZoneInfo("Asia/Shanghai")
BANKS = [("湘潭农村商业银行", "6214", 40), ("中国农业银行", "6228", 25), ("中国邮政储蓄银行", "6221", 20), ("中国建设银行", "6217", 10),
         ("中国工商银行", "6222", 5)]
HARDSHIP = ["父亲患重病长期住院，家庭负债", "单亲家庭，母亲务工收入低", "家中房屋遭受火灾", "父母均患残疾，无稳定收入",
            "兄妹三人同时上学，家庭负担重", "家庭主要劳动力因意外去世", "祖父母抚养，父母外出长期无音讯", "家庭因病返贫，已纳入乡镇关注"]
OBJECTIONS = ["家庭经济状况好转，本人申请退出", "已随父母转学外省，学籍转出手续办理中", "经核实与兄长重复申报，保留兄长一人"]
FAILURES = ["账户已销户", "户名与账号不符", "账户冻结", "卡号不存在"]
UNIVERSITIES = ["湘潭大学", "湖南科技大学", "湖南大学", "中南大学", "湖南师范大学", "长沙理工大学", "湖南工程学院", "吉首大学",
                "湖南农业大学", "湖南工业大学", "南华大学", "湖南理工学院"]
# 认定 probability for pupils without other evidence, by stage and school location.
RECOGNITION = {"primary": {"urban": 0.012, "town": 0.04, "rural": 0.055}, "junior": {"urban": 0.015, "town": 0.05, "rural": 0.065},
               "senior": 0.13, "vocational": 0.10, "preschool": 0.01}
BOARDER_FACTOR = 2.4


def insert_tuples(model, fields: list[str], rows: list[tuple], batch_size: int = 10000) -> None:
    """INSERT plain tuples; each distinct value is adapted once (amounts, dates and statuses
    repeat thousands of times in a term's lines)."""
    from django.db import connection

    if not rows:
        return
    table = Table(model, fields)
    columns = list(zip(*rows))
    adapters = [a if a is not None or model._meta.get_field(f).get_internal_type() != "DateTimeField"
                else connection.ops.adapt_datetimefield_value for f, a in zip(fields, table.adapters)]
    for i, adapter in enumerate(adapters):
        if adapter is not None:
            cache = {}
            columns[i] = [None if v is None else (cache[v] if v in cache else cache.setdefault(v, adapter(v))) for v in columns[i]]
    values = list(zip(*columns))
    names = ", ".join(table.col(f) for f in fields)
    sql = f"INSERT INTO {table.name} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        for i in range(0, len(values), batch_size):
            cursor.executemany(sql, values[i:i + batch_size])


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def timeline(key: TermKey) -> dict[str, datetime.date]:
    y = key.year
    if key.season == "autumn":
        d = dict(generated=(9, 20), submitted=(10, 12), reviewed=(10, 22), published=(10, 24), batch=(11, 10),
                 settled=(11, 20), reissue=(12, 4), reissue_settled=(12, 12))
    else:
        d = dict(generated=(3, 10), submitted=(3, 28), reviewed=(4, 8), published=(4, 10), batch=(5, 10),
                 settled=(5, 20), reissue=(6, 4), reissue_settled=(6, 12))
    return {k: datetime.date(y, m, dd) for k, (m, dd) in d.items()}


class DemoAid:
    def __init__(self, seed: int, log):
        self.rng = random.Random(f"jiaoguan-aid-{seed}")
        self.log = log
        self.table = programmes()
        self.office = (User.objects.filter(role="staff", section="aid").order_by("pk").first()
                       or User.objects.filter(is_superuser=True).order_by("pk").first())
        self.school_admins = dict(User.objects.filter(role="school_admin", school__isnull=False).values_list("school_id", "pk"))
        self.years = list(SchoolYear.objects.order_by("start"))
        self.current = SchoolYear.current()
        self.bank_programmes = {p.id for p in self.table if p.payment == "bank"}
        self.accounts: set[int] = set(BankAccount.objects.values_list("pupil_id", flat=True))
        self.counts = defaultdict(int)
        self.rows_cache: dict = {}
        self.tuples: dict = {}
        counties = list(OrgUnit.objects.filter(level="county").order_by("path"))
        self.counties = {c.pk: c for c in counties}
        name = counties[0].name if counties else "本县"
        self.departments = {ListKind.DIBAO: f"{name}民政局", ListKind.TEKUN: f"{name}民政局", ListKind.ORPHAN: f"{name}民政局",
                            ListKind.MONITORING: f"{name}乡村振兴局", ListKind.DISABILITY: f"{name}残疾人联合会"}
        self.county_of = {pk: next((c.pk for c in counties if path.startswith(c.path)), None)
                          for pk, path in School.objects.values_list("pk", "org_unit__path")}

    # ------------------------------------------------------------------ hardship evidence

    def department_lists(self):
        """Each department's list holds most of the pupils the registry flags, and some it does not."""
        flags = defaultdict(set)
        for pupil_id, poor, dibao, tekun, orphan, dis in Enrolment.objects.filter(
                Q(registered_poor=True) | Q(dibao=True) | Q(tekun=True) | Q(orphan=True) | ~Q(disability="")).values_list(
                "pupil_id", "registered_poor", "dibao", "tekun", "orphan", "disability").order_by("pupil_id", "year__start"):
            for kind, flag in ((ListKind.MONITORING, poor), (ListKind.DIBAO, dibao), (ListKind.TEKUN, tekun),
                               (ListKind.ORPHAN, orphan), (ListKind.DISABILITY, bool(dis))):
                if flag:
                    flags[pupil_id].add(kind)
        rural = sorted(set(Enrolment.objects.filter(school__location__in=("town", "rural")).values_list("pupil_id", flat=True)))
        rng = self.rng
        share = {ListKind.MONITORING: 0.85, ListKind.DIBAO: 0.9, ListKind.TEKUN: 0.95, ListKind.ORPHAN: 1.0, ListKind.DISABILITY: 0.8}
        wanted = []
        for pupil_id in sorted(flags):
            for kind in sorted(flags[pupil_id]):
                if rng.random() < share[kind]:
                    wanted.append((pupil_id, kind))
        # the registry lags behind the departments: pupils on a list the school has not flagged
        for pupil_id in rural:
            if pupil_id not in flags:
                r = rng.random()
                if r < 0.012:
                    wanted.append((pupil_id, ListKind.DIBAO))
                elif r < 0.018:
                    wanted.append((pupil_id, ListKind.MONITORING))
        people = {pk: (name, idn) for pk, name, idn in Pupil.objects.filter(
            pk__in=[w[0] for w in wanted], id_number__isnull=False).values_list("pk", "name", "id_number")}
        records = [self.record(pupil_id, kind, *people[pupil_id]) for pupil_id, kind in wanted if pupil_id in people]
        insert_tuples(DifficultyRecord, ["pupil_id", "kind", "name_on_list", "certificate_no", "valid_from", "valid_to",
                                         "department", "imported_by_id", "imported_at"], records)
        self.counts["records"] = len(records)

    def record(self, pupil_id: int, kind: str, name: str, id_number: str) -> tuple:
        rng = self.rng
        start = datetime.date(rng.choice((2023, 2024, 2024, 2025)), rng.choice((1, 4, 7, 10)), 1)
        end = None
        if kind in (ListKind.DIBAO, ListKind.TEKUN):
            end = datetime.date(start.year + rng.choice((2, 3, 3, 4)), start.month, 1) - datetime.timedelta(days=1)
        prefix = {ListKind.DIBAO: "DB", ListKind.TEKUN: "TK", ListKind.MONITORING: "JC", ListKind.ORPHAN: "GE"}.get(kind)
        cert = f"{id_number}{rng.choice('1234')}{rng.choice('1234')}" if kind == ListKind.DISABILITY else f"{prefix}{id_number[:6]}{rng.randrange(10**7):07d}"
        department = self.departments[kind]
        return (pupil_id, kind, name, cert, start if kind != ListKind.ORPHAN else None, end, department,
                self.office.pk if self.office else None, at(datetime.date(start.year, max(start.month, 2), 5)))

    def recognitions(self):
        """The schools' 认定 for pupils without other evidence, persistent from year to year."""
        listed = set(DifficultyRecord.objects.values_list("pupil_id", flat=True))
        u: dict[int, float] = {}
        rng = self.rng
        rows = []
        for year in self.years:
            when = at(datetime.date(year.start.year, 9, 15))
            self.tuples[year.pk] = gather.enrolment_tuples(Enrolment.objects.filter(year=year).order_by("pk"))
            for pupil_id, pk, school_id, stype, location, _own, grade, status, boarding, poor, dibao, tekun, orphan, dis in self.tuples[year.pk]:
                if status not in ON_ROLL:
                    continue
                if poor or dibao or tekun or orphan or dis or pupil_id in listed:
                    continue
                stage = stage_of(stype, grade)
                p = RECOGNITION[stage][location] if isinstance(RECOGNITION[stage], dict) else RECOGNITION[stage]
                if boarding and stage in ("primary", "junior"):
                    p *= BOARDER_FACTOR
                if pupil_id not in u:
                    u[pupil_id] = rng.random()
                if u[pupil_id] < p:
                    level = RecognitionLevel.SPECIAL if u[pupil_id] < p / 4 else RecognitionLevel.DIFFICULT
                    evidence = (f"{year.start.year}年9月班级民主评议通过；{HARDSHIP[int(u[pupil_id] * 1e6) % len(HARDSHIP)]}；"
                                f"家访记录JF-{year.start.year}-{pk % 1000:03d}")
                    rows.append({"pupil_id": pupil_id, "year_id": year.pk, "school_id": school_id, "enrolment_id": pk,
                                 "level": level, "evidence": evidence, "recognised_by_id": self.school_admins.get(school_id),
                                 "recognised_at": when})
        if rows:
            insert_rows(SchoolRecognition, list(rows[0]), rows)
        self.counts["recognitions"] = len(rows)

    # ------------------------------------------------------------------ lists per term

    def terms(self) -> list[Term]:
        out = []
        last = TermKey(self.current.start.year, "autumn").index if self.current else None
        for year in self.years:
            for key in TermKey.of_school_year(year.start.year):
                if last is None or key.index <= last:
                    out.append(Term.objects.get_or_create(code=key.code, defaults={"year": year, "season": key.season,
                                                                                     "index": key.index})[0])
        return out

    def in_progress(self, schools_with_lists: list[int], school_info: dict) -> dict[int, str]:
        """The current term's schools that have not reached 发放 yet, by status."""
        rng = random.Random(self.rng.random())
        chosen: dict[int, str] = {}
        for school_id in self.school_admins:
            if school_id in schools_with_lists:
                chosen[school_id] = ListStatus.DRAFT
        by_type = defaultdict(list)
        for s in sorted(schools_with_lists):
            if s not in chosen:
                by_type[school_info[s]["type"]].append(s)
        picks = [("junior", ListStatus.SUBMITTED), ("complete_secondary", ListStatus.SUBMITTED), ("primary", ListStatus.SUBMITTED),
                 ("primary", ListStatus.DRAFT), ("junior", ListStatus.DRAFT), ("kindergarten", ListStatus.DRAFT),
                 ("primary", ListStatus.APPROVED), ("nine_year", ListStatus.APPROVED),
                 ("junior", ListStatus.PUBLISHED), ("primary", ListStatus.PUBLISHED)]
        for stype, status in picks:
            pool = [s for s in by_type.get(stype, []) if s not in chosen]
            if pool:
                chosen[rng.choice(pool)] = status
        return chosen

    def term(self, term: Term, current: bool, school_info: dict):
        key = term.key
        dates = timeline(key)
        if term.year_id not in self.rows_cache:
            self.rows_cache = {term.year_id: gather.pupil_rows(term.year, tuples=self.tuples.get(term.year_id))}
        found = entitlement.school_lines(entitlement.entitlements(self.rows_cache[term.year_id], self.table, key), self.table, key)
        by_school = defaultdict(list)
        for e in found:
            by_school[e.school_id].append(e)
        statuses = self.in_progress(list(by_school), school_info) if current else {}
        list_ids = self.make_lists(term, by_school, statuses, dates)
        # decide every line's fate first, so each is written once in its final state
        rng = self.rng
        plan = []
        for school_id in sorted(by_school):
            status = statuses.get(school_id, ListStatus.PAID)
            for e in by_school[school_id]:
                decision, reason, outcome = Decision.CONFIRMED, "", None
                if status == ListStatus.DRAFT:
                    decision = Decision.PENDING if rng.random() < 0.7 else Decision.CONFIRMED
                elif rng.random() < 0.004 and e.programme in self.bank_programmes:
                    decision, reason = Decision.OBJECTED, rng.choice(OBJECTIONS)
                if status == ListStatus.PAID and decision != Decision.OBJECTED:
                    outcome = "paid" if e.programme not in self.bank_programmes or rng.random() >= 0.006 else rng.choice(FAILURES)
                plan.append((e, decision, reason, outcome))
        self.make_accounts({e.pupil_id for e, _, _, outcome in plan if outcome and e.programme in self.bank_programmes})
        batches = self.make_batches(term, plan, dates, reissue=not current)
        paid_at, reissued_at = at(dates["settled"], 11), at(dates["reissue_settled"], 11)
        fields = ["entitlement_list_id", "term_id", "school_id", "pupil_id", "enrolment_id", "programme", "stage", "grade", "headcount", "amount",
                  "tier", "categories", "basis", "origin", "decision", "decision_reason", "excluded", "excluded_reason",
                  "payment_status", "paid_at", "batch_id"]
        data = []
        batch_pks = {c: (first.pk, second.pk if second else None) for c, (first, second) in batches.items()}
        for e, decision, reason, outcome in plan:
            county = self.county_of[e.school_id]
            if outcome is None:
                pay_status, when, batch = PaymentStatus.UNPAID, None, None
            elif outcome == "paid":
                pay_status, when, batch = PaymentStatus.PAID, paid_at, batch_pks[county][0]
            elif current:
                pay_status, when, batch = PaymentStatus.FAILED, None, batch_pks[county][0]
            else:
                pay_status, when, batch = PaymentStatus.PAID, reissued_at, batch_pks[county][1]
            data.append((list_ids[e.school_id], term.pk, e.school_id, e.pupil_id, e.enrolment_id, e.programme, e.stage, e.grade,
                         e.headcount, e.amount, e.tier, ",".join(e.categories), e.basis, Origin.GENERATED, decision, reason, False, "",
                         pay_status, when, batch))
        insert_tuples(Entitlement, fields, data)
        self.counts["entitlements"] += len(data)
        self.make_payments(term, plan, batches, dates, current)
        if current:
            self.plant_conflicts(term, statuses, list_ids)

    def make_lists(self, term, by_school, statuses, dates) -> dict[int, int]:
        order = [ListStatus.DRAFT, ListStatus.SUBMITTED, ListStatus.APPROVED, ListStatus.PUBLISHED, ListStatus.PAID]
        lists = []
        for school_id in sorted(by_school):
            status = statuses.get(school_id, ListStatus.PAID)
            lst = EntitlementList(term=term, school_id=school_id, status=status, generated_at=at(dates["generated"]))
            reached = order.index(status)
            if reached >= 1:
                lst.submitted_at = at(dates["submitted"], 9 + school_id % 8, school_id % 60)
                lst.submitted_by_id = self.school_admins.get(school_id)
            if reached >= 2:
                lst.reviewed_at, lst.reviewed_by = at(dates["reviewed"], 15), self.office
            if reached >= 3:
                day = dates["published"] if status == ListStatus.PAID else dates["settled"]
                lst.published_at, lst.publicity_until = at(day, 9), day + datetime.timedelta(days=5)
            if reached >= 4:
                lst.paid_at = at(dates["batch"], 16)
            lists.append(lst)
        EntitlementList.objects.bulk_create(lists, batch_size=2000)
        return dict(EntitlementList.objects.filter(term=term).values_list("school_id", "pk"))

    def make_batches(self, term, plan, dates, *, reissue: bool) -> dict:
        """Per county: the term's batch, and a re-issue batch when payments failed (past terms)."""
        totals = defaultdict(lambda: {"rows": 0, "amount": Decimal(0), "school_rows": 0, "school_amount": Decimal(0),
                                      "failed": 0, "failed_amount": Decimal(0)})
        for e, _decision, _reason, outcome in plan:
            if outcome is None:
                continue
            t = totals[self.county_of[e.school_id]]
            if e.programme in self.bank_programmes:
                t["rows"] += 1
                t["amount"] += e.amount
                if outcome != "paid":
                    t["failed"] += 1
                    t["failed_amount"] += e.amount
            else:
                t["school_rows"] += 1
                t["school_amount"] += e.amount
        out = {}
        for county_id in sorted(totals):
            t, county = totals[county_id], self.counties[county_id]
            first = Batch.objects.create(
                county=county, term=term, number=f"{term.code}-{county.code}-01", created_by=self.office,
                created_at=at(dates["batch"], 16), exported_at=at(dates["batch"], 16, 20), settled_at=at(dates["settled"], 11),
                status=BatchStatus.SETTLED, rows=t["rows"], amount=t["amount"], school_rows=t["school_rows"],
                school_amount=t["school_amount"])
            second = None
            if reissue and t["failed"]:
                second = Batch.objects.create(
                    county=county, term=term, number=f"{term.code}-{county.code}-02", reissue=True, created_by=self.office,
                    created_at=at(dates["reissue"], 10), exported_at=at(dates["reissue"], 10, 30),
                    settled_at=at(dates["reissue_settled"], 11), status=BatchStatus.SETTLED, rows=t["failed"],
                    amount=t["failed_amount"])
            out[county_id] = (first, second)
        return out

    def make_payments(self, term, plan, batches, dates, current: bool):
        """A bank payment for every paid bank line; the failed ones again after the account was
        corrected (past terms), or still failed (this term)."""
        pks = {(p, s, prog): pk for pk, p, s, prog in Entitlement.objects.filter(
            term=term, programme__in=self.bank_programmes, batch__isnull=False).values_list("pk", "pupil_id", "school_id", "programme")}
        accounts = {p: [h, b, n] for p, h, b, n in BankAccount.objects.filter(pupil_id__in={k[0] for k in pks}).values_list(
            "pupil_id", "holder", "bank", "number")}
        rows, corrected = [], []
        settled, reissued = at(dates["settled"], 11), at(dates["reissue_settled"], 11)
        batch_pks = {c: (first.pk, second.pk if second else None) for c, (first, second) in batches.items()}
        for e, _decision, _reason, outcome in plan:
            if outcome is None or e.programme not in self.bank_programmes:
                continue
            first, second = batch_pks[self.county_of[e.school_id]]
            pk, (holder, bank, number) = pks[(e.pupil_id, e.school_id, e.programme)], accounts[e.pupil_id]
            ok = outcome == "paid"
            rows.append((first, pk, e.amount, holder, bank, number, PaymentResult.PAID if ok else PaymentResult.FAILED,
                         "" if ok else outcome, settled))
            if not ok and not current:
                number = f"{number[:4]}{self.rng.randrange(10 ** 15):015d}"
                accounts[e.pupil_id][2] = number
                corrected.append(e.pupil_id)
                rows.append((second, pk, e.amount, holder, bank, number, PaymentResult.PAID, "", reissued))
        insert_tuples(Payment, ["batch_id", "entitlement_id", "amount", "holder", "bank", "account_number", "result", "reason",
                                "settled_at"], rows)
        fixed = list(BankAccount.objects.filter(pupil_id__in=corrected))
        for a in fixed:
            a.number, a.updated_at = accounts[a.pupil_id][2], settled + datetime.timedelta(days=7)
        BankAccount.objects.bulk_update(fixed, ["number", "updated_at"])
        self.counts["payments"] += len(rows)

    def plant_conflicts(self, term: Term, statuses: dict[int, str], list_ids: dict[int, int]):
        """Three school returns the office must resolve before approving: a pupil who has
        transferred out, one declared by a second school, one on the wrong stage's programme."""
        submitted = [s for s, st in statuses.items() if st == ListStatus.SUBMITTED]
        if len(submitted) < 2:
            return
        lines = []
        left = (Enrolment.objects.filter(year=term.year, school_id__in=submitted, status=EnrolmentStatus.TRANSFERRED_OUT,
                                         grade__gte=1, grade__lte=9).order_by("pk").first())
        if left:
            lines.append((left, left.school_id, "nonboarding_subsidy", "学校申报：家庭经济困难（申报时尚未办理转学）"))
        first = Entitlement.objects.filter(term=term, school_id=submitted[0], programme="nonboarding_subsidy").order_by("pk").first()
        if first:
            other = next(s for s in submitted if s != first.school_id)
            lines.append((first.enrolment, other, "nonboarding_subsidy", "学校申报：该生曾在本校就读，家长申请"))
        junior = (Enrolment.objects.filter(year=term.year, school__type="complete_secondary", school_id__in=submitted,
                                           grade__in=(7, 8, 9), status__in=ON_ROLL).order_by("pk").first())
        if junior:
            lines.append((junior, junior.school_id, "senior_grant", "学校申报：班主任按高中助学金误报"))
        objs = []
        for enrolment, school_id, programme, basis in lines:
            amount = self.table.max_term_amount(self.table.programmes[programme], term.key,
                                                self.table.programmes[programme].stages[-1])
            objs.append(Entitlement(entitlement_list_id=list_ids[school_id], term=term, school_id=school_id,
                                    pupil_id=enrolment.pupil_id, enrolment=enrolment, programme=programme,
                                    stage=stage_of(enrolment.school.type, enrolment.grade), grade=enrolment.grade,
                                    amount=amount, basis=basis, origin=Origin.SCHOOL_RETURN, decision=Decision.CONFIRMED))
        Entitlement.objects.bulk_create(objs)

    def make_accounts(self, pupil_ids: set[int]):
        missing = sorted(pupil_ids - self.accounts)
        if not missing:
            return
        guardians = dict(Pupil.objects.filter(pk__in=missing).values_list("pk", "guardian_name"))
        names = dict(Pupil.objects.filter(pk__in=missing).values_list("pk", "name"))
        weights = [w for _, _, w in BANKS]
        rows = []
        when = at(datetime.date(2024, 9, 10))
        for pk in missing:
            bank, prefix, _ = self.rng.choices(BANKS, weights)[0]
            rows.append((pk, guardians.get(pk) or names[pk], bank, f"{prefix}{self.rng.randrange(10 ** 15):015d}", when))
        insert_tuples(BankAccount, ["pupil_id", "holder", "bank", "number", "updated_at"], rows)
        self.accounts.update(missing)

    # ------------------------------------------------------------------ loans

    def loans(self):
        """Graduates of grade 12 with a hardship record borrow for their first university year;
        most renew the next year."""
        limit_period = self.table.programmes["student_loan"]
        evidence = set(DifficultyRecord.objects.values_list("pupil_id", flat=True)) | set(
            SchoolRecognition.objects.values_list("pupil_id", flat=True)) | set(Enrolment.objects.filter(
                Q(registered_poor=True) | Q(dibao=True) | Q(tekun=True) | Q(orphan=True)).values_list("pupil_id", flat=True))
        rows, borrowers = [], {}
        for i, year in enumerate(self.years[:-1]):
            next_year = self.years[i + 1]
            limit = limit_period.period(TermKey(next_year.start.year, "autumn")).limit
            graduates = Enrolment.objects.filter(year=year, grade=12, school__type__in=("senior", "complete_secondary")).exclude(
                status__in=("dropped_out", "deceased")).order_by("pupil_id").values_list("pupil_id", "school_id")
            for pupil_id, school_id in graduates:
                r = self.rng.random()
                if (pupil_id in evidence and r < 0.45) or r < 0.025:
                    borrowers[pupil_id] = (school_id, self.rng.choice(UNIVERSITIES))
            for pupil_id, (school_id, university) in sorted(borrowers.items()):
                if self.rng.random() < 0.1:  # a few do not renew
                    continue
                amount = min(limit, Decimal(self.rng.choice((8000, 10000, 12000, 12000, 15000, 16000, 20000))))
                granted = self.rng.random() < 0.97
                rows.append(LoanApplication(
                    pupil_id=pupil_id, year=next_year, school_id=school_id, university=university, amount=amount,
                    contract_no=f"{next_year.start.year}{pupil_id:08d}", status=LoanStatus.GRANTED if granted else LoanStatus.REJECTED,
                    applied_at=datetime.date(next_year.start.year, 8, 5 + pupil_id % 20), recorded_by=self.office))
        LoanApplication.objects.bulk_create(rows, batch_size=2000)
        self.counts["loans"] = len(rows)

    def run(self):
        if not self.years:
            return
        self.department_lists()
        self.recognitions()
        school_info = {pk: {"type": t} for pk, t in School.objects.values_list("pk", "type")}
        terms = self.terms()
        for term in terms:
            current = bool(self.current) and term.key == TermKey(self.current.start.year, "autumn")
            self.term(term, current, school_info)
        self.loans()


def populate(seed: int = 1, log=None) -> dict:
    log = log or (lambda msg: None)
    log("生成学生资助演示数据：部门名单、学校认定、各学期资助名单、发放批次和助学贷款…")
    demo = DemoAid(seed, log)
    demo.run()
    c = demo.counts
    log(f"学生资助：部门名单{c['records']}条，学校认定{c['recognitions']}条，资助记录{c['entitlements']}条，"
        f"银行代发{c['payments']}笔，助学贷款{c['loans']}笔。")
    return dict(c)
