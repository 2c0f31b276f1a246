"""Price list services: create and change a price list with its rows (quantity breaks)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.limits import PRICE_MAX, QUANTITY_MAX
from common.numbers import parse_decimal
from common.templatetags.numbers import qty
from erp_core.models import Currency
from erp_core.sales.models import PriceList, PriceListItem
from erp_core.sales.services._common import ZERO

PRICE_LIST_FIELDS = (
    "code",
    "name",
    "currency",
    "valid_from",
    "valid_to",
    "is_default",
    "is_active",
)


def _check_dates(valid_from: dt.date | None, valid_to: dt.date | None) -> None:
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The validity ends before it starts.")})


def _rows(price_list: PriceList, items: list[dict]) -> list[PriceListItem]:
    """Checked, unsaved rows: an item once per minimum quantity, prices and minimums ≥ 0."""
    rows: list[PriceListItem] = []
    seen: set[tuple[int, Decimal]] = set()
    errors: list[str] = []
    for number, row in enumerate(items, start=1):
        item = row["item"]
        minimum = parse_decimal(
            row.get("min_quantity", ZERO), field="items", max_value=QUANTITY_MAX, decimal_places=6
        )
        price = parse_decimal(
            row["unit_price"],
            field="items",
            max_value=PRICE_MAX,
            min_value=-PRICE_MAX,
            decimal_places=6,
        )
        if minimum < 0:
            errors.append(_("Row %(n)s: the minimum quantity cannot be negative.") % {"n": number})
        if price < 0:
            errors.append(_("Row %(n)s: the price cannot be negative.") % {"n": number})
        key = (item.pk, minimum.normalize())
        if key in seen:
            errors.append(
                _("Row %(n)s: %(item)s from %(min)s is listed twice.")
                % {"n": number, "item": item.code, "min": qty(minimum)}
            )
        seen.add(key)
        rows.append(
            PriceListItem(price_list=price_list, item=item, min_quantity=minimum, unit_price=price)
        )
    if errors:
        raise ValidationError({"items": errors})
    return rows


def _take_default(price_list: PriceList) -> None:
    """Make ``price_list`` the only default (one default at a time, a database constraint)."""
    PriceList.objects.filter(is_default=True).exclude(pk=price_list.pk).update(is_default=False)


@transaction.atomic
def price_list_create(
    *,
    code: str,
    name: str,
    currency: Currency | None = None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    is_default: bool = False,
    is_active: bool = True,
    items: list[dict] | None = None,
    actor=None,
) -> PriceList:
    """Create a price list with its rows; a new default list takes over from the old one."""
    code = (code or "").strip()
    name = (name or "").strip()
    if not code:
        raise ValidationError({"code": _("Give the price list a code.")})
    if not name:
        raise ValidationError({"name": _("Give the price list a name.")})
    if PriceList.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A price list with this code exists already.")})
    _check_dates(valid_from, valid_to)
    price_list = PriceList(
        code=code,
        name=name,
        currency=currency,
        valid_from=valid_from,
        valid_to=valid_to,
        is_default=is_default,
        is_active=is_active,
    )
    rows = _rows(price_list, items or [])
    if is_default:
        _take_default(price_list)
    price_list.save()
    PriceListItem.objects.bulk_create(rows)
    return price_list


@transaction.atomic
def price_list_update(
    *, price_list: PriceList, items: list[dict] | None = None, actor=None, **fields
) -> PriceList:
    """Change a price list's fields; ``items`` (when given) replaces all its rows.

    Prices already on orders do not change: an order line keeps the price it was saved with.
    """
    unknown = set(fields) - set(PRICE_LIST_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    price_list = PriceList.objects.select_for_update().get(pk=price_list.pk)
    for name in ("code", "name"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
            if not fields[name]:
                raise ValidationError({name: _("This field cannot be empty.")})
    if (
        "code" in fields
        and PriceList.objects.filter(code=fields["code"]).exclude(pk=price_list.pk).exists()
    ):
        raise ValidationError({"code": _("A price list with this code exists already.")})
    for name, value in fields.items():
        setattr(price_list, name, value)
    _check_dates(price_list.valid_from, price_list.valid_to)
    if price_list.is_default:
        _take_default(price_list)
    price_list.save()
    if items is not None:
        rows = _rows(price_list, items)
        price_list.items.all().delete()
        PriceListItem.objects.bulk_create(rows)
    return price_list
