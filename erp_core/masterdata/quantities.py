"""Quantities of an item, in its unit's precision: the one check every module calls where a
quantity of an item is entered.

A unit says how many decimal places its quantities take (``UnitOfMeasure.decimals``: 0 for
pieces, 3 for kilograms…). ``quantity_for`` parses the value with the one decimal parser
(``common.numbers.parse_decimal``) within the caller's bounds, then refuses more decimals than
the item's unit allows, so a sales line, a receipt, a production report, a scan or a move all
answer "2.5 PCS" with the same translated message (400), whichever way it came in.
"""

from decimal import ROUND_CEILING, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from common.numbers import DecimalBounds, parse_decimal
from erp_core.masterdata.models import Item, UnitOfMeasure

__all__ = [
    "CATEGORY_DECIMALS",
    "decimals_of",
    "quantity_for",
    "quantity_rounded_up",
    "unit_decimals_check",
]

#: The decimals a new unit takes when none are given, by its category.
CATEGORY_DECIMALS: dict[str, int] = {
    UnitOfMeasure.Category.COUNT: 0,
    UnitOfMeasure.Category.MASS: 3,
    UnitOfMeasure.Category.LENGTH: 2,
    UnitOfMeasure.Category.AREA: 2,
    UnitOfMeasure.Category.VOLUME: 3,
    UnitOfMeasure.Category.TIME: 2,
}

WHOLE = _("%(item)s is counted in %(unit)s, whole units only: give a whole quantity.")
AT_MOST = ngettext_lazy(
    "%(item)s is counted in %(unit)s, to at most %(places)s decimal place.",
    "%(item)s is counted in %(unit)s, to at most %(places)s decimal places.",
    "places",
)


def decimals_of(number: Decimal) -> int:
    """The decimal places ``number`` needs (trailing zeros do not count: 2.500 needs one)."""
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def unit_decimals_check(item: Item, quantity: Decimal, *, field: str = "quantity") -> Decimal:
    """``quantity`` when it has no more decimals than ``item``'s unit allows."""
    places = decimals_of(quantity)
    if places == 0:
        return quantity  # every unit takes a whole number: the unit is not even read
    unit = item.unit
    if places > unit.decimals:
        values = {"item": item.code, "unit": unit.code, "places": unit.decimals}
        message = WHOLE % values if unit.decimals == 0 else AT_MOST % values
        raise ValidationError({field: ValidationError(message, code="unit_decimals")})
    return quantity


def quantity_for(
    item: Item,
    value,
    *,
    field: str = "quantity",
    bounds: DecimalBounds | models.Field | None = None,
    **limits,
) -> Decimal:
    """``value`` parsed as a quantity of ``item``: within ``bounds``/``limits`` (as
    ``parse_decimal`` takes them) and to the precision of the item's unit."""
    number = parse_decimal(value, field=field, bounds=bounds, **limits)
    return unit_decimals_check(item, number, field=field)


def quantity_rounded_up(item: Item, quantity: Decimal) -> Decimal:
    """``quantity`` rounded up to the precision of ``item``'s unit: what a computed need
    (MRP's 61.2 bolts, scrap included) becomes on a document, 62 PCS."""
    if decimals_of(quantity) == 0:
        return quantity
    step = Decimal(1).scaleb(-item.unit.decimals)
    return quantity.quantize(step, rounding=ROUND_CEILING)
