"""Number formats of the workforce pages: 万元 and 学时."""
from django import template

from jiaoguan.core.text import wan as _wan

register = template.Library()


@register.filter
def wan(value, digits=2):
    """Amount in 元 → '12.35' (万元)."""
    return _wan(value, int(digits))


@register.filter
def hours(value):
    """学时: 72.0 → '72', 12.5 → '12.5'."""
    if value in (None, ""):
        return "—"
    number = float(value)
    return f"{number:.0f}" if number == int(number) else f"{number:.1f}"
