"""The 2017 government (15) and quality (9) checklist: the items the registry can answer are
computed here; the rest are entered with evidence (ChecklistAnswer)."""
from __future__ import annotations

import datetime
import math
import tomllib
from functools import cache
from pathlib import Path

from django.db.models import Count, Q

from jiaoguan.core.models import SchoolYear
from jiaoguan.registry import models as m

from .rates import county_rates

COMPULSORY = (m.SchoolType.PRIMARY, m.SchoolType.JUNIOR, m.SchoolType.NINE_YEAR, m.SchoolType.COMPLETE_SECONDARY,
              m.SchoolType.TWELVE_YEAR, m.SchoolType.TEACHING_POINT)
# 生均公用经费基准定额 (中西部 2016: 小学 600, 初中 800 元/年) for the "funded as 100 pupils" item
BASE_FUNDING = {"primary": 600, "junior": 800}


@cache
def items() -> dict:
    with (Path(__file__).parent / "checklist.toml").open("rb") as fh:
        return tomllib.load(fh)


def _schools(county):
    return m.School.objects.filter(org_unit__path__startswith=county.path, is_active=True, type__in=COMPULSORY)


def art_rooms(county, year, ctx):
    schools = _schools(county).filter(ownership=m.Ownership.PUBLIC).exclude(type=m.SchoolType.TEACHING_POINT).annotate(
        n_classes=Count("classes", filter=Q(classes__year=year), distinct=True))
    facts = {f.school_id: f for f in m.SchoolFacts.objects.filter(year=year, school__in=schools)}
    short = []
    for s in schools:
        f = facts.get(s.pk)
        need = max(1, math.ceil(s.n_classes / 12))
        if f is None or (f.music_rooms or 0) < need or (f.art_rooms or 0) < need:
            short.append(s.name)
    total = schools.count()
    return not short, f"{total - len(short)} / {total} 所学校音乐、美术专用教室数量达标", short


def school_size(county, year, ctx):
    over = [s for s in ctx["rates"]["oversized_schools"] if s["type"] != "幼儿园"]
    return not over, f"{len(over)} 所学校超过规模上限", [f"{s['school_name']}（{s['pupils']}人，上限{s['limit']}）" for s in over]


def class_size(county, year, ctx):
    cs = ctx["rates"]["class_size"]
    over = sum(cs.get(s, {}).get("over", 0) for s in ("primary", "junior"))
    total = sum(cs.get(s, {}).get("classes", 0) for s in ("primary", "junior"))
    return over == 0, f"义务教育 {total} 个班中 {over} 个超过标准班额（小学45人、初中50人）", []


def small_school_funding(county, year, ctx):
    small = _schools(county).filter(ownership=m.Ownership.PUBLIC).annotate(
        pupils=Count("enrolments", filter=Q(enrolments__year=year, enrolments__status__in=m.ON_ROLL))).filter(pupils__lt=100)
    facts = {f.school_id: f for f in m.SchoolFacts.objects.filter(year=year, school__in=small)}
    short = [s.name for s in small if (facts.get(s.pk) is None or (facts[s.pk].public_funds_budget or 0) < 100 * BASE_FUNDING["primary"])]
    n = small.count()
    return not short, f"不足100人的学校 {n} 所，其中 {len(short)} 所公用经费预算低于按100人核定的 {100 * BASE_FUNDING['primary']:,} 元", short


