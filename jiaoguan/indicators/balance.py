"""校际均衡: stage split, enrollment-weighted coefficients of variation, school compliance,
gaps and explanations, for the 2012 and 2017 standards (pure polars, no Django).

Input: the supervision facts table (one row a school; see facts_table.py), already typed:
counts and areas as numbers, missing numbers as null (treated as 0).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import polars as pl

from .standards import load

STAGES = ("primary", "junior")
STAGE_LABELS = {"primary": "小学", "junior": "初中"}
FACILITY = ("teaching_area", "sports_area", "equipment_value", "computers", "books", "multimedia_rooms")
SECTION = ("teachers", "qualified", "midtitle", "backbone", "pe_art")
# which stages each school type contributes (完全中学 only its 初中部)
TYPE_STAGES = {
    "小学": ("primary",), "教学点": ("primary",), "初中": ("junior",),
    "九年一贯制": ("primary", "junior"), "完全中学": ("junior",), "十二年一贯制": ("primary", "junior"),
}
# types whose senior pupils weigh in the apportioning
HAS_SENIOR = ("完全中学", "十二年一贯制")
EPS = 1e-9


@dataclass
class Notes:
    """Schools left out of a stage, and why (a school with no pupils is reported, not divided by)."""

    excluded: list[dict] = field(default_factory=list)


def _num(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.Float64, strict=False).fill_null(0.0)


def prepare(facts: pl.DataFrame, *, teaching_points: str | None = None, notes: Notes | None = None) -> pl.DataFrame:
    """Fill missing numeric columns and apply the 教学点 setting (exclude, include or merge)."""
    split = load("stage-split")
    mode = teaching_points or split["teaching_points"]["default"]
    notes = notes if notes is not None else Notes()
    numeric = [f"students_{s}" for s in ("primary", "junior", "senior")] + list(FACILITY) + [
        f"{c}_{s}" for c in SECTION for s in STAGES
    ]
    frame = facts.with_columns([_num(c).alias(c) if c in facts.columns else pl.lit(0.0).alias(c) for c in numeric])
    if "parent_code" not in frame.columns:
        frame = frame.with_columns(parent_code=pl.lit(None, dtype=pl.Utf8))
    points = frame.filter(pl.col("school_type") == "教学点")
    if points.height == 0 or mode == "include":
        return frame
    rest = frame.filter(pl.col("school_type") != "教学点")
    if mode == "exclude":
        for code, name in points.select("school_code", "school_name").iter_rows():
            notes.excluded.append({"school_code": code, "school_name": name, "stage": "primary", "reason": "教学点不单独参与计算（按设置排除）"})
        return rest
    # merge: add each point's pupils, facilities and teachers into its parent
    known = set(rest["school_code"].to_list())
    orphan = points.filter(pl.col("parent_code").is_null() | ~pl.col("parent_code").is_in(list(known)))
    for code, name in orphan.select("school_code", "school_name").iter_rows():
        notes.excluded.append({"school_code": code, "school_name": name, "stage": "primary", "reason": "教学点未填写有效的所属学校，无法并入，单独计算"})
    merged = points.filter(pl.col("parent_code").is_in(list(known)))
    sums = merged.group_by("parent_code").agg([pl.col(c).sum() for c in numeric])
    rest = rest.join(sums, left_on="school_code", right_on="parent_code", how="left", suffix="_tp")
    rest = rest.with_columns([(pl.col(c) + pl.col(f"{c}_tp").fill_null(0)).alias(c) for c in numeric]).drop([f"{c}_tp" for c in numeric])
    return pl.concat([rest, orphan], how="diagonal_relaxed")


def split_stages(facts: pl.DataFrame, *, teaching_points: str | None = None, notes: Notes | None = None) -> pl.DataFrame:
    """One row per (school, stage) with that stage's pupils, its apportioned share of the five
    facility totals and its own section's teacher counts."""
    notes = notes if notes is not None else Notes()
    w = load("stage-split")["weights"]
    frame = prepare(facts, teaching_points=teaching_points, notes=notes)
    t = pl.col("school_type")
    a, b, c = pl.col("students_primary"), pl.col("students_junior"), pl.col("students_senior")
    senior = pl.when(t.is_in(list(HAS_SENIOR))).then(c).otherwise(0.0)
    has = {s: t.is_in([k for k, v in TYPE_STAGES.items() if s in v]) for s in STAGES}
    weighted = {
        "primary": pl.when(has["primary"]).then(a * w["primary"]).otherwise(0.0),
        "junior": pl.when(has["junior"]).then(b * w["junior"]).otherwise(0.0),
    }
    total = weighted["primary"] + weighted["junior"] + senior * w["senior"]
    parts = []
    for stage in STAGES:
        pupils = a if stage == "primary" else b
        share = pl.when(total > 0).then(weighted[stage] / total).otherwise(0.0)
        part = frame.filter(has[stage]).select(
            "school_code", "school_name", "county_code", "school_type",
            pl.lit(stage).alias("stage"),
            pupils.alias("pupils"),
            share.alias("share"),
            *[(pl.col(f) * share).alias(f) for f in FACILITY],
            *[pl.col(f"{s}_{stage}").alias(s) for s in SECTION],
        )
        parts.append(part)
    long = pl.concat(parts)
    empty = long.filter(pl.col("pupils") <= 0)
    for code, name, stage in empty.select("school_code", "school_name", "stage").iter_rows():
        notes.excluded.append({"school_code": code, "school_name": name, "stage": stage,
                               "reason": f"{STAGE_LABELS[stage]}在校生数为0，未参与计算（不能以0作除数）"})
    return long.filter(pl.col("pupils") > 0)


