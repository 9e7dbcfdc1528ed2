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
