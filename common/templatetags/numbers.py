"""One way to show numbers on every page and print-out: money, quantities, hours, percentages
and working days, grouped by thousands in the reader's language.

``{% load numbers %}`` then ``{{ line.net_amount|money }}``, ``{{ line.quantity|qty }}``,
``{{ line.unit_price|price }}``, ``{{ center.hours_per_shift|hours }}``,
``{{ line.discount_percent|percent }}``, ``{{ line.tax_rate|percent:"fraction" }}``,
``{{ center.working_days|weekdays }}``.
A missing value shows as an em dash, never as "None" or an empty cell; an amount beyond what
a money column holds (a row written before the ERP bounded its numbers) as "⚠ out of range".
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.formats import get_format, number_format
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext

register = template.Library()

MISSING = "—"
# Quantities are stored with six decimals; more than that is noise, not precision.
QTY_MAX_PLACES = 6
PERCENT_MAX_PLACES = 2
# The largest amount a money column (18 digits, 2 places) holds; beyond it a value is a bad row.
MONEY_MAX = Decimal("9999999999999999.99")


def out_of_range() -> str:
    """The marker of a stored amount beyond what a money column holds: a row written before
    the ERP bounded its numbers shows it instead of failing the page."""
    return "⚠ " + gettext("out of range")


def _decimal(value) -> Decimal | None:
    """The value as a finite Decimal, or None when it is missing or not a number."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _fixed(number: Decimal, places: int) -> str:
    """``number`` rounded half up to exactly ``places`` decimals, grouped in the active language.

    Rounded here because Django's formatter cuts the digits off; a zero never shows a sign.
    """
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)
    return number_format(rounded, decimal_pos=places, force_grouping=True)


def _trimmed(number: Decimal, max_places: int) -> str:
    """``number`` to at most ``max_places`` decimals with the trailing zeros dropped, grouped."""
    rounded = number.quantize(Decimal(1).scaleb(-max_places), rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        return number_format(Decimal(0), decimal_pos=0, force_grouping=True)
    normal = rounded.normalize()
    places = max(0, -normal.as_tuple().exponent)  # type: ignore[operator]
    return number_format(normal, decimal_pos=places, force_grouping=True)


def _places(arg, default: int) -> int:
    try:
        return max(0, min(int(arg), 12))
    except (TypeError, ValueError):
        return default


@register.filter
def money(value, places=2) -> str:
    """An amount with thousands separators and two decimals: 377874.42 → "377,874.42"."""
    number = _decimal(value)
    if number is None:
        return MISSING
    if abs(number) > MONEY_MAX:
        return out_of_range()
    return _fixed(number, _places(places, 2))


@register.filter
def qty(value, places=None) -> str:
    """A quantity without trailing zeros: 240.000000 → "240", 1234.5 → "1,234.5".

    ``places`` (e.g. a currency's or unit's decimals) fixes the number of decimals instead.
    """
    number = _decimal(value)
    if number is None:
        return MISSING
    if places is not None and places != "":
        return _fixed(number, _places(places, QTY_MAX_PLACES))
    return _trimmed(number, QTY_MAX_PLACES)


@register.filter
def price(value) -> str:
    """A unit price or cost: at least two decimals, up to six when they count.

    12.500000 → "12.50", 0.012500 → "0.0125", 4760 → "4,760.00".
    """
    number = _decimal(value)
    if number is None:
        return MISSING
    rounded = number.quantize(Decimal(1).scaleb(-QTY_MAX_PLACES), rounding=ROUND_HALF_UP)
    places = max(2, -rounded.normalize().as_tuple().exponent)  # type: ignore[operator]
    return _fixed(number, min(places, QTY_MAX_PLACES))


@register.filter
def number(value):
    """Any value that may be a number (a changed field in the history): a Decimal or float
    without trailing zeros and grouped; anything else as it is."""
    if isinstance(value, (Decimal, float)) and not isinstance(value, bool):
        decimal = _decimal(value)
        if decimal is not None:
            return _trimmed(decimal, QTY_MAX_PLACES)
    return value


@register.filter
def hours(value) -> str:
    """Hours to two decimals: 3.583335 → "3.58"."""
    number = _decimal(value)
    if number is None:
        return MISSING
    return _fixed(number, 2)


@register.filter
def percent(value, kind="") -> str:
    """A percentage without the sign (the column or the text says %), at most two decimals.

    ``percent:"fraction"`` takes a rate kept as a fraction: 0.13 → "13".
    """
    number = _decimal(value)
    if number is None:
        return MISSING
    if kind == "fraction":
        number *= 100
    return _trimmed(number, PERCENT_MAX_PLACES)


def _day_names() -> list[str]:
    return [
        pgettext("weekday", "Mon"),
        pgettext("weekday", "Tue"),
        pgettext("weekday", "Wed"),
        pgettext("weekday", "Thu"),
        pgettext("weekday", "Fri"),
        pgettext("weekday", "Sat"),
        pgettext("weekday", "Sun"),
    ]


@register.filter
def weekdays(value) -> str:
    """A working-days mask (Monday first, 1 = working) by name: "1111100" → "Mon–Fri".

    A run of three or more days is written as a range, other days are listed:
    "1010100" → "Mon, Wed, Fri"; "1111111" → "Every day"; "0000000" → "No working days".
    """
    mask = str(value or "")
    if len(mask) != 7 or set(mask) - {"0", "1"}:
        return mask or MISSING
    if mask == "1111111":
        return gettext("Every day")
    if mask == "0000000":
        return gettext("No working days")
    names = _day_names()
    parts: list[str] = []
    day = 0
    while day < 7:
        if mask[day] != "1":
            day += 1
            continue
        end = day
        while end + 1 < 7 and mask[end + 1] == "1":
            end += 1
        if end - day >= 2:
            parts.append(gettext("%(first)s–%(last)s") % {"first": names[day], "last": names[end]})
        else:
            parts.extend(names[day : end + 1])
        day = end + 1
    return gettext(", ").join(parts)


@register.simple_tag
def number_format_attrs() -> str:
    """The active language's separators as data attributes, for a script that shows amounts the
    way ``money`` does (``static/js/lines.js``)."""
    return format_html(
        'data-decimal-separator="{}" data-thousand-separator="{}" data-number-grouping="{}"',
        get_format("DECIMAL_SEPARATOR"),
        get_format("THOUSAND_SEPARATOR"),
        get_format("NUMBER_GROUPING"),
    )