# ---------------------------------------------------------------------------- the computation

def indicator_values(long: pl.DataFrame, standard: dict) -> pl.DataFrame:
    """Long format: one row per (school, stage, indicator) with its numerator, pupils and value."""
    frames = []
    for order, ind in enumerate(standard["indicators"]):
        frames.append(long.select(
            "school_code", "school_name", "county_code", "stage", "pupils",
            pl.lit(ind["id"]).alias("indicator"), pl.lit(order).alias("order"),
            pl.col(ind["numerator"]).alias("x"), pl.lit(float(ind.get("per", 1))).alias("per"),
        ))
    values = pl.concat(frames)
    return values.with_columns(value=pl.col("x") / pl.col("pupils") * pl.col("per"))


def weighted_cv(values: pl.DataFrame, by=("county_code", "stage", "indicator")) -> pl.DataFrame:
    """County value X̄ = Σx/ΣP (× per), S = sqrt(Σ P_i/P (X_i − X̄)²), CV = S/X̄, per group;
    and each school's share of the variance, P_i/P (X_i − X̄)² / S²."""
    by = list(by)
    county = values.group_by(by).agg(
        P=pl.col("pupils").sum(), X=pl.col("x").sum(), per=pl.col("per").first(), schools=pl.len(),
    ).with_columns(county_value=pl.col("X") / pl.col("P") * pl.col("per"))
    joined = values.join(county.select(*by, "P", "county_value"), on=by)
    joined = joined.with_columns(term=(pl.col("pupils") / pl.col("P")) * (pl.col("value") - pl.col("county_value")) ** 2)
    var = joined.group_by(by).agg(var=pl.col("term").sum())
    county = county.join(var, on=by).with_columns(s=pl.col("var").sqrt())
    county = county.with_columns(cv=pl.when(pl.col("county_value") > 0).then(pl.col("s") / pl.col("county_value")).otherwise(None))
    schools = joined.join(county.select(*by, "var"), on=by).with_columns(
        variance_share=pl.when(pl.col("var") > 0).then(pl.col("term") / pl.col("var")).otherwise(0.0)
    ).drop("var", "term")
    return county, schools


@dataclass
class Evaluation:
    standard: dict
    counties: pl.DataFrame      # county_code, stage, indicator, county_value, s, cv, cv_limit, passed, P, schools
    composite: pl.DataFrame     # county_code, stage, pupils, schools, composite_cv, composite_limit, passed
    schools: pl.DataFrame       # school_code, stage, indicator, value, threshold, met, gap, variance_share …
    school_summary: pl.DataFrame  # school_code, stage, pupils, met_count, passed
    notes: Notes


def evaluate_all(facts: pl.DataFrame, standard_ids, *, teaching_points: str | None = None) -> list[Evaluation]:
    """Several standards over one facts table: the stage split is done once for all of them."""
    notes = Notes()
    long = split_stages(facts, teaching_points=teaching_points, notes=notes)
    return [evaluate_frame(facts, sid, long=long, notes=notes) for sid in standard_ids]


