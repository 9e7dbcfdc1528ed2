"""State changes of an enrolment campaign, one function each (Zulip's actions): each writes the
rows, the application's event, the audit entry and the parent's message together. The one
exception is a parent's submission, the 9 a.m. rush: it writes the application alone, and the
follow-up task writes its event and message seconds later (see `submit`)."""
from __future__ import annotations

import datetime
import time

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiaoguan.core.audit import audit
from jiaoguan.core.idnumbers import check_id_number, check_phone, id_birth_date, id_sex
from jiaoguan.core.models import AuditLog
from jiaoguan.core.upsert import insert_one

from . import allocation, lottery, sms, zones
from .models import Application, ApplicationEvent, Campaign, CampaignSchool, VerificationCall
from .policy import Policy
from .verification import KINDS, get_backend


class ApplicationError(ValueError):
    """A message for the parent, naming the field."""


AGE_ON_SEPT_1 = {"kindergarten": (3, 4), "primary": (6, 7), "junior": (11, 14)}


def _event(app: Application, status: str, actor: str, note: str = "") -> None:
    app.status, app.status_note = status, note[:300]
    app.save(update_fields=["status", "status_note", "updated"])
    ApplicationEvent.objects.create(application=app, status=status, actor=actor, note=note[:300])


def check_submission(campaign: Campaign, data: dict, phone: str, private_ids=()) -> tuple[str, dict]:
    """The child's ID number and the row's fields from a parent's form, or ApplicationError naming
    the field. `private_ids`: the campaign's private schools a choice may name."""
    if campaign.status != Campaign.Status.OPEN:
        raise ApplicationError("当前不在报名时间内")
    idn = (data.get("child_id_number") or "").strip().upper()
    err = check_id_number(idn)
    if err:
        raise ApplicationError(f"儿童身份证号：{err}")
    birth = id_birth_date(idn)
    low, high = AGE_ON_SEPT_1[campaign.stage]
    sept1 = datetime.date(campaign.year.start.year, 9, 1)
    age = sept1.year - birth.year - ((sept1.month, sept1.day) < (birth.month, birth.day))
    if not low <= age <= high:
        raise ApplicationError(f"儿童身份证号：按出生日期，{sept1.year}年9月1日年满{age}周岁，不在本次招生年龄范围（{low}–{high}周岁）内")
    if not (data.get("child_name") or "").strip():
        raise ApplicationError("儿童姓名：必填")
    if check_phone(phone) or len(phone) != 11:
        raise ApplicationError("手机号：请填写11位手机号")
    guardian_id = (data.get("guardian_id_number") or "").strip().upper()
    if guardian_id and check_id_number(guardian_id):
        raise ApplicationError(f"监护人身份证号：{check_id_number(guardian_id)}")
    private_ids = set(private_ids)
    choices = [int(c) for c in data.get("choices") or [] if str(c).isdigit() and int(c) in private_ids]
    return idn, {
        "child_name": data["child_name"].strip()[:40], "child_sex": id_sex(idn), "child_birth_date": birth,
        "guardian_name": (data.get("guardian_name") or "").strip()[:40], "guardian_relation": (data.get("guardian_relation") or "父母")[:10],
        "guardian_phone": phone, "guardian_id_number": guardian_id,
        "hukou_address": (data.get("hukou_address") or "").strip()[:200], "property_address": (data.get("property_address") or "").strip()[:200],
        "residence_address": (data.get("residence_address") or "").strip()[:200], "choices": choices,
    }


