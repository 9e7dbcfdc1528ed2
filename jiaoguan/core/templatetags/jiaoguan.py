from django import template

register = template.Library()


@register.filter
def percent(value, digits=2):
    """0.04567 → '4.57%'; None → '—'."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def grade_label(value):
    from jiaoguan.indicators.grades import GRADE_LABELS

    return GRADE_LABELS.get(value, value)


@register.filter
def getattribute(obj, name):
    return getattr(obj, name, None)


@register.filter
def num(value, digits=None):
    """118588 → '118,588'; 1234.5 with digits=2 → '1,234.50'; None → '—'."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    if digits is None:
        return f"{number:,.0f}" if number == int(number) else f"{number:,.2f}"
    return f"{number:,.{int(digits)}f}"


@register.filter
def getitem(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def thousands(value):
    """A plain whole number (int or a string of digits) gets thousands separators: 2620 → '2,620'.
    Anything else (badges, text, decimals already formatted) is returned unchanged."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    text = str(value).strip()
    if text.isdigit() and len(text) > 3 and not text.startswith("0"):
        return f"{int(text):,}"
    return value


@register.filter(name="abs")
def absolute(value):
    """-102 → 102 (a shortfall shown as a positive 缺口)."""
    try:
        return abs(value)
    except TypeError:
        return value


@register.filter
def search_hint(field):
    """The filter form's help text (名称、拼音首字母或标识码) as the search box's placeholder."""
    if getattr(field, "help_text", "") and hasattr(field, "field"):
        field.field.widget.attrs.setdefault("placeholder", str(field.help_text))
        field.field.widget.attrs.setdefault("title", str(field.help_text))
    return field


@register.filter
def natural_classes(classes):
    """Classes by grade, then by the number in the name: 1班, 2班 … 10班 (not 10班 before 2班)."""
    import re

    def key(c):
        digits = re.findall(r"\d+", c.name or "")
        return (c.grade, int(digits[0]) if digits else 0, c.name or "")

    return sorted(classes, key=key)


@register.filter
def can_see_school(user, school) -> bool:
    """Whether a link to the school's page would open for this user (school administrators and
    inspectors see only their schools; a link beside that would end in 404)."""
    from jiaoguan.core.scope import scoped_school_ids

    if school is None:
        return False
    cache = getattr(user, "_visible_school_ids", None)
    if cache is None:
        ids = scoped_school_ids(user)
        cache = "all" if ids is None else set(ids.values_list("pk", flat=True))
        try:
            user._visible_school_ids = cache
        except AttributeError:
            pass
    return cache == "all" or school.pk in cache


AUDIT_LABELS = {
    "step": "步骤", "school": "学校编号", "school_from": "原学校编号", "ties": "核实的片区关系", "category": "类别",
    "reason": "理由", "document": "材料编号", "accepted": "通过", "note": "说明", "standards": "标准",
    "roster_hash": "名册哈希", "entropy": "公开熵", "entropy_plan": "公开熵来源", "seed": "种子", "admitted": "录取",
    "placed": "统筹安排", "unplaced": "未安排", "year": "学年", "fields": "字段", "amount": "金额", "created": "新增",
    "updated": "更新", "removed": "删除", "unchanged": "未变", "kept": "保留", "content_type": "文件类型",
    "teacher": "教师", "pk": "编号", "filters": "筛选条件", "decision": "决定", "code": "代码", "what": "内容",
    "update_fields": "字段", "until": "截至", "to_school": "调入学校", "from_school": "调出学校", "term": "学期",
    "status": "状态", "status_from": "原状态", "status_to": "新状态", "schools": "学校数", "school_rows": "学校行数",
    "school_amount": "拨付学校金额", "required": "应交流", "reissue": "补发", "rank_from": "原排位", "rank_to": "新排位",
    "postings_restored": "恢复任教记录", "objected": "异议", "matched": "匹配", "locked": "锁定",
    "left_out_no_account": "无账户未纳入", "left_out_conflicts": "冲突未纳入", "later_postings_moved": "移动的后续任教记录",
    "kind": "类型", "level": "等级", "failed": "核对失败", "evidence": "证据", "eligible": "资格通过",
    "contains": "包含", "confirmed_with_submission": "随申报确认", "charset": "字符集", "bank_rows": "银行代发笔数",
    "bank_amount": "银行代发金额", "bad_rows": "出错行数", "file": "文件", "rows": "行数", "full": "完整证件号",
}
AUDIT_VALUES = {
    "hukou_in_zone": "户籍在片区内", "property_in_zone": "房产在片区内", "basic-2012": "基本均衡（2012）",
    "quality-2017": "优质均衡（2017）",
}


def _audit_value(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, (list, tuple, set)):
        return "、".join(_audit_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{AUDIT_LABELS.get(k, k)}：{_audit_value(v)}" for k, v in value.items()) or "—"
    text = str(value)
    if len(text) >= 40 and all(ch in "0123456789abcdef" for ch in text):
        return text[:16] + "…"  # a hash or seed: the start is enough to recognise it
    return AUDIT_VALUES.get(text, text)


@register.filter
def audit_detail(detail):
    """An audit entry's detail dict as (label, value) pairs a reader understands."""
    if not isinstance(detail, dict):
        return [("", _audit_value(detail))] if detail else []
    return [(AUDIT_LABELS.get(k, k), _audit_value(v)) for k, v in detail.items()]
