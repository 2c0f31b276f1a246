"""Template filters of the purchasing pages."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def figure(value) -> str:
    """A quantity, price or percentage without trailing zeros or exponent (10.000000 → 10)."""
    if isinstance(value, Decimal) and value.is_finite():
        return format(value.normalize(), "f")
    return "" if value is None else str(value)


@register.filter
def rate_percent(value) -> str:
    """A VAT rate kept as a fraction, shown as a percentage (0.13 → 13)."""
    if isinstance(value, Decimal) and value.is_finite():
        return figure(value * 100)
    return ""