def submit(campaign: Campaign, data: dict, phone: str, *, form_key: str = "", private_ids=None) -> tuple[Application, bool | None]:
    """One application per child per campaign: a second submission for the same child edits it.
    `form_key` (unique per form shown, kept on the application) makes a repeated POST of one form
    (double click, retry after a time-out) land on the application it made, even when both arrive
    together; `created` is then None. Returns (application, created).

    This is the path hit by every parent at the 9 a.m. opening, so the usual case is one
    INSERT and no read: a conflict is found by the unique constraint, and then the transaction is
    rolled back and retried on the slower path. The event, the SMS and the department checks are
    done by the follow-up task (`follow_up`), which the submission only wakes."""
    if private_ids is None:
        private_ids = campaign.schools.filter(private=True).values_list("pk", flat=True)
    idn, fields = check_submission(campaign, data, phone, private_ids)
    key = form_key[:40] if form_key else None
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _submit_once(campaign, idn, fields, key, first_try=attempt == 0)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _submit_once(campaign, idn, fields, key, *, first_try) -> tuple[Application, bool | None]:
    if first_try:  # the usual case: a new child, a new form
        return _create(campaign, idn, fields, key), True
    app = Application.objects.select_for_update().filter(campaign=campaign, child_id_number=idn).first()
    if app is None:
        return _create(campaign, idn, fields, key), True
    if key and app.form_key == key:
        return app, None
    if app.guardian_phone != fields["guardian_phone"]:
        raise ApplicationError("该儿童已由另一位监护人报名；如需修改请联系学校或教育局")
    changed = [k for k, v in fields.items() if getattr(app, k) != v]
    app.form_key = key or ""
    if not changed:
        app.save(update_fields=["form_key"])
        return app, False
    for k in changed:
        setattr(app, k, fields[k])
    app.status, app.status_note, app.needs_follow_up = Application.Status.SUBMITTED, "修改报名信息", True
    app.save()
    _after_submit(app, created=False)
    return app, False


def _create(campaign, idn, fields, key) -> Application:
    app = Application(campaign=campaign, child_id_number=idn, token=lottery.new_token(campaign.year.start.year),
                      status_note="提交报名", form_key=key or "", needs_follow_up=True, **fields)
    insert_one(app)
    _after_submit(app, created=True)
    return app


FOLLOW_UP_SECONDS = 1.0
_last_wake = 0.0


def _after_submit(app: Application, *, created: bool) -> None:
    """Wake the follow-up (event, SMS, department checks) without a task row per submission: at
    most one per second from each server process, due two seconds later, so that it finds every
    application committed since (each submission's transaction is far shorter than a second).
    Anything missed by a crash is still marked and is found by the next wake or `verify_pending`."""
    global _last_wake
    from .tasks import follow_up_submissions

    task = follow_up_submissions
    if not task.get_backend().supports_defer:  # run at once (tests): every submission runs it
        task.enqueue()
        return
    now = time.monotonic()
    if now - _last_wake < FOLLOW_UP_SECONDS:
        return
    _last_wake = now
    # in the same transaction: the wake-up commits with the application or not at all
    task.using(run_after=timezone.now() + datetime.timedelta(seconds=2 * FOLLOW_UP_SECONDS)).enqueue()


def follow_up(batch: int = 200) -> int:
    """Every application submitted or changed since the last run: its events and SMS, then the
    department checks. Returns how many were handled."""
    from django.db import connection

    done = 0
    while True:
        with transaction.atomic():
            qs = Application.objects.filter(needs_follow_up=True).select_related("campaign", "campaign__year", "campaign__county").order_by("pk")
            if connection.features.has_select_for_update_skip_locked:  # two workers never take the same ones
                qs = qs.select_for_update(skip_locked=True, of=("self",))
            apps = list(qs[:batch])
            Application.objects.filter(pk__in=[a.pk for a in apps]).update(needs_follow_up=False)
        if not apps:
            return done
        for app in apps:
            record_submission(app)
            verify(app)
        done += len(apps)


def record_submission(app: Application) -> None:
    """The parent's submission (and a later change) in the application's history and by SMS,
    each once however often this runs."""
    notes = set(app.events.values_list("note", flat=True))
    text = f"【教管】{app.child_name}的入学报名已提交，报名号{app.token}。系统正在向相关部门核验信息，无需提交纸质材料。"
    if "提交报名" not in notes:
        ApplicationEvent.objects.create(application=app, status=Application.Status.SUBMITTED, actor="家长", note="提交报名", at=app.created)
        sms.notify(app, "submitted", text)
    if app.status_note == "修改报名信息" and not app.events.filter(note="修改报名信息", at=app.updated).exists():
        ApplicationEvent.objects.create(application=app, status=Application.Status.SUBMITTED, actor="家长", note="修改报名信息", at=app.updated)
        sms.notify(app, f"submitted-{app.updated:%Y%m%d%H%M%S}", text)


