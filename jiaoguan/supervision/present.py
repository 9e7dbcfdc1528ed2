"""Turn a stored run's result (balance.to_dict output) into rows for the pages: labels from the
standard files, numbers formatted the Chinese way, gaps in natural units. No database access."""
from __future__ import annotations

import math

from jiaoguan.indicators.balance import STAGE_LABELS, STAGES
from jiaoguan.indicators.standards import load

STANDARD_ORDER = ("basic-2012", "quality-2017")
STANDARD_SHORT = {"basic-2012": "基本均衡", "quality-2017": "优质均衡"}
STANDARD_DOC = {"basic-2012": "教督〔2012〕3号", "quality-2017": "教督〔2017〕6号"}
DASH = "—"


def standard(standard_id: str) -> dict:
    return load(standard_id)


def indicator_def(standard_id: str, indicator_id: str) -> dict | None:
    return next((i for i in load(standard_id)["indicators"] if i["id"] == indicator_id), None)


# ---------------------------------------------------------------------------- numbers

def _ok(x) -> bool:
    return x is not None and not (isinstance(x, float) and (math.isnan(x) or math.isinf(x)))


def num(x, digits: int = 2) -> str:
    """1234.5 → '1,234.50'; None → '—'."""
    if not _ok(x):
        return DASH
    return f"{x:,.{digits}f}"


def cv_text(x) -> str:
    return num(x, 4)


def pct(x, digits: int = 1) -> str:
    return DASH if not _ok(x) else f"{x * 100:,.{digits}f}%"


def value_digits(ind: dict) -> int:
    """师生比-type indicators (teachers per pupil, per = 1) need four decimals; the rest two."""
    return 4 if ind.get("kind") == "section" and float(ind.get("per", 1)) == 1 else 2


def value_text(x, ind: dict, *, unit: bool = False) -> str:
    text = num(x, value_digits(ind))
    return f"{text} {ind['unit']}" if unit and text != DASH else text


def amount_text(x, ind: dict) -> str:
    """An amount in the indicator's natural units: '4 名高于规定学历教师', '545.8 ㎡教学及辅助用房',
    '10.52 万元教学仪器设备'."""
    if not _ok(x):
        return DASH
    label = ind.get("gap_unit") or ind.get("unit", "")
    if ind.get("integer_gap"):
        return f"{int(math.ceil(x - 1e-9)):,} {label}"
    if ind.get("unit") == "元":
        if abs(x) >= 10000:
            rest = label[1:] if label.startswith("元") else label
            return f"{x / 10000:,.2f} 万元{rest}"
        return f"{x:,.0f} {label}"
    return f"{x:,.1f} {label}"


# ---------------------------------------------------------------------------- the result

def county_block(result: dict, county_code: str) -> dict | None:
    return next((c for c in result.get("counties", []) if c["county_code"] == county_code), None)


def stage_block(result: dict, county_code: str, stage: str) -> dict | None:
    c = county_block(result, county_code)
    return next((s for s in c["stages"] if s["stage"] == stage), None) if c else None


def school_entries(result: dict, county_code: str, stage: str) -> list[dict]:
    return [s for s in result.get("schools", []) if s["county_code"] == county_code and s["stage"] == stage]


def limit_for(standard_id: str, stage: str):
    std = load(standard_id)
    return std.get("cv_limit", {}).get(stage)


def stage_rows(standard_id: str, st: dict) -> list[dict]:
    """The indicator rows of one stage block, labelled and formatted."""
    rows = []
    for item in st["indicators"]:
        ind = indicator_def(standard_id, item["id"]) or {"id": item["id"], "name": item["id"], "unit": ""}
        threshold = ind.get("threshold", {}).get(st["stage"])
        rows.append({
            "id": item["id"], "name": ind["name"], "unit": ind.get("unit", ""),
            "county_value": value_text(item["county_value"], ind),
            "threshold": value_text(threshold, ind) if threshold is not None else DASH,
            "cv": cv_text(item["cv"]), "cv_raw": item["cv"],
            "limit": num(item["cv_limit"], 2) if item.get("cv_limit") is not None else DASH,
            "passed": item.get("passed"),
            "schools_below": item.get("schools_below") if threshold is not None else None,
            "gap": ("共缺 " + amount_text(item["gap_total"], ind)) if threshold is not None and _ok(item.get("gap_total")) and item["gap_total"] > 0 else (
                "无缺口" if threshold is not None else DASH),
            "has_plan": bool(item.get("plan")),
        })
    return rows


