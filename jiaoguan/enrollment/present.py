"""Plain Chinese words for what the parent and the staff read: verification results, the
category and its reasons, the steps of an application."""
from __future__ import annotations

import datetime

from .models import Application, ApplicationEvent, Campaign, Document, VerificationCall
from .verification import KINDS

KIND_LABELS = {"hukou": "户籍（公安）", "property": "房产（不动产登记）", "residence": "居住证（公安）", "social_insurance": "社保（人社）"}
OWNER = {"parent": "父母", "grandparent": "祖父母/外祖父母", "other": "其他亲属"}
HOLDER = {"parent": "父母为户主", "grandparent": "祖父母/外祖父母为户主", "other": "其他亲属为户主"}

def timeline(app: Application) -> list[ApplicationEvent]:
    """The application's history; a submission the worker has not yet followed up (it writes the
    event within seconds) shows already, so a parent never sees an empty record."""
    events = list(app.events.all())
    if app.needs_follow_up:
        notes = {e.note for e in events}
        if "提交报名" not in notes:
            events.insert(0, ApplicationEvent(application=app, at=app.created, actor="家长", status=Application.Status.SUBMITTED, note="提交报名"))
        if app.status_note == "修改报名信息" and not any(e.note == "修改报名信息" and e.at == app.updated for e in events):
            events.append(ApplicationEvent(application=app, at=app.updated, actor="家长", status=Application.Status.SUBMITTED, note="修改报名信息"))
    return events


# what a parent may upload instead when a record could not be verified
FALLBACK = {
    "hukou": (Document.Kind.HUKOU, "户籍不在本县的可不上传；户籍在本县但未查到的，请上传户口簿户主页和儿童页"),
    "property": (Document.Kind.SELF_BUILT, "商品房请上传不动产权证书或购房合同；自建房请上传宅基地使用证或村（居）委会出具的自建房证明"),
    "residence": (Document.Kind.RESIDENCE, "随迁子女请上传监护人在本县办理的居住证"),
    "social_insurance": (Document.Kind.SOCIAL_INSURANCE, "随迁子女请上传监护人在本县的社保缴费证明"),
}


def _date(v) -> str:
    if not v:
        return ""
    try:
        d = datetime.date.fromisoformat(v) if isinstance(v, str) else v
    except ValueError:
        return str(v)
    return f"{d.year}年{d.month}月{d.day}日"


SETTLED = (Application.Status.ELIGIBLE, Application.Status.ADMITTED, Application.Status.PLACED, Application.Status.UNPLACED)


def verification_rows(app: Application) -> list[dict]:
    """The latest answer of each department, in plain words."""
    latest: dict[str, VerificationCall] = {}
    for call in app.verifications.order_by("at", "pk"):
        latest[call.kind] = call
    f = app.facts
    found = {k for k, call in latest.items() if call.outcome == "match"}
    # what a family need not show: a local 户籍 needs no 居住证/社保; a 居住证 holder needs no local 户籍
    irrelevant = {}
    if "hukou" in found:
        irrelevant.update(residence="户籍在本县的无需提供", social_insurance="户籍在本县的无需提供")
    elif "residence" in found:
        irrelevant.update(hukou="随迁子女无需提供本县户籍")
    rows = []
    for kind in KINDS:
        call = latest.get(kind)
        row = {"kind": kind, "label": KIND_LABELS[kind], "state": "pending", "text": "等待核验", "hint": ""}
        if call is None:
            rows.append(row)
            continue
        if call.outcome == "match":
            row["state"] = "ok"
            if kind == "hukou":
                bits = [f"户籍地址：{f.get('hukou_address') or '—'}"]
                if f.get("hukou_since"):
                    bits.append(f"落户时间：{_date(f['hukou_since'])}")
                if f.get("hukou_holder"):
                    bits.append(HOLDER.get(f["hukou_holder"], f["hukou_holder"]))
            elif kind == "property":
                bits = [f"房产地址：{f.get('property_address') or '—'}",
                        f"产权人：{OWNER.get(f.get('property_owner'), f.get('property_owner') or '—')}",
                        f"产权份额：{round(float(f.get('property_share') or 0) * 100)}%"]
                if f.get("property_since"):
                    bits.append(f"登记时间：{_date(f['property_since'])}")
                if f.get("property_used"):
                    bits.append("该房产的入学学位近年已使用过")
            elif kind == "residence":
                bits = ["持有本县居住证"] + ([f"居住地址：{f['residence_address']}"] if f.get("residence_address") else [])
                if f.get("residence_since"):
                    bits.append(f"办理时间：{_date(f['residence_since'])}")
            else:
                bits = [f"社保已缴纳{f.get('social_insurance_months', 0)}个月"]
            row["text"] = "已核验：" + "；".join(bits)
        elif call.outcome in ("queued", "error"):
            row["state"] = "wait"
            row["text"] = "该部门数据暂未返回，系统会自动重试，您无需操作"
        elif app.status in SETTLED:
            row["state"] = "none"
            row["text"] = "未查到记录（不影响已确定的入学类别）"
        elif kind in irrelevant:
            row["state"] = "none"
            row["text"] = "未查到记录（" + irrelevant[kind] + "）"
        else:
            row["state"] = "missing"
            row["text"] = "未查到记录"
            row["hint"] = FALLBACK[kind][1]
        rows.append(row)
    return rows


def category_rows(app: Application) -> list[dict]:
    """The category at the zone school and at each chosen school, with reasons."""
    schools = {cs.pk: cs for cs in app.campaign.schools.select_related("school")}
    rows = []
    order = list(dict.fromkeys([*([app.zone_school_id] if app.zone_school_id else []), *app.choices]))
    for sid in order:
        cs = schools.get(sid)
        entry = app.categories.get(str(sid))
        if cs is None:
            continue
        row = {"school": cs.school.name, "private": cs.private, "zone": sid == app.zone_school_id}
        if cs.private:
            row["category"] = "民办"
            row["reasons"] = ["民办学校与公办学校同步招生；报名人数超过招生计划时，按摇号号码电脑随机录取"]
        elif entry:
            row["category"] = f"{entry['id']}类" if entry.get("id") else "统筹"
            row["reasons"] = entry.get("reasons", [])
        else:
            row["category"], row["reasons"] = "—", []
        rows.append(row)
    return rows


STEPS = [("submitted", "提交报名"), ("verify", "信息核验"), ("review", "资格审核"), ("lottery", "摇号录取"), ("result", "录取结果")]


def progress(app: Application) -> list[dict]:
    S = Application.Status
    at = {S.SUBMITTED: 1, S.VERIFYING: 1, S.NEEDS_DOCUMENTS: 2, S.REVIEW: 2, S.ELIGIBLE: 3,
          S.ADMITTED: 5, S.PLACED: 5, S.UNPLACED: 5, S.WITHDRAWN: 0}[app.status]
    if app.status == S.ELIGIBLE and app.campaign.status in (Campaign.Status.FROZEN, Campaign.Status.DRAWN):
        at = 4
    return [{"label": label, "state": "done" if i < at else ("now" if i == at else "todo")} for i, (_, label) in enumerate(STEPS)]


def documents_wanted(app: Application, rows: list[dict]) -> list[tuple[str, str]]:
    """(document kind, hint) the parent may upload now."""
    if app.status not in (Application.Status.NEEDS_DOCUMENTS, Application.Status.REVIEW):
        return []
    wanted = [FALLBACK[r["kind"]] for r in rows if r["state"] == "missing"]
    return wanted or [(Document.Kind.OTHER, "请上传能证明居住地址的材料（房产证明、租房合同或村（居）委会证明）")]