def rotation(county, year, ctx):
    """Teachers whose posting moved to another school since last year, among those who had been
    at their school six years or more (from the postings; the 人事股 pages give the detail)."""
    last = SchoolYear.objects.filter(start__year=year.start.year - 1).first()
    if last is None:
        return None, "缺少上一学年的任教记录，无法计算", []
    posts = m.Posting.objects.filter(school__org_unit__path__startswith=county.path)
    before = {t: (s, since, bb) for t, s, since, bb in posts.filter(year=last).values_list("teacher_id", "school_id", "at_school_since", "backbone")}
    now = dict(posts.filter(year=year).values_list("teacher_id", "school_id"))
    cutoff = datetime.date(last.start.year - 6, last.start.month, last.start.day)
    eligible = [t for t, (s, since, _) in before.items() if since and since <= cutoff]
    moved = [t for t, (s, _, _) in before.items() if t in now and now[t] != s]
    backbone = [t for t in moved if before[t][2] in m.COUNTY_BACKBONE_OR_ABOVE]
    share = len(moved) / len(eligible) if eligible else None
    bshare = len(backbone) / len(moved) if moved else None
    ok = share is not None and share >= 0.10 and bshare is not None and bshare >= 0.20
    text = (f"符合交流条件 {len(eligible)} 人，交流轮岗 {len(moved)} 人（{share:.1%}）；其中骨干 {len(backbone)} 人（{bshare:.1%}）"
            if share is not None and bshare is not None else f"符合交流条件 {len(eligible)} 人，交流轮岗 {len(moved)} 人")
    return ok, text, []


def certified(county, year, ctx):
    posts = m.Posting.objects.filter(year=year, school__in=_schools(county), role="专任教师")
    total, ok = posts.count(), posts.filter(certified=True).count()
    return (ok == total if total else None), f"专任教师 {total} 人，持证 {ok} 人（{ok / total:.1%}）" if total else "没有任教记录", []


def migrant_public(county, year, ctx):
    on_roll = m.Enrolment.objects.filter(year=year, status__in=m.ON_ROLL, migrant=True, grade__gte=1, grade__lte=9,
                                         school__org_unit__path__startswith=county.path)
    total = on_roll.count()
    public = on_roll.filter(school__ownership__in=(m.Ownership.PUBLIC,)).count()
    share = public / total if total else None
    return (share >= 0.85 if share is not None else None), (f"随迁子女 {total} 人，在公办学校就读 {public} 人（{share:.1%}）" if total else "没有随迁子女记录"), []


def junior_retention(county, year, ctx):
    r = ctx["rates"]["junior_retention"]
    if not r or r["rate"] is None:
        return None, "缺少三年前的初一学籍记录，无法计算", []
    return r["rate"] >= 0.95, f"{r['rate']:.2%}（三年前初一 {r['entrants']} 人，现初三 {r['graduating']} 人，其间转入 {r['joined']} 人、转出 {r['transferred_out']} 人、死亡 {r['deaths']} 人）", []


def disabled_enrolment(county, year, ctx):
    d = ctx["rates"]["disabled"]
    if d["rate"] is None:
        return None, f"在籍适龄残疾学生 {d['enrolled']} 人；请填写县域适龄残疾儿童少年总数（残联数据）后计算", []
    return d["rate"] >= 0.95, f"{d['rate']:.2%}（在籍 {d['enrolled']} 人 ÷ 适龄 {d['population']} 人）", []


def training_budget(county, year, ctx):
    facts = m.SchoolFacts.objects.filter(year=year, school__in=_schools(county)).select_related("school")
    short = [f.school.name for f in facts if f.public_funds_budget and (f.training_spend or 0) < 0.05 * float(f.public_funds_budget)]
    n = facts.count()
    return (not short if n else None), f"{n} 所学校中 {len(short)} 所教师培训经费低于公用经费预算的5%", short


AUTO = {f.__name__: f for f in (art_rooms, school_size, class_size, small_school_funding, rotation, certified, migrant_public,
                                 junior_retention, disabled_enrolment, training_budget)}


def evaluate(county, year, answers: dict, figures: dict) -> dict:
    """Every item with its verdict: automatic ones computed, manual ones from `answers`."""
    ctx = {"rates": county_rates(county, year, figures)}
    out = {}
    for group in ("government", "quality"):
        rows = []
        for item in items()[group]:
            answer = answers.get(item["id"])
            if item.get("auto"):
                met, value, detail = AUTO[item["auto"]](county, year, ctx)
                rows.append(item | {"met": met, "value": value, "detail": detail[:20], "detail_more": max(0, len(detail) - 20),
                                    "automatic": True, "answer": answer})
            else:
                rows.append(item | {"met": answer.met if answer else None, "value": answer.note if answer else "",
                                    "detail": [], "automatic": False, "answer": answer})
        out[group] = rows
    out["rates"] = ctx["rates"]
    return out