def stage_verdict(standard_id: str, st: dict | None, schools: list[dict]) -> dict:
    """The verdict card of one standard and stage."""
    std = load(standard_id)
    if st is None:
        return {"present": False}
    out = {"present": True, "passed": st["passed"], "schools": st["schools"], "pupils": st["pupils"]}
    if std["county_rule"] == "composite":
        limit = std["composite"][st["stage"]]
        out.update(kind="composite", value=cv_text(st["composite_cv"]), limit=num(limit, 2))
    else:
        limit = std["cv_limit"][st["stage"]]
        within = sum(1 for i in st["indicators"] if i.get("passed"))
        ok = sum(1 for s in schools if s.get("passed"))
        # 教督〔2017〕6号 asks for both: every CV within its limit (the run's stored verdict) and
        # every school meeting the 6-of-7 rule; the card is green only when both hold
        out.update(kind="every_cv", within=within, total=len(st["indicators"]), limit=num(limit, 2),
                   schools_ok=ok, schools_total=len(schools), cv_passed=st["passed"],
                   schools_passed=ok == len(schools), passed=bool(st["passed"]) and ok == len(schools))
    return out


def run_verdicts(run_result: dict, standard_id: str, county_code: str) -> list[tuple[str, bool]]:
    """(“优质均衡小学”, passed) per stage, as the cards show them."""
    out = []
    for stage in STAGES:
        st = stage_block(run_result, county_code, stage)
        if st is not None:
            v = stage_verdict(standard_id, st, school_entries(run_result, county_code, stage))
            out.append((f"{STANDARD_SHORT[standard_id]}{stage_label(stage)}", bool(v["passed"])))
    return out


def sources(standard_id: str) -> list[str]:
    std = load(standard_id)
    out = [std["source"]]
    for key in ("composite", "cv_limit", "school"):
        if key in std and std[key].get("source"):
            out.append(std[key]["source"])
    return out


def school_check(standard_id: str, entry: dict) -> dict:
    """One school's stage under the 2017 rules: each indicator met or not, the gap, the share of
    the threshold, and the verdict with its reason."""
    std = load(standard_id)
    rule = std.get("school", {})
    floor = rule.get("floor_ratio", 0.0)
    rows, short = [], []
    for item in entry["indicators"]:
        ind = indicator_def(standard_id, item["id"])
        thr = item.get("threshold")
        share = item["value"] / thr if _ok(item.get("value")) and thr else None
        below_floor = item.get("met") is False and share is not None and share < floor - 1e-9
        rows.append({
            "id": item["id"], "name": ind["name"], "unit": ind["unit"],
            "value": value_text(item["value"], ind), "threshold": value_text(thr, ind),
            "met": item.get("met"), "share": pct(share), "share_raw": share, "below_floor": below_floor,
            "gap": ("还差 " + amount_text(item["gap"], ind)) if item.get("met") is False and _ok(item.get("gap")) else DASH,
        })
        if below_floor:
            short.append(f"{ind['name']}（{pct(share)}）")
    met = entry.get("met_count") or 0
    total = len(rows)
    need = rule.get("min_met", total)
    reason = f"{total}项指标中{met}项达标"
    if entry.get("passed"):
        reason += "，全部达到要求。" if met == total else f"（要求至少{need}项），未达标的指标均不低于标准的{floor:.0%}。"
    else:
        reason += f"，少于要求的{need}项" if met < need else f"（要求至少{need}项）"
        if short:
            reason += f"；{len(short)}项低于标准的{floor:.0%}：" + "、".join(short)
        reason += "。"
    return {"rows": rows, "met": met, "total": total, "need": need, "floor": f"{floor:.0%}",
            "passed": entry.get("passed"), "reason": reason}


def stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage)


__all__ = ["STAGES", "STAGE_LABELS", "STANDARD_ORDER", "STANDARD_SHORT"]