def zone_units(campaign: Campaign) -> list[zones.Unit]:
    from .models import AddressUnit

    return [zones.Unit(str(u.zone_id), u.kind, u.name, u.number_from, u.number_to, u.parity)
            for u in AddressUnit.objects.filter(zone__campaign=campaign)]


def verify(app: Application, *, backend=None, units=None, zone_schools=None) -> Application:
    """Ask the departments (never makes the parent wait: runs in a background task), keep every
    answer as evidence, then match addresses to zones and compute the category at each school."""
    backend = backend or get_backend()
    _event(app, Application.Status.VERIFYING, "系统", "正在核验户籍、房产、居住证和社保信息")
    facts: dict = {}
    pending, missing = [], []
    for kind in KINDS:
        who = app.child_id_number if kind == "hukou" else (app.guardian_id_number or app.child_id_number)
        result = backend.check(kind, who)
        VerificationCall.objects.create(application=app, kind=kind, backend=backend.name, ok=result.outcome == "match",
                                        outcome=result.outcome, request=result.request, response=result.response,
                                        error=result.error[:300], milliseconds=result.milliseconds)
        if result.outcome == "match":
            facts.update({k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in result.facts.items()})
        elif result.outcome in ("queued", "error"):
            pending.append(kind)
        else:
            missing.append(kind)
    app.facts = facts
    app.save(update_fields=["facts", "updated"])
    if pending:
        _event(app, Application.Status.VERIFYING, "系统", "部分部门数据暂未返回，系统将自动重试，请耐心等待")
        return app
    need = documents_needed(app, missing)
    if need:
        _event(app, Application.Status.NEEDS_DOCUMENTS, "系统", need)
        sms.notify(app, "needs_documents", f"【教管】{app.child_name}的入学报名有信息未能自动核验，请登录报名网站查看原因并上传补充材料。")
        return app
    categorise(app, units=units, zone_schools=zone_schools)
    return app


def documents_needed(app: Application, missing: list[str]) -> str:
    """What the departments could not confirm and the parent must show instead ('' when nothing):
    no record at all that ties the child to an address, or a property the parent named that the
    property register does not know (self-built houses are the common case)."""
    if "hukou" in missing and "property" in missing and "residence" in missing:
        return "未能从公安户籍、不动产登记和居住证信息中查到儿童或监护人的记录，请上传户口簿、房产证明（自建房可上传宅基地使用证或村（居）委会证明）或居住证"
    if "property" in missing and app.property_address.strip():
        return f"房产“{app.property_address.strip()[:60]}”未能在不动产登记信息中查到，请上传不动产权证书或购房合同；自建房请上传宅基地使用证或村（居）委会出具的自建房证明"
    return ""


LABELS = {"hukou": "户籍", "property": "房产", "residence": "居住证", "social_insurance": "社保"}