def evaluate_frame(facts: pl.DataFrame, standard_id: str, *, teaching_points: str | None = None,
                   long: pl.DataFrame | None = None, notes: Notes | None = None) -> Evaluation:
    """Every county and stage in the facts table against one standard, vectorised."""
    standard = load(standard_id)
    if long is None:
        notes = Notes()
        long = split_stages(facts, teaching_points=teaching_points, notes=notes)
    values = indicator_values(long, standard)
    county, schools = weighted_cv(values)

    limits = standard.get("cv_limit", {})
    county = county.with_columns(
        cv_limit=pl.col("stage").replace_strict({s: limits.get(s) for s in STAGES}, default=None, return_dtype=pl.Float64)
    ).with_columns(passed=pl.when(pl.col("cv_limit").is_null()).then(None).otherwise(pl.col("cv") <= pl.col("cv_limit") + EPS))

    comp_limits = standard.get("composite", {})
    composite = county.group_by("county_code", "stage").agg(
        composite_cv=pl.col("cv").mean(), pupils=pl.col("P").first(), schools=pl.col("schools").first(),
        every_cv_passed=pl.col("passed").all(),
    )
    if standard["county_rule"] == "composite":
        composite = composite.with_columns(
            composite_limit=pl.col("stage").replace_strict({s: comp_limits.get(s) for s in STAGES}, default=None, return_dtype=pl.Float64)
        ).with_columns(passed=pl.col("composite_cv") <= pl.col("composite_limit") + EPS)
    else:
        composite = composite.with_columns(composite_limit=pl.lit(None, dtype=pl.Float64), passed=pl.col("every_cv_passed"))
    composite = composite.drop("every_cv_passed")

    # thresholds, met flags and gaps per school
    thresholds = {(ind["id"], s): ind.get("threshold", {}).get(s) for ind in standard["indicators"] for s in STAGES}
    thr_frame = pl.DataFrame(
        {"indicator": [k[0] for k in thresholds], "stage": [k[1] for k in thresholds], "threshold": [float(v) if v is not None else None for v in thresholds.values()],
         "integer_gap": [bool(next(i for i in standard["indicators"] if i["id"] == k[0]).get("integer_gap", False)) for k in thresholds]},
        schema={"indicator": pl.Utf8, "stage": pl.Utf8, "threshold": pl.Float64, "integer_gap": pl.Boolean},
    )
    schools = schools.join(thr_frame, on=["indicator", "stage"], how="left")
    floor = standard.get("school", {}).get("floor_ratio", 0.0)
    raw_gap = (pl.col("threshold") - pl.col("value")) * pl.col("pupils") / pl.col("per")
    schools = schools.with_columns(
        met=pl.when(pl.col("threshold").is_null()).then(None).otherwise(pl.col("value") >= pl.col("threshold") - EPS),
        above_floor=pl.col("value") >= pl.col("threshold") * floor - EPS,
    ).with_columns(
        gap=pl.when(pl.col("met").is_null() | pl.col("met")).then(None)
        .when(pl.col("integer_gap")).then(raw_gap.ceil()).otherwise(raw_gap),
    )
    gap_totals = schools.group_by("county_code", "stage", "indicator").agg(
        gap_total=pl.col("gap").sum(), schools_below=pl.col("met").not_().sum(),
    )
    county = county.join(gap_totals, on=["county_code", "stage", "indicator"], how="left")
    if standard["school_rule"] == "min_met":
        min_met = standard["school"]["min_met"]
        summary = schools.group_by("school_code", "stage").agg(
            pupils=pl.col("pupils").first(), county_code=pl.col("county_code").first(), school_name=pl.col("school_name").first(),
            met_count=pl.col("met").sum(), below_floor=(~pl.col("met") & ~pl.col("above_floor")).sum(),
        ).with_columns(passed=(pl.col("met_count") >= min_met) & (pl.col("below_floor") == 0))
    else:
        summary = schools.group_by("school_code", "stage").agg(
            pupils=pl.col("pupils").first(), county_code=pl.col("county_code").first(), school_name=pl.col("school_name").first(),
        ).with_columns(met_count=pl.lit(None, dtype=pl.Int64), below_floor=pl.lit(None, dtype=pl.Int64), passed=pl.lit(None, dtype=pl.Boolean))
    return Evaluation(standard, county, composite, schools, summary, notes)


# ---------------------------------------------------------------------------- what it would take

