"""Promise dates for new order lines: from stock when it covers the line (available-to-promise),
else from the schedule's free capacity (capable-to-promise), else from the item's lead time.

CRM's quotes and the ERP's promise API read dates here; nothing is reserved or written.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from erp_core.masterdata.models import Item
from erp_core.planning.promise import available_to_promise


@dataclass(frozen=True)
class Promise:
    """The date a line's quantity can be promised, and what it rests on."""

    class Basis:
        STOCK = "stock"
        PLANNED_SUPPLY = "planned_supply"
        CAPACITY = "capacity"
        LEAD_TIME = "lead_time"

    item_id: int
    quantity: Decimal
    date: datetime.date
    basis: str


def promise_dates(
    *,
    lines: Sequence[tuple[int, Decimal]],
    requested_date: datetime.date | None = None,
    warehouse_id: int | None = None,
) -> list[Promise]:
    """One promise per ``(item_id, quantity)`` line, never before ``requested_date`` or today.

    Lines of an unknown item raise ``Item.DoesNotExist``; the caller validates its input first.
    """
    today = timezone.localdate()
    earliest = max(requested_date or today, today)
    items = Item.objects.in_bulk([item_id for item_id, _quantity in lines])
    promises = []
    for item_id, quantity in lines:
        item = items.get(item_id)
        if item is None:
            raise Item.DoesNotExist(f"Item {item_id} does not exist.")
        stock = available_to_promise(
            item_id=item_id, quantity=quantity, on_date=earliest, warehouse_id=warehouse_id
        )
        if stock.date is not None:
            promises.append(
                Promise(item_id, quantity, max(stock.date, earliest), Promise.Basis.STOCK)
            )
            continue
        made = item.make_or_buy == Item.MakeOrBuy.MAKE
        days = item.production_lead_time_days if made else item.purchase_lead_time_days
        date = max(today + datetime.timedelta(days=days), earliest)
        promises.append(Promise(item_id, quantity, date, Promise.Basis.LEAD_TIME))
    return promises