def categorise(app: Application, *, units=None, zone_schools=None) -> None:
    """The zone school and the category at each school. Ties to a zone (户籍/房产 in the zone)
    count only from verified records: an address the parent typed is not evidence; it only helps
    find the zone when no verified address does. 随迁 families are zoned by their 居住证 address.
    `units` / `zone_schools` may be passed in to avoid re-reading them for every application."""
    campaign = app.campaign
    policy = Policy.from_data(campaign.policy)
    units = zone_units(campaign) if units is None else units
    schools = {str(z): list(sids) for z, sids in (_zone_schools(campaign) if zone_schools is None else zone_schools).items()}
    facts = dict(app.facts)
    for k in ("hukou_since", "property_since"):
        if facts.get(k):
            facts[k] = datetime.date.fromisoformat(facts[k])

    def find(address):
        return zones.lookup(address, units) if (address or "").strip() else None

    hukou, prop, res = find(facts.get("hukou_address")), find(facts.get("property_address")), find(facts.get("residence_address"))
    typed = [find(app.property_address), find(app.hukou_address), find(app.residence_address)]
    live = next((m for m in (prop, hukou, res, *typed) if m and m.zones), None)
    if live is None:
        where = (facts.get("property_address") or facts.get("hukou_address") or facts.get("residence_address")
                 or app.property_address or app.hukou_address or app.residence_address)
        first = next((m for m in (prop, hukou, res, *typed) if m), None)
        reason = first.reason if first else "没有可用于划片的地址"
        _event(app, Application.Status.REVIEW, "系统", f"地址“{where}”{reason}；教育局将人工确认对口学校" if where else f"{reason}；教育局将人工确认对口学校")
        return
    zone_school_ids = [sid for z in live.zones for sid in schools.get(z, [])]
    hukou_ids = {sid for z in (hukou.zones if hukou else []) for sid in schools.get(z, [])}
    prop_ids = {sid for z in (prop.zones if prop else []) for sid in schools.get(z, [])}
    app.zone_school_id = zone_school_ids[0] if zone_school_ids else None
    app.zone_note = live.reason
    result = {}
    for sid in list(dict.fromkeys([*app.choices, *zone_school_ids])):
        rank, cid, reasons = policy.categorise(facts | {"hukou_in_zone": sid in hukou_ids, "property_in_zone": sid in prop_ids})
        result[str(sid)] = {"rank": rank, "id": cid, "reasons": reasons}
    app.categories = result
    app.save(update_fields=["categories", "zone_school", "zone_note", "updated"])
    zone = result.get(str(app.zone_school_id), {})
    label = f"{zone.get('id') or '统筹'}类" if zone else ""
    _event(app, Application.Status.ELIGIBLE, "系统", f"核验通过，对口学校类别：{label}（{'；'.join(zone.get('reasons', [])[-1:])}）")
    sms.notify(app, "eligible", f"【教管】{app.child_name}的入学资格核验已通过，请留意录取结果通知。")


def _zone_schools(campaign: Campaign) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for zone_id, school_id in campaign.zones.values_list("pk", "schools").order_by("pk", "schools"):
        if school_id:
            out.setdefault(zone_id, []).append(school_id)
    return out


def override_category(app: Application, school_id: int, rank: int, reason: str, user) -> None:
    if not reason.strip():
        raise ApplicationError("调整类别必须填写理由")
    with transaction.atomic():
        entry = app.categories.setdefault(str(school_id), {"rank": rank, "id": "", "reasons": []})
        old = entry.get("rank")
        entry["rank"] = rank
        # the category's id follows its rank (the lists and the published result show the id)
        ids = [c.get("id", "") for c in (app.campaign.policy or {}).get("categories", [])]
        entry["id"] = ids[rank - 1] if 1 <= rank <= len(ids) else ""
        entry["reasons"] = entry.get("reasons", []) + [f"人工调整：{reason}"]
        app.category_override[str(school_id)] = {"from": old, "to": rank, "reason": reason, "by": user.username,
                                                 "at": timezone.now().isoformat()}
        app.save(update_fields=["categories", "category_override", "updated"])
        ApplicationEvent.objects.create(application=app, status=app.status, actor=user.username,
                                        note=f"类别调整为{entry['id'] + '类' if entry['id'] else '统筹'}：{reason}"[:300])
        audit(user, AuditLog.Action.UPDATE, obj=app, object_type="入学申请", school=school_id, rank_from=old, rank_to=rank, reason=reason)


def eligible(campaign: Campaign):
    return campaign.applications.filter(status=Application.Status.ELIGIBLE).order_by("token")


def freeze(campaign: Campaign, user) -> str:
    """After 资格审核: the canonical roster's SHA-256 is fixed and published."""
    rows = [(a.token, a.categories.get(str(a.zone_school_id), {}).get("rank", ""), a.facts.get("points", 0)) for a in eligible(campaign)]
    with transaction.atomic():
        campaign.roster_hash = lottery.roster_hash(rows)
        campaign.frozen_at = timezone.now()
        campaign.status = Campaign.Status.FROZEN
        campaign.save(update_fields=["roster_hash", "frozen_at", "status"])
        audit(user, AuditLog.Action.UPDATE, obj=campaign, object_type="招生计划", row_count=len(rows), step="冻结名册",
              roster_hash=campaign.roster_hash)
    return campaign.roster_hash


