"""State changes of an enrolment campaign, one function each (Zulip's actions): each writes the
rows, the application's event, the audit entry and the parent's message together."""
from __future__ import annotations

import datetime

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiaoguan.core.audit import audit
from jiaoguan.core.idnumbers import check_id_number, check_phone, id_birth_date, id_sex
from jiaoguan.core.models import AuditLog

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


def submit(campaign: Campaign, data: dict, phone: str) -> tuple[Application, bool]:
    """One application per child per campaign: a second submission for the same child edits it
    (double clicks and retries land on the same row, even when they arrive together)."""
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
    valid_schools = set(campaign.schools.filter(private=True).values_list("pk", flat=True))
    choices = [int(c) for c in data.get("choices", []) if str(c).isdigit() and int(c) in valid_schools]
    fields = {
        "child_name": data["child_name"].strip()[:40], "child_sex": id_sex(idn), "child_birth_date": birth,
        "guardian_name": (data.get("guardian_name") or "").strip()[:40], "guardian_relation": (data.get("guardian_relation") or "父母")[:10],
        "guardian_phone": phone, "guardian_id_number": guardian_id,
        "hukou_address": (data.get("hukou_address") or "").strip()[:200], "property_address": (data.get("property_address") or "").strip()[:200],
        "residence_address": (data.get("residence_address") or "").strip()[:200], "choices": choices,
    }
    try:
        with transaction.atomic():
            app = Application.objects.create(campaign=campaign, child_id_number=idn, token=lottery.new_token(campaign.year.start.year), **fields)
            created = True
    except IntegrityError:
        app = Application.objects.get(campaign=campaign, child_id_number=idn)
        if app.guardian_phone != phone:
            raise ApplicationError("该儿童已由另一位监护人报名；如需修改请联系学校或教育局") from None
        created = False
        changed = [k for k, v in fields.items() if getattr(app, k) != v]
        if not changed:
            return app, False
        for k in changed:
            setattr(app, k, fields[k])
        app.save()
    _event(app, Application.Status.SUBMITTED, "家长", "提交报名" if created else "修改报名信息")
    sms.notify(app, f"submitted-{app.updated:%Y%m%d%H%M%S}" if not created else "submitted",
               f"【教管】{app.child_name}的入学报名已提交，报名号{app.token}。系统正在向相关部门核验信息，无需提交纸质材料。")
    transaction.on_commit(lambda: _enqueue_verification(app.pk))
    return app, created


def _enqueue_verification(app_id: int) -> None:
    from .tasks import verify_application

    verify_application.enqueue(app_id)


def zone_units(campaign: Campaign) -> list[zones.Unit]:
    from .models import AddressUnit

    return [zones.Unit(str(u.zone_id), u.kind, u.name, u.number_from, u.number_to, u.parity)
            for u in AddressUnit.objects.filter(zone__campaign=campaign)]


def verify(app: Application, *, backend=None) -> Application:
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
    categorise(app)
    return app


LABELS = {"hukou": "户籍", "property": "房产", "residence": "居住证", "social_insurance": "社保"}


def categorise(app: Application) -> None:
    campaign = app.campaign
    policy = Policy.from_data(campaign.policy)
    units = zone_units(campaign)
    schools = {str(z): list(sids) for z, sids in _zone_schools(campaign).items()}
    facts = dict(app.facts)
    for k in ("hukou_since", "property_since"):
        if facts.get(k):
            facts[k] = datetime.date.fromisoformat(facts[k])
    hukou = zones.lookup(facts.get("hukou_address") or app.hukou_address, units) if (facts.get("hukou_address") or app.hukou_address) else None
    prop = zones.lookup(facts.get("property_address") or app.property_address, units) if (facts.get("property_address") or app.property_address) else None
    live = prop if prop and prop.zones else hukou if hukou and hukou.zones else None
    if live is None:
        where = app.property_address or app.hukou_address or app.residence_address
        reason = (prop or hukou).reason if (prop or hukou) else "没有可用于划片的地址"
        _event(app, Application.Status.REVIEW, "系统", f"地址“{where}”{reason}；教育局将人工确认对口学校")
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
        entry["reasons"] = entry.get("reasons", []) + [f"人工调整：{reason}"]
        app.category_override[str(school_id)] = {"from": old, "to": rank, "reason": reason, "by": user.username,
                                                 "at": timezone.now().isoformat()}
        app.save(update_fields=["categories", "category_override", "updated"])
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
