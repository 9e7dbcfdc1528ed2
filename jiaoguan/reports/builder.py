"""Assemble the annual report of a county for a school year from every app's sections."""
from __future__ import annotations

from dataclasses import dataclass, field

from jiaoguan.core.models import SchoolYear

from .base import Content, Figures, discover

CN = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    if n <= 10:
        return CN[n - 1]
    return ("十" if n < 20 else CN[n // 10 - 1] + "十") + (CN[n % 10 - 1] if n % 10 else "")


@dataclass
class BuiltSection:
    id: str
    title: str
    templates: list[str]
    paragraphs: list[str]
    content: Content
    figures: Figures
    previous: Figures | None
    unknown: list[str] = field(default_factory=list)


@dataclass
class Report:
    county: object
    year: object
    title: str
    sections: list[BuiltSection]
    problems: list[str]
    plan: list[str]

    @property
    def unknown_placeholders(self) -> list[str]:
        return [f"{s.title}：{{{u}}}" for s in self.sections for u in s.unknown]


def previous_year(year):
    return SchoolYear.objects.filter(start__year=year.start.year - 1).first()


def default_plan(sections: list[BuiltSection], year) -> list[str]:
    """Data-backed targets for next year, for staff to rewrite."""
    plan = []
    for s in sections:
        f = s.figures
        if "large_classes" in f and f["large_classes"].value:
            target = max(0, int(f["large_classes"].value * 0.5))
            plan.append(f"持续化解大班额，力争{year.start.year + 1}年大班额降至{target}个以内，全面消除超大班额。")
        if "quality_schools" in f and f["quality_schools_passed"].value < f["quality_schools"].value:
            plan.append("对照优质均衡7项指标补齐薄弱学校短板，优先补足教学及辅助用房、体育运动场馆、教学仪器设备和骨干教师缺口。")
    plan.append("（以上目标由系统根据本年度数据生成，请结合县委、县政府部署修改。）")
    return plan


def build(county, year, draft=None, sections=None) -> Report:
    prev = previous_year(year)
    built = []
    for s in sections if sections is not None else discover():
        f = s.figures(county, year)
        p = s.previous(county, year, prev) if prev else None
        content = s.content(county, year, f, p or None)
        templates = (draft.texts.get(s.id) if draft and draft.texts.get(s.id) else None) or content.paragraphs
        paragraphs, unknown = [], []
        for t in templates:
            text, bad = f.render(t)
            paragraphs.append(text)
            unknown += bad
        built.append(BuiltSection(s.id, s.title, templates, paragraphs, content, f, p, unknown))
    problems = [p for s in built for p in s.content.problems]
    plan = draft.plan_lines() if draft and draft.plan.strip() else default_plan(built, year)
    title = f"{county.name}教育局{year.start.year}年工作总结"
    return Report(county, year, title, built, problems, plan)