def draw(campaign: Campaign, entropy: list[str], user) -> str:
    """The seed from the frozen roster and the revealed entropy; one number per applicant."""
    if campaign.status != Campaign.Status.FROZEN or not campaign.roster_hash:
        raise ApplicationError("请先冻结名册并公布名册哈希")
    seed = lottery.draw_seed(campaign.year.start.year, campaign.county.code, campaign.roster_hash, entropy)
    apps = list(eligible(campaign))
    with transaction.atomic():
        for a in apps:
            a.lottery = lottery.lottery_number(seed, a.token)
        Application.objects.bulk_update(apps, ["lottery"], batch_size=2000)
        campaign.entropy, campaign.seed, campaign.drawn_at, campaign.status = entropy, seed, timezone.now(), Campaign.Status.DRAWN
        campaign.save(update_fields=["entropy", "seed", "drawn_at", "status"])
        audit(user, AuditLog.Action.UPDATE, obj=campaign, object_type="招生计划", row_count=len(apps), step="摇号",
              roster_hash=campaign.roster_hash, entropy=entropy, seed=seed)
    return seed


def allocate(campaign: Campaign, user) -> dict:
    """One student-proposing deferred acceptance over every choice, private and public together,
    the zone school(s) appended to each list; then 统筹 to the nearest school with a free seat."""
    if campaign.status != Campaign.Status.DRAWN:
        raise ApplicationError("请先完成摇号")
    policy = Policy.from_data(campaign.policy)
    schools = list(campaign.schools.order_by("pk"))
    index = {s.pk: i for i, s in enumerate(schools)}
    apps = list(eligible(campaign))
    width = max((len(a.categories) for a in apps), default=1) or 1
    prefs = np.full((len(apps), width), -1, dtype=np.int64)
    category = np.zeros((len(apps), width), dtype=np.int64)
    det = []
    for i, a in enumerate(apps):
        order = [sid for sid in [*a.choices, *[int(k) for k in a.categories]] if str(sid) in a.categories and sid in index]
        for j, sid in enumerate(dict.fromkeys(order)):
            prefs[i, j] = index[sid]
            category[i, j] = a.categories[str(sid)]["rank"]
        facts = dict(a.facts)
        for k in ("hukou_since", "property_since"):
            if facts.get(k):
                facts[k] = datetime.date.fromisoformat(facts[k])
        det.append(policy.sort_key(facts))
    det_rank = {k: r for r, k in enumerate(sorted(set(det)))}
    keys = allocation.priority_keys(category, np.array([a.lottery for a in apps]), np.array([det_rank[d] for d in det], dtype=np.int64))
    # 公民同招: an oversubscribed private school admits by the lottery alone (no zone categories,
    # no deterministic keys there)
    private = np.array([s.private for s in schools] + [False], dtype=bool)[prefs]  # -1 padding → False
    if private.any():
        by_lottery = allocation.priority_keys(np.zeros_like(category), np.array([a.lottery for a in apps]))
        keys = np.where(private, by_lottery, keys)
    capacity = np.array([s.capacity for s in schools], dtype=np.int64)
    assign = allocation.deferred_acceptance(prefs, keys, capacity)
    matched = assign.copy()
    sxy = np.array([[s.x if s.x is not None else np.nan, s.y if s.y is not None else np.nan] for s in schools])
    axy = np.array([sxy[index[a.zone_school_id]] if a.zone_school_id in index else [np.nan, np.nan] for a in apps]).reshape(-1, 2)
    assign, distance = allocation.place_remaining(assign, capacity, axy, sxy, order=np.argsort(np.array([a.lottery for a in apps])))
    counts = {"admitted": 0, "placed": 0, "unplaced": 0}
    with transaction.atomic():
        for i, a in enumerate(apps):
            if matched[i] >= 0:
                a.outcome = schools[matched[i]]
                kind = "志愿录取" if schools[matched[i]].pk in a.choices else "对口录取"
                a.outcome_note = kind
                status, note = Application.Status.ADMITTED, f"{kind}：{a.outcome.school.name}"
                counts["admitted"] += 1
            elif assign[i] >= 0:
                a.outcome = schools[assign[i]]
                a.outcome_note = f"统筹安排（距对口学校约{distance[i]:.1f}公里，该校仍有空余学位）"
                status, note = Application.Status.PLACED, f"{a.outcome_note}：{a.outcome.school.name}"
                counts["placed"] += 1
            else:
                a.outcome, a.outcome_note = None, "暂未安排，教育局将联系您"
                status, note = Application.Status.UNPLACED, a.outcome_note
                counts["unplaced"] += 1
            a.save(update_fields=["outcome", "outcome_note", "updated"])
            _event(a, status, "系统", note)
            sms.notify(a, "outcome", f"【教管】{a.child_name}的入学结果：{note}。详情请登录报名网站查看。")
        campaign.status = Campaign.Status.ALLOCATED
        campaign.save(update_fields=["status"])
        audit(user, AuditLog.Action.UPDATE, obj=campaign, object_type="招生计划", row_count=len(apps), step="录取分配", **counts)
    return counts


