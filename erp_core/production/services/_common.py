"""What the production services share: statuses, the journal and the sign of numbers."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.limits import QUANTITY_MAX
from common.numbers import parse_decimal
from erp_core.models import Item
from erp_core.production.models import ProductionOrder

Status = ProductionOrder.Status
JOURNAL = "PRD"
ZERO = Decimal("0")


def _number(
    value, field: str, *, allow_zero: bool = False, maximum: Decimal = QUANTITY_MAX
) -> Decimal:
    """``value`` (see ``parse_decimal``) as a Decimal above zero (or at least zero), at most
    ``maximum`` (a quantity's bound unless told: ``common.limits``)."""
    value = parse_decimal(value, field=field, max_value=maximum)
    if value < 0 or (value == 0 and not allow_zero):
        message = _("Must not be negative.") if allow_zero else _("Must be greater than zero.")
        raise ValidationError({field: message})
    return value


def _category_code(item: Item) -> str | None:
    return item.category.code if item.category_id else None