def cv_plan(codes: list[str], pupils: list[float], x: list[float], per: float, limit: float, *,
            integer: bool = False, max_steps: int | None = None) -> list[dict]:
    """A greedy plan that brings one indicator's CV to its limit or under: repeatedly raise the
    school below the county value that contributes most to the variance up to the county value
    (facilities are built, not taken away). Greedy, so not guaranteed minimal; it says which
    schools first and how much each needs."""
    x = list(x)
    P = sum(pupils)
    steps = []

    def state():
        mean = sum(x) / P * per
        var = sum(p / P * (xi / p * per - mean) ** 2 for p, xi in zip(pupils, x))
        return mean, var

    mean, var = state()
    for _ in range(max_steps or 3 * len(x)):
        if mean <= 0 or math.sqrt(var) / mean <= limit + EPS:
            break
        below = [i for i in range(len(x)) if x[i] / pupils[i] * per < mean - EPS]
        if not below:
            break
        i = max(below, key=lambda j: pupils[j] / P * (x[j] / pupils[j] * per - mean) ** 2)
        add = (mean - x[i] / pupils[i] * per) * pupils[i] / per
        if integer:
            add = math.ceil(add - EPS)
        x[i] += add
        mean, var = state()
        steps.append({"school_code": codes[i], "add": add, "cv_after": math.sqrt(var) / mean if mean > 0 else None})
    return steps


# ---------------------------------------------------------------------------- plain output

def _f(v):
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else v


def to_dict(ev: Evaluation) -> dict:
    """The JSON shape of DESIGN.md (numbers unrounded)."""
    order = {ind["id"]: i for i, ind in enumerate(ev.standard["indicators"])}
    failing = ev.counties.filter(pl.col("passed") == False)  # noqa: E712
    groups = {}
    if failing.height:
        keys = ["county_code", "stage", "indicator"]
        wanted = ev.schools.join(failing.select(keys), on=keys, how="semi")
        groups = wanted.partition_by(keys, as_dict=True)
    counties: dict = {}
    comp = {(r["county_code"], r["stage"]): r for r in ev.composite.iter_rows(named=True)}
    for r in ev.counties.sort("county_code", "stage").iter_rows(named=True):
        c = counties.setdefault(r["county_code"], {"county_code": r["county_code"], "stages": {}})
        k = comp[(r["county_code"], r["stage"])]
        st = c["stages"].setdefault(r["stage"], {
            "stage": r["stage"], "schools": k["schools"], "pupils": int(k["pupils"]), "indicators": [],
            "composite_cv": _f(k["composite_cv"]), "composite_limit": k["composite_limit"], "passed": k["passed"],
        })
        item = {"id": r["indicator"], "county_value": _f(r["county_value"]), "s": _f(r["s"]), "cv": _f(r["cv"]),
                "cv_limit": r["cv_limit"], "passed": r["passed"], "gap_total": _f(r["gap_total"]),
                "schools_below": r["schools_below"]}
        if r["passed"] is False:
            rows = groups[(r["county_code"], r["stage"], r["indicator"])]
            item["plan"] = plan_for(ev, rows, r["indicator"], r["cv_limit"])
        st["indicators"].append(item)
    out_counties = []
    for c in counties.values():
        stages = []
        for s in STAGES:
            if s in c["stages"]:
                st = c["stages"][s]
                st["indicators"].sort(key=lambda i: order[i["id"]])
                stages.append(st)
        out_counties.append({"county_code": c["county_code"], "stages": stages})
    summary = {(r["school_code"], r["stage"]): r for r in ev.school_summary.iter_rows(named=True)}
    schools: dict = {}
    for r in ev.schools.sort("county_code", "school_code", "stage", "order").iter_rows(named=True):
        key = (r["school_code"], r["stage"])
        sm = summary[key]
        entry = schools.setdefault(key, {
            "school_code": r["school_code"], "school_name": r["school_name"], "county_code": r["county_code"], "stage": r["stage"],
            "pupils": int(r["pupils"]), "met_count": sm["met_count"], "passed": sm["passed"], "indicators": [],
        })
        entry["indicators"].append({"id": r["indicator"], "value": _f(r["value"]), "threshold": r["threshold"],
                                    "met": r["met"], "gap": _f(r["gap"]), "variance_share": _f(r["variance_share"])})
    return {"standard": ev.standard["id"], "counties": out_counties, "schools": list(schools.values()), "excluded": ev.notes.excluded}


def plan_for(ev: Evaluation, rows: pl.DataFrame, indicator: str, limit: float) -> list[dict]:
    """The greedy plan for one failing indicator, from its (county, stage) school rows."""
    ind = next(i for i in ev.standard["indicators"] if i["id"] == indicator)
    return cv_plan(rows["school_code"].to_list(), rows["pupils"].to_list(), rows["x"].to_list(), float(ind.get("per", 1)),
                   limit, integer=bool(ind.get("integer_gap")))


def evaluate(facts: pl.DataFrame, standard_id: str, *, teaching_points: str | None = None) -> dict:
    return to_dict(evaluate_frame(facts, standard_id, teaching_points=teaching_points))