# ---------------------------------------------------------------------------- staff review, documents, campaign phases

REVIEWABLE = (Application.Status.REVIEW, Application.Status.NEEDS_DOCUMENTS, Application.Status.ELIGIBLE)
TIES = {"hukou_in_zone": "户籍在该片区", "property_in_zone": "房产在该片区（含经核实的自建房）"}


def _editable(campaign: Campaign) -> None:
    if campaign.status not in (Campaign.Status.OPEN, Campaign.Status.REVIEW):
        raise ApplicationError(f"招生计划当前状态为“{campaign.get_status_display()}”，名册冻结后不能再调整对口学校或类别")


def set_zone_school(app: Application, school: CampaignSchool, ties: set[str], reason: str, user) -> None:
    """Staff settle an application from the review queue: the zone school (an address that
    matched no zone, or a 多校划片 choice) and which ties to that zone they confirmed from the
    documents; the policy then gives the category. Recorded on the application and audited."""
    _editable(app.campaign)
    if not reason.strip():
        raise ApplicationError("确定对口学校必须填写理由（如核实的材料）")
    if school.campaign_id != app.campaign_id:
        raise ApplicationError("该学校不在本次招生计划内")
    if app.status not in REVIEWABLE:
        raise ApplicationError(f"申请当前状态为“{app.get_status_display()}”，不能在审核中调整")
    policy = Policy.from_data(app.campaign.policy)
    facts = dict(app.facts)
    for k in ("hukou_since", "property_since"):
        if facts.get(k):
            facts[k] = datetime.date.fromisoformat(facts[k])
    confirmed = {t: t in ties for t in TIES}
    if confirmed["property_in_zone"]:
        facts.setdefault("property_owner", "parent")
        facts.setdefault("property_share", 1.0)
    with transaction.atomic():
        categories = dict(app.categories)
        for sid in dict.fromkeys([*app.choices, school.pk]):
            rank, cid, reasons = policy.categorise(facts | (confirmed if sid == school.pk else {t: False for t in TIES}))
            if sid == school.pk:
                reasons = reasons + [f"人工审核：{reason.strip()}"]
            categories[str(sid)] = {"rank": rank, "id": cid, "reasons": reasons}
        old = app.zone_school_id
        app.categories, app.zone_school, app.zone_note = categories, school, f"人工确定：{reason.strip()}"[:200]
        app.save(update_fields=["categories", "zone_school", "zone_note", "updated"])
        entry = categories[str(school.pk)]
        label = f"{entry['id']}类" if entry["id"] else "统筹"
        _event(app, Application.Status.ELIGIBLE, user.username,
               f"人工审核通过：对口学校{school.school.name}，类别{label}（{reason.strip()}）")
        audit(user, AuditLog.Action.UPDATE, obj=app, object_type="入学申请", step="确定对口学校", school=school.pk,
              school_from=old, ties=sorted(t for t, v in confirmed.items() if v), category=entry["id"], reason=reason.strip())
    sms.notify(app, "eligible", f"【教管】{app.child_name}的入学资格审核已通过，请留意录取结果通知。")


