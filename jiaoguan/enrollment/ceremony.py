"""The lottery ceremony in order: announce the entropy sources (before the freeze) → 1 freeze the
roster and publish its SHA-256 → 2 enter the revealed entropy (commitments checked) → 3 draw →
4 allocate (deferred acceptance, then 统筹) → 5 publish the list. Each step refuses to run out of
order; each is audited (here or in actions)."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from django.conf import settings
from django.db import transaction

from jiaoguan.core.audit import audit
from jiaoguan.core.models import AuditLog

from . import actions, lottery
from .actions import ApplicationError
from .models import Application, Campaign

HEX64 = re.compile(r"^[0-9a-f]{64}$")
STEPS = ("冻结名册", "公开熵", "摇号", "录取分配", "公布结果")


def step(campaign: Campaign) -> int:
    """The next step to take (1–5); 0 while applications are still open (freeze not allowed yet)."""
    s = campaign.status
    if s in (Campaign.Status.DRAFT, Campaign.Status.OPEN):
        return 0
    if s == Campaign.Status.REVIEW:
        return 1
    if s == Campaign.Status.FROZEN:
        return 3 if campaign.entropy else 2
    if s == Campaign.Status.DRAWN:
        return 4
    return 5


def announce_plan(campaign: Campaign, plan: list[dict], user) -> None:
    """The entropy sources, fixed before the freeze: a named future public value and/or seeds
    committed by SHA-256 (notary, parent representatives)."""
    if campaign.status not in (Campaign.Status.DRAFT, Campaign.Status.OPEN, Campaign.Status.REVIEW):
        raise ApplicationError("名册冻结后不能再修改熵来源")
    clean = []
    for i, item in enumerate(plan, start=1):
        name = (item.get("name") or "").strip()
        commitment = (item.get("commitment") or "").strip().lower()
        if not name and not commitment:
            continue
        if not name:
            raise ApplicationError(f"第{i}项：请填写熵来源名称（如“公证员种子”“福彩3D 2026155期开奖号码”）")
        if commitment and not HEX64.match(commitment):
            raise ApplicationError(f"第{i}项“{name}”：承诺值应为64位十六进制的SHA-256值")
        clean.append({"name": name[:100], "commitment": commitment})
    if not clean:
        raise ApplicationError("至少要有一项熵来源")
    with transaction.atomic():
        campaign.entropy_plan = clean
        campaign.save(update_fields=["entropy_plan"])
        audit(user, AuditLog.Action.UPDATE, obj=campaign, object_type="招生计划", step="公布熵来源", entropy_plan=clean)


def roster_rows(campaign: Campaign) -> list[tuple]:
    """The applicants in the draw: the eligible ones before the draw, those with a number after."""
    if campaign.status in (Campaign.Status.DRAWN, Campaign.Status.ALLOCATED, Campaign.Status.CLOSED):
        apps = campaign.applications.exclude(lottery="").order_by("token")
    else:
        apps = actions.eligible(campaign)
    return [(a.token, a.categories.get(str(a.zone_school_id), {}).get("rank", ""), a.facts.get("points", 0))
            for a in apps.only("token", "categories", "zone_school_id", "facts")]


def roster_path(campaign: Campaign) -> Path:
    return Path(settings.MEDIA_ROOT) / "enrollment" / str(campaign.pk) / f"roster-{campaign.roster_hash}.txt"


def roster_text(campaign: Campaign) -> str:
    """The canonical roster as published at the freeze (kept as a file; rebuilt if it is gone)."""
    path = roster_path(campaign)
    if campaign.roster_hash and path.exists():
        return path.read_text(encoding="utf-8")
    return lottery.roster_text(roster_rows(campaign))


def freeze(campaign: Campaign, user) -> str:
    if campaign.status != Campaign.Status.REVIEW:
        if campaign.roster_hash:
            raise ApplicationError("名册已经冻结，不能重复冻结")
        raise ApplicationError("请先截止报名（进入“核验审核”阶段）再冻结名册")
    rows = roster_rows(campaign)
    if not rows:
        raise ApplicationError("没有资格审核通过的申请，无法冻结名册")
    digest = actions.freeze(campaign, user)
    path = roster_path(campaign)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(lottery.roster_text(rows), encoding="utf-8")
    return digest


def record_entropy(campaign: Campaign, values: list[str], user) -> None:
    """The revealed values, in the announced order; each committed one must match its hash."""
    if campaign.status != Campaign.Status.FROZEN:
        raise ApplicationError("请先冻结名册" if step(campaign) < 2 else "已经摇号，不能再修改公开熵")
    plan = campaign.entropy_plan or []
    values = [(v or "").strip() for v in values]
    if plan and len(values) != len(plan):
        raise ApplicationError(f"应按公布的顺序填写{len(plan)}项熵值")
    if not values or any(not v for v in values):
        raise ApplicationError("每一项熵值都必须填写")
    bad = [item["name"] for item, v in zip(plan, values) if item.get("commitment") and not lottery.check_reveal(v, item["commitment"])]
    if bad:
        audit(user, AuditLog.Action.UPDATE, obj=campaign, object_type="招生计划", step="公开熵核对失败", failed=bad)
        raise ApplicationError(f"{'、'.join(bad)}：公开的值与事先公布的承诺值（SHA-256）不一致，请核对后重新输入")
    with transaction.atomic():
        campaign.entropy = values
        campaign.save(update_fields=["entropy"])
        audit(user, AuditLog.Action.UPDATE, obj=campaign, object_type="招生计划", step="录入公开熵", entropy=values)


def draw(campaign: Campaign, user) -> str:
    if campaign.status != Campaign.Status.FROZEN:
        raise ApplicationError("请先冻结名册" if step(campaign) < 2 else "已经摇过号，同一名册不能重新摇号")
    if not campaign.entropy:
        raise ApplicationError("请先录入公开熵")
    return actions.draw(campaign, list(campaign.entropy), user)


def allocate(campaign: Campaign, user) -> dict:
    if campaign.status != Campaign.Status.DRAWN:
        raise ApplicationError("请先完成摇号" if step(campaign) < 4 else "已经完成录取分配")
    return actions.allocate(campaign, user)


# ---------------------------------------------------------------------------- the published list

CSV_HEADER = ["application_no", "lottery", "order", "name", "category", "school", "outcome"]


def published(campaign: Campaign) -> list[dict]:
    """One row per applicant in the draw, in draw order (lower numbers first)."""
    rows = []
    apps = (campaign.applications.exclude(lottery="").select_related("outcome__school")
            .only("token", "child_name", "lottery", "status", "categories", "outcome__school__name", "outcome__private", "outcome_note", "outcome_id")
            .order_by("lottery", "token"))
    for i, a in enumerate(apps, start=1):
        cat = a.categories.get(str(a.outcome_id), {}).get("id", "") if a.outcome_id else ""
        if a.outcome_id and a.outcome.private:
            cat = "民办"
        elif a.status == Application.Status.PLACED:
            cat = "统筹"
        outcome = {Application.Status.ADMITTED: "录取", Application.Status.PLACED: "统筹安排",
                   Application.Status.UNPLACED: "暂未安排"}.get(a.status, "待分配")
        rows.append({"application_no": a.token, "lottery": a.lottery, "order": i, "name": lottery.mask_name(a.child_name),
                     "category": cat, "school": a.outcome.school.name if a.outcome_id else "", "outcome": outcome})
    return rows


def published_csv(campaign: Campaign) -> str:
    """UTF-8 with a BOM (Excel opens it; `jiaoguan lottery verify` reads it)."""
    out = io.StringIO()
    w = csv.DictWriter(out, CSV_HEADER, lineterminator="\n")
    w.writeheader()
    w.writerows(published(campaign))
    return "\ufeff" + out.getvalue()
