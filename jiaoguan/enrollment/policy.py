"""Priority policy as data (pure, no Django): ordered categories, each a list of conditions
over the verified facts about an applicant's tie to one school's zone, then deterministic keys.

A county edits the policy without code. Example (TOML or the equivalent JSON):

    [[categories]]
    id = "A"
    name = "户籍与房产一致（父母名下全产权）"
    all = ["hukou_in_zone", "property_in_zone", "property_owner in parent", "property_share >= 1", "not property_used"]

    [[categories]]
    id = "B"
    name = "户籍在片区"
    all = ["hukou_in_zone"]

    keys = ["hukou_since", "-points"]   # within a category: earlier 落户 first, then more points

Conditions: `fact`, `not fact`, or `fact OP value` with OP one of == != >= <= > < in (for `in`,
values separated by |). Facts: hukou_in_zone, hukou_since (date), hukou_holder (parent|grandparent|
other), property_in_zone, property_owner (parent|grandparent|other), property_share (0–1),
property_since (date), property_used (the place was used in recent years), residence_permit,
social_insurance_months, points, sibling_at_school. An applicant that meets no category gets
the category after the last (统筹 only).
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

FACTS = {
    "hukou_in_zone": bool, "hukou_since": datetime.date, "hukou_holder": str, "property_in_zone": bool,
    "property_owner": str, "property_share": float, "property_since": datetime.date, "property_used": bool,
    "residence_permit": bool, "social_insurance_months": int, "points": int, "sibling_at_school": bool,
}
_COND = re.compile(r"^(not\s+)?([a-z_]+)(?:\s*(==|!=|>=|<=|>|<)\s*(.+)|\s+(in)\s+(.+))?$")


class PolicyError(ValueError):
    pass


@dataclass(frozen=True)
class Condition:
    negate: bool
    fact: str
    op: str | None
    value: object

    def test(self, facts: dict) -> bool:
        have = facts.get(self.fact)
        if self.op is None:
            result = bool(have)
        elif have is None:
            result = False
        elif self.op == "in":
            result = str(have) in self.value
        else:
            result = {
                "==": have == self.value, "!=": have != self.value, ">=": have >= self.value,
                "<=": have <= self.value, ">": have > self.value, "<": have < self.value,
            }[self.op]
        return not result if self.negate else result


def parse_condition(text: str) -> Condition:
    m = _COND.match(text.strip())
    if not m:
        raise PolicyError(f"条件“{text}”无法识别，应写成如 hukou_in_zone、not property_used、property_share >= 1")
    negate, fact = bool(m.group(1)), m.group(2)
    op, raw = (m.group(3), m.group(4)) if m.group(3) else (m.group(5), m.group(6))
    if fact not in FACTS:
        raise PolicyError(f"条件“{text}”中的“{fact}”不是可用的核验事实（可用：{'、'.join(FACTS)}）")
    kind = FACTS[fact]
    value: object = None
    if op == "in":
        value = frozenset(v.strip() for v in raw.split("|"))
    elif op:
        try:
            value = datetime.date.fromisoformat(raw.strip()) if kind is datetime.date else kind(raw.strip()) if kind is not bool else raw.strip() == "true"
        except ValueError:
            raise PolicyError(f"条件“{text}”中的值“{raw}”不是{fact}所需的类型") from None
    return Condition(negate, fact, op, value)


@dataclass
class Category:
    id: str
    name: str
    conditions: list[Condition]


@dataclass
class Policy:
    categories: list[Category]
    keys: list[str]

    @classmethod
    def from_data(cls, data: dict) -> "Policy":
        cats = data.get("categories") or []
        if not cats:
            raise PolicyError("招生政策至少要有一个类别")
        seen = set()
        categories = []
        for c in cats:
            if c.get("id") in seen or not c.get("id"):
                raise PolicyError(f"类别编号“{c.get('id')}”为空或重复")
            seen.add(c["id"])
            categories.append(Category(c["id"], c.get("name", c["id"]), [parse_condition(x) for x in c.get("all", [])]))
        keys = list(data.get("keys", []))
        for k in keys:
            if k.lstrip("-") not in FACTS:
                raise PolicyError(f"排序依据“{k}”不是可用的核验事实")
        return cls(categories, keys)

    def categorise(self, facts: dict) -> tuple[int, str, list[str]]:
        """(rank from 1, category id, reasons). Rank len(categories)+1 when none applies."""
        reasons = []
        for rank, cat in enumerate(self.categories, start=1):
            failed = [c for c in cat.conditions if not c.test(facts)]
            if not failed:
                return rank, cat.id, reasons + [f"符合“{cat.name}”"]
            reasons.append(f"不符合“{cat.name}”：" + "、".join(describe(c) for c in failed))
        return len(self.categories) + 1, "", reasons + ["不符合任何类别，由教育局统筹安排"]

    def sort_key(self, facts: dict) -> tuple:
        """The deterministic keys within a category (smaller first; '-fact' reverses)."""
        out = []
        for k in self.keys:
            fact = k.lstrip("-")
            v = facts.get(fact)
            if v is None:
                out.append((1, 0))
                continue
            if isinstance(v, datetime.date):
                v = v.toordinal()
            out.append((0, -v if k.startswith("-") else v))
        return tuple(out)


LABELS = {
    "hukou_in_zone": "户籍在片区内", "hukou_since": "落户时间", "hukou_holder": "户主关系", "property_in_zone": "房产在片区内",
    "property_owner": "房产所有人", "property_share": "产权份额", "property_since": "房产取得时间", "property_used": "该房产学位近年已使用",
    "residence_permit": "持有居住证", "social_insurance_months": "社保缴纳月数", "points": "积分", "sibling_at_school": "兄弟姐妹在该校就读",
}


def describe(c: Condition) -> str:
    label = LABELS[c.fact]
    if c.op is None:
        return f"{label}（应为{'否' if c.negate else '是'}）"
    value = "或".join(sorted(c.value)) if c.op == "in" else c.value
    return f"{label}应{'不' if c.negate else ''}{'为' if c.op in ('==', 'in') else c.op}{value}"
