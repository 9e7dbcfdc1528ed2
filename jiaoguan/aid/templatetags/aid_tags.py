from django import template

from jiaoguan.core.idnumbers import mask_id

from ..programmes import programmes, yuan as _yuan
from ..stats import wan as _wan

register = template.Library()


@register.filter
def wan(value, digits=4):
    """元 → 万元 with two to four decimals."""
    if value is None or value == "":
        return "—"
    return _wan(value, int(digits))


@register.filter
def yuan(value):
    if value is None or value == "":
        return "—"
    return _yuan(value)


@register.filter
def programme_short(value):
    p = programmes().programmes.get(value)
    return p.short if p else value


@register.filter
def categories_label(value):
    short = programmes().category_short
    return "、".join(short.get(c, c) for c in (value or "").split(",") if c)


@register.filter
def mask_account(value):
    """6222 0212 **** 1234: bank and last four shown."""
    if not value:
        return ""
    return value[:4] + "*" * max(len(value) - 8, 0) + value[-4:] if len(value) > 8 else "****"


@register.filter
def masked_id(value):
    return mask_id(value)


@register.filter
def signed_percent(value):
    if value is None:
        return "—"
    return f"{value * 100:+.1f}%"


@register.filter
def stage_label(value):
    from ..programmes import STAGE_LABELS

    return STAGE_LABELS.get(value, value)
