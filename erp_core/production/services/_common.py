"""What the production services share: statuses, the journal, rounding and number checks."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from erp_core.models import Item
from erp_core.production.models import ProductionOrder

Status = ProductionOrder.Status
JOURNAL = "PRD"
ZERO = Decimal("0")
CENT = Decimal("0.01")


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _number(value, field: str, *, allow_zero: bool = False) -> Decimal:
    """``value`` as a finite Decimal above zero (or at least zero); floats are refused."""
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except ArithmeticError:
            value = None
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError({field: _("Give a number.")})
    if value < 0 or (value == 0 and not allow_zero):
        message = _("Must not be negative.") if allow_zero else _("Must be greater than zero.")
        raise ValidationError({field: message})
    return value


def _category_code(item: Item) -> str | None:
    return item.category.code if item.category_id else None
