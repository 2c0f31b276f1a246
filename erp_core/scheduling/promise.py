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
from erp_core.production.selectors import routing_default_for
from erp_core.scheduling import loader
from erp_core.scheduling.core.dispatch import insert_job


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
    capacity = _Capacity()
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
        if made:
            fitted = capacity.earliest(item=item, quantity=quantity, on_date=today)
            if fitted is not None:
                promises.append(
                    Promise(item_id, quantity, max(fitted, earliest), Promise.Basis.CAPACITY)
                )
                continue
        days = item.production_lead_time_days if made else item.purchase_lead_time_days
        date = max(today + datetime.timedelta(days=days), earliest)
        promises.append(Promise(item_id, quantity, date, Promise.Basis.LEAD_TIME))
    return promises


class _Capacity:
    """Capable-to-promise: when the schedule's free capacity can make a line (loaded once)."""

    def __init__(self) -> None:
        self._context: loader.Context | None = None
        self._plan = None

    def earliest(self, *, item: Item, quantity: Decimal, on_date: datetime.date):
        """The date the line's last operation would end if planned now, around the current
        schedule without moving it; ``None`` for an item without a routing."""
        routing = routing_default_for(item=item, on_date=on_date)
        if routing is None:
            return None
        steps = list(
            routing.operations.select_related("work_center")
            .prefetch_related("alternative_work_centers")
            .order_by("sequence")
        )
        if not steps:
            return None
        if self._context is None:
            self._context = loader.load()
            self._plan = loader.saved_plan(self._context)
        job, problem = loader.new_job(self._context, steps=steps, quantity=quantity)
        placed = insert_job(problem, self._plan, job)
        end = self._context.when(placed[-1].end)
        return timezone.localtime(end).date()
