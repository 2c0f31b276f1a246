"""Outbound orders from the ERP: made from confirmed sales orders (and when a warehouse is
taken over), cut back when the ERP cancels."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import NotFound
from common.numbers import parse_decimal
from erp_core.models import Item
from erp_core.sales.models import SalesOrder
from wms.models import (
    Allocation,
    Lot,
    OutboundLine,
    OutboundOrder,
    Package,
    PackageContent,
    SerialNumber,
    Shipment,
    WarehouseSetup,
)
from wms.services.common import ZERO, number_next, positive_quantity
from wms.services.outbound._common import (
    OrderStatus,
    _finish_if_done,
    _int,
    _open_tasks,
    _picked_unshipped,
    _unreserve_task,
    shipping_bin_for,
)
from wms.services.stock import Source, quant_unreserve

# --- outbound orders from the ERP ---------------------------------------------------------------


def warehouse_is_live(warehouse_id: int) -> bool:
    """Whether WMS runs the warehouse (its physical work is done here)."""
    return WarehouseSetup.objects.filter(warehouse_id=warehouse_id, live=True).exists()


@transaction.atomic
def outbound_order_from_sales_order(
    *,
    event_id: str,
    sales_order_id: int,
    lines: list[dict],
    promised_date: dt.date | None = None,
) -> OutboundOrder | None:
    """The outbound order of a confirmed sales order whose warehouse WMS runs (once per event).

    ``lines``: dicts of ``sales_order_line_id``, ``item_id`` and ``quantity``. A warehouse the
    ERP runs itself gets nothing (None): the ERP ships from it.
    """
    existing = OutboundOrder.objects.filter(source_event_id=event_id).first()
    if existing is not None:
        return existing
    order = SalesOrder.objects.select_related("warehouse").filter(pk=sales_order_id).first()
    if order is None:
        raise NotFound(_("Sales order %(id)s does not exist.") % {"id": sales_order_id})
    if not warehouse_is_live(order.warehouse_id):
        return None
    if order.status != SalesOrder.Status.APPROVED:
        return None  # unconfirmed or cancelled before the event arrived: nothing to ship
    if OutboundOrder.objects.filter(sales_order=order).exclude(status=OrderStatus.VOIDED).exists():
        # Already taken over with the warehouse (what is open on it): one order to ship it.
        return None
    items = Item.objects.in_bulk([row.get("item_id") for row in lines])
    so_lines = {line.pk: line for line in order.lines.all()}
    built = []
    for row in lines:
        item = items.get(row.get("item_id"))
        so_line = so_lines.get(_int(row.get("sales_order_line_id")) or 0)
        if item is None or so_line is None:
            raise NotFound(
                _("Line %(id)s of sales order %(order)s does not exist.")
                % {"id": row.get("sales_order_line_id"), "order": order.number}
            )
        if item.is_service:
            continue
        # What is still open on the order now (the event may arrive late), at most as asked.
        quantity = min(positive_quantity(row.get("quantity")), so_line.open_quantity)
        if quantity > 0:
            built.append((so_line, item, quantity))
    if not built:
        return None
    today = timezone.localdate()
    outbound = OutboundOrder.objects.create(
        number=number_next(kind=OutboundOrder.NUMBER_PREFIX, date=today),
        date=today,
        warehouse=order.warehouse,
        customer_id=order.customer_id,
        sales_order=order,
        promised_date=promised_date,
        source_event_id=event_id,
    )
    OutboundLine.objects.bulk_create(
        [
            OutboundLine(
                order=outbound, line_no=n, sales_order_line=so_line, item=item, quantity=quantity
            )
            for n, (so_line, item, quantity) in enumerate(built, start=1)
        ]
    )
    return outbound


@transaction.atomic
def outbound_orders_adopt(*, warehouse) -> list[OutboundOrder]:
    """When WMS takes a warehouse over: each confirmed sales order shipping from it with open
    stocked lines (and no open outbound order) becomes an outbound order of what is still open."""
    made = []
    busy = set(
        OutboundOrder.objects.filter(warehouse=warehouse, status=OrderStatus.DRAFT).values_list(
            "sales_order_id", flat=True
        )
    )
    orders = (
        SalesOrder.objects.filter(warehouse=warehouse, status=SalesOrder.Status.APPROVED)
        .exclude(pk__in=busy)
        .prefetch_related("lines__item")
        .order_by("pk")
    )
    today = timezone.localdate()
    for order in orders:
        lines = [
            line
            for line in order.lines.all()
            if not line.item.is_service and line.open_quantity > 0
        ]
        if not lines:
            continue
        outbound = OutboundOrder.objects.create(
            number=number_next(kind=OutboundOrder.NUMBER_PREFIX, date=today),
            date=today,
            warehouse=warehouse,
            customer_id=order.customer_id,
            sales_order=order,
            promised_date=order.promised_date,
        )
        OutboundLine.objects.bulk_create(
            [
                OutboundLine(
                    order=outbound,
                    line_no=n,
                    sales_order_line=line,
                    item=line.item,
                    quantity=line.open_quantity,
                )
                for n, line in enumerate(sorted(lines, key=lambda x: x.line_no), start=1)
            ]
        )
        made.append(outbound)
    return made


@transaction.atomic
def outbound_order_cancel_lines(*, sales_order_id: int, lines: list[dict]) -> list[OutboundOrder]:
    """Give up what the ERP no longer wants of a sales order (cancelled, closed, unconfirmed).

    ``lines``: dicts of ``sales_order_line_id`` and ``quantity`` (what is cancelled). What is
    reserved beyond what is still wanted is released, in the bins and in the shipping bin
    (where it waits to be put back); an order with nothing left to ship is finished.
    """
    cancelled: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in lines:
        cancelled[int(row["sales_order_line_id"])] += parse_decimal(
            row.get("quantity"), field="quantity"
        )
    orders = list(
        OutboundOrder.objects.select_for_update()
        .filter(sales_order_id=sales_order_id, status=OrderStatus.DRAFT)
        .order_by("pk")
    )
    for order in orders:
        for line in order.lines.select_related("item").order_by("pk"):
            quantity = cancelled.get(line.sales_order_line_id, ZERO)
            if quantity <= 0:
                continue
            still = line.quantity - line.shipped_quantity - line.cancelled_quantity
            taken = min(quantity, still)
            if taken <= 0:
                continue
            cancelled[line.sales_order_line_id] -= taken
            _release_line(order, line, keep=still - taken)
            OutboundLine.objects.filter(pk=line.pk).update(
                cancelled_quantity=F("cancelled_quantity") + taken
            )
        _finish_if_done(order)
    return orders


def _release_line(order: OutboundOrder, line: OutboundLine, *, keep: Decimal) -> None:
    """Release what is reserved for ``line`` beyond ``keep`` units still wanted."""
    line.refresh_from_db()
    held = line.allocated_quantity + line.picked_quantity - line.shipped_quantity
    excess = held - keep
    if excess <= 0:
        return
    # Open allocations first, latest expiry first: the earliest stay for what is still wanted.
    for task in reversed(_open_tasks(line=line)):
        if excess <= 0:
            break
        rest = task.quantity - task.picked_quantity
        give = min(rest, excess)
        _unreserve_task(task, give, source=Source("wms.outbound", str(order.pk)))
        excess -= give
    if excess <= 0:
        return
    # Then what was picked and not dispatched: freed in the shipping bin, out of its packages.
    unshipped = _picked_unshipped(line)
    PackageContent.objects.filter(line=line).exclude(
        package__shipment__status=Shipment.Status.APPROVED
    ).delete()
    Package.objects.filter(order=order, contents__isnull=True).delete()
    released = ZERO
    for (lot_id, serial_id), quantity in sorted(unshipped.items(), key=lambda kv: str(kv[0])):
        if quantity <= 0:
            continue
        lot = Lot.objects.filter(pk=lot_id).first() if lot_id else None
        serial = SerialNumber.objects.filter(pk=serial_id).first() if serial_id else None
        quant_unreserve(
            bin=shipping_bin_for(order),
            item=line.item,
            lot=lot,
            quantity=quantity,
            serials=[serial.serial] if serial else [],
            source=Source("wms.outbound", str(order.pk)),
        )
        released += quantity
    if released:
        Allocation.objects.filter(line=line, picked_quantity__gt=0).update(released_back=True)
        OutboundLine.objects.filter(pk=line.pk).update(
            picked_quantity=F("picked_quantity") - released
        )