def upload_document(app: Application, kind: str, upload, note: str = ""):
    """A parent's offline fall-back: the file is kept, the application waits for staff review."""
    from .models import Document

    if app.campaign.status not in (Campaign.Status.OPEN, Campaign.Status.REVIEW):
        raise ApplicationError("资格审核已结束，不能再上传材料；如有疑问请联系教育局")
    if kind not in Document.Kind.values:
        raise ApplicationError("材料类型：请选择")
    with transaction.atomic():
        doc = Document(application=app, kind=kind, original_name=upload.name[:200], size=upload.size, note=note.strip()[:200])
        doc.file.save(upload.name, upload, save=False)
        doc.save()
        if app.status == Application.Status.NEEDS_DOCUMENTS:
            _event(app, Application.Status.REVIEW, "家长", f"上传补充材料：{doc.get_kind_display()}，等待教育局审核")
        else:
            ApplicationEvent.objects.create(application=app, status=app.status, actor="家长", note=f"上传补充材料：{doc.get_kind_display()}")
    return doc


def review_document(doc, accept: bool, note: str, user) -> None:
    from .models import Document

    if not accept and not note.strip():
        raise ApplicationError("不认可材料时必须填写原因，家长会看到这条意见")
    with transaction.atomic():
        doc.status = Document.Status.ACCEPTED if accept else Document.Status.REJECTED
        doc.review_note, doc.reviewed_by, doc.reviewed_at = note.strip()[:200], user, timezone.now()
        doc.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
        app = doc.application
        text = f"补充材料“{doc.get_kind_display()}”{'已认可' if accept else '未认可'}" + (f"：{note.strip()}" if note.strip() else "")
        if not accept and app.status == Application.Status.REVIEW:
            _event(app, Application.Status.NEEDS_DOCUMENTS, user.username, text)
        else:
            ApplicationEvent.objects.create(application=app, status=app.status, actor=user.username, note=text[:300])
        audit(user, AuditLog.Action.UPDATE, obj=app, object_type="入学申请", step="审核材料", document=doc.pk,
              accepted=accept, note=note.strip())
    if not accept:
        sms.notify(app, f"document-{doc.pk}", f"【教管】{app.child_name}的补充材料未被认可：{note.strip()[:40]}。请登录报名网站查看并重新上传。")


CAMPAIGN_NEXT = {Campaign.Status.DRAFT: Campaign.Status.OPEN, Campaign.Status.OPEN: Campaign.Status.REVIEW}


def advance_campaign(campaign: Campaign, to: str, user) -> None:
    """筹备 → 报名中 → 核验审核 (the later steps are the lottery ceremony's)."""
    if CAMPAIGN_NEXT.get(campaign.status) != to:
        raise ApplicationError(f"招生计划当前为“{campaign.get_status_display()}”，不能转为“{Campaign.Status(to).label}”")
    with transaction.atomic():
        old = campaign.status
        campaign.status = to
        campaign.save(update_fields=["status"])
        audit(user, AuditLog.Action.UPDATE, obj=campaign, object_type="招生计划", step="阶段", status_from=old, status_to=to)


def retry_pending(*, older_than_minutes: int = 10, limit: int = 500) -> int:
    """Ask the departments again for applications still waiting on an answer (a platform that
    was down, a time-out): queued to the worker, oldest first; and wake the follow-up when a
    submission still waits for it (a worker that crashed). Run by `jiaoguan verify_pending` from
    cron, e.g. every ten minutes during the application period."""
    from .tasks import follow_up_submissions, verify_application

    cutoff = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    if Application.objects.filter(needs_follow_up=True, updated__lt=cutoff).exists():
        follow_up_submissions.enqueue()
    ids = list(Application.objects.filter(status__in=(Application.Status.SUBMITTED, Application.Status.VERIFYING), updated__lt=cutoff,
                                          needs_follow_up=False).order_by("updated").values_list("pk", flat=True)[:limit])
    for pk in ids:
        verify_application.enqueue(pk)
    return len(ids)
