"""Checks shared by the purchasing services: quantities, suppliers, items, dates and lines."""

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from common.limits import QUANTITY_MAX
from common.numbers import parse_decimal
from erp_core.documents.amounts import plain
from erp_core.masterdata.quantities import unit_decimals_check
from erp_core.models import Item, Partner, TaxCode, User, Warehouse

ZERO = Decimal("0")
HUNDRED = Decimal("100")
PRICE_PLACES = Decimal("0.000001")


def positive_quantity(value, *, field: str = "quantity", item: Item | None = None) -> Decimal:
    """A quantity above zero, at most ``QUANTITY_MAX`` (``common.limits``), six decimals, and
    to the precision of ``item``'s unit when given."""
    number = parse_decimal(value, field=field, max_value=QUANTITY_MAX, decimal_places=6)
    if number <= 0:
        raise ValidationError({field: _("The quantity must be greater than zero.")})
    if item is not None:
        unit_decimals_check(item, number, field=field)
    return number


def not_negative(
    value, *, field: str, maximum: Decimal | None = None, decimal_places: int | None = None
) -> Decimal:
    """An amount, price or rate of zero or more (at most ``maximum`` and ``decimal_places``
    when given)."""
    number = parse_decimal(value, field=field, max_value=maximum, decimal_places=decimal_places)
    if number < 0:
        raise ValidationError({field: _("Must not be negative.")})
    return number


def percent(value, *, field: str, below_hundred: bool = False) -> Decimal:
    """A percentage from 0 to 100 (below 100 when ``below_hundred``)."""
    number = not_negative(value, field=field)
    if number > HUNDRED or (below_hundred and number == HUNDRED):
        limit = _("below 100") if below_hundred else _("at most 100")
        raise ValidationError({field: _("Give a percentage %(limit)s.") % {"limit": limit}})
    return number


def require_instance(value, model: type[Model], *, field: str, fresh: bool = False):
    """``value`` as a saved ``model`` instance (an instance or a primary key).

    ``fresh`` re-reads a given instance, for checks on figures that change (quantities).
    """
    if isinstance(value, model):
        if not fresh:
            return value
        value = value.pk
    if value is None or value == "":
        raise ValidationError({field: _("This field is required.")})
    try:
        return model._default_manager.get(pk=value)
    except (model.DoesNotExist, ValueError, TypeError):
        name = model._meta.verbose_name
        message = _("%(model)s %(pk)s does not exist.") % {"model": name, "pk": value}
        raise ValidationError({field: message}) from None


def check_supplier(supplier: Partner) -> Partner:
    """An active partner we buy from."""
    if not supplier.is_supplier:
        raise ValidationError(
            {"supplier": _("%(partner)s is not a supplier.") % {"partner": supplier}}
        )
    if not supplier.is_active:
        raise ValidationError(
            {"supplier": _("The supplier %(partner)s is inactive.") % {"partner": supplier}}
        )
    return supplier


def check_item(item: Item, *, field: str = "item") -> Item:
    """An active item."""
    if not item.is_active:
        raise ValidationError({field: _("The item %(item)s is inactive.") % {"item": item.code}})
    return item


def check_warehouse(warehouse: Warehouse) -> Warehouse:
    """An active warehouse."""
    if not warehouse.is_active:
        raise ValidationError(
            {"warehouse": _("The warehouse %(code)s is inactive.") % {"code": warehouse.code}}
        )
    return warehouse


def check_date(value, *, field: str = "date") -> dt.date:
    """A date (a ``datetime`` is refused, so that no time zone is silently dropped)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError({field: _("Give a date.")})
    return value


def check_not_future(value: dt.date, *, field: str = "date") -> dt.date:
    """A date that is not after today (goods are received when they arrive)."""
    if value > timezone.localdate():
        raise ValidationError({field: _("Goods cannot be received on a future date.")})
    return value


def check_tax_code(value) -> TaxCode | None:
    """A tax code instance or pk, or None."""
    if value is None or value == "":
        return None
    return require_instance(value, TaxCode, field="tax_code")


def require_lines(lines: Iterable | None) -> list:
    """A non-empty list of line dicts."""
    if lines is None or isinstance(lines, str | bytes | dict):
        raise ValidationError({"lines": _("Give the lines as a list.")})
    lines = list(lines)
    if not lines:
        raise ValidationError({"lines": _("A document needs at least one line.")})
    for line in lines:
        if not isinstance(line, dict):
            raise ValidationError({"lines": _("Each line is an object of fields.")})
    return lines


def line_error(index: int, message: str) -> ValidationError:
    """A field error naming the line (1-based) it is about."""
    return ValidationError(
        {"lines": _("Line %(line)s: %(message)s") % {"line": index, "message": message}}
    )


def actor_or_none(actor) -> User | None:
    """The acting user, or None when the system acts (an event receiver)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor


def unit_price(value: Decimal) -> Decimal:
    """A unit price kept to six places, as the price fields store it."""
    return value.quantize(PRICE_PLACES, rounding=ROUND_HALF_UP)


def figure(value: Decimal) -> str:
    """A quantity or percentage as people write it: no trailing zeros, no exponent."""
    return plain(value)
