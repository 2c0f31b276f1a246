"""Outbound: outbound orders from confirmed sales orders, FEFO allocation, pick lists picked by
scan, packing and dispatch.

Locks are always taken in the same order, so that concurrent work never deadlocks: the pick
list, then the outbound order, then allocations (primary-key order), then quants (primary-key
order, by the stock primitives). Every quant change goes through ``wms.services.stock``: an
allocation reserves, a pick moves the reserved stock into the shipping bin (still reserved), a
dispatch removes it. None of them publishes ``wms.stock_moved``: the ERP books the shipment
once, from ``wms.shipment_dispatched``.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict, NotFound
from common.numbers import parse_decimal
from erp_core.models import Item, User
from erp_core.sales.models import SalesOrder
from integration import topics
from integration.bus import publish
from wms.models import (
    Allocation,
    Bin,
    CustomerShelfLife,
    Lot,
    OutboundLine,
    OutboundOrder,
    Package,
    PackageContent,
    PickList,
    Quant,
    QuantMove,
    SerialNumber,
    Shipment,
    WarehouseSetup,
)
from wms.services.common import ZERO, lock, not_negative_quantity, number_next, positive_quantity
from wms.services.stock import Source, quant_move, quant_remove, quant_reserve, quant_unreserve

Reason = QuantMove.Reason
OrderStatus = OutboundOrder.Status
TaskStatus = Allocation.Status
#: Bins stock is allocated from: put away and free to use.
PICKABLE_BIN_TYPES = (Bin.Type.STORAGE, Bin.Type.PICKING)
_WEIGHT_FIELD = Package._meta.get_field("weight")


def _actor(actor: User | None) -> User | None:
    return actor if isinstance(actor, User) and actor.pk else None


def _require_open(document, *, action: str) -> None:
    if document.status != document.Status.DRAFT:
        raise Conflict(
            _("%(document)s %(number)s is %(status)s: it cannot be %(action)s.")
            % {
                "document": document._meta.verbose_name,
                "number": document.number,
                "status": document.get_status_display().lower(),
                "action": action,
            },
            code="invalid_status",
        )


def _save_status(document, **fields) -> None:
    for name, value in fields.items():
        setattr(document, name, value)
    document.revision += 1
    document.save(update_fields=[*fields, "revision", "updated_at"])


# --- outbound orders from the ERP ---------------------------------------------------------------


def warehouse_operator(warehouse_id: int):
    """``erp_core.registry`` stock operator: "WMS" when WMS runs the warehouse, else None."""
    return _("WMS") if warehouse_is_live(warehouse_id) else None


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
    items = Item.objects.in_bulk([row.get("item_id") for row in lines])
    so_lines = {line.pk: line for line in order.lines.all()}
    built = []
    for row in lines:
        item = items.get(row.get("item_id"))
        so_line = so_lines.get(row.get("sales_order_line_id"))
        if item is None or so_line is None:
            raise NotFound(
                _("Line %(id)s of sales order %(order)s does not exist.")
                % {"id": row.get("sales_order_line_id"), "order": order.number}
            )
        if item.is_service:
            continue
        quantity = positive_quantity(row.get("quantity"))
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
def outbound_order_cancel_lines(*, sales_order_id: int, lines: list[dict]) -> list[OutboundOrder]:
    """Give up what the ERP no longer wants of a sales order (cancelled, closed, unconfirmed).

    ``lines``: dicts of ``sales_order_line_id`` and ``quantity`` (what is cancelled). What is
    reserved beyond what is still wanted is released, in the bins and in the shipping bin
    (where it waits to be put back); an order with nothing left to ship is finished.
    """
    cancelled = defaultdict(lambda: ZERO)
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
    tasks = list(
        Allocation.objects.select_for_update()
        .filter(line=line, status=TaskStatus.OPEN)
        .select_related("bin", "lot", "serial", "item")
        .order_by("-pk")
    )
    for task in tasks:
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
            bin=order.shipping_bin,
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


def _unreserve_task(task: Allocation, quantity: Decimal, *, source: Source) -> None:
    """Give ``quantity`` of an open allocation back to its bin."""
    quant_unreserve(
        bin=task.bin,
        item=task.item,
        lot=task.lot,
        quantity=quantity,
        serials=[task.serial.serial] if task.serial_id else [],
        source=source,
    )
    rest = task.quantity - task.picked_quantity
    if quantity < rest:
        task.quantity -= quantity
    elif task.picked_quantity > 0:
        task.quantity, task.status = task.picked_quantity, TaskStatus.PICKED
    else:
        # Nothing of it was picked: it keeps its size for the record, released.
        task.status = TaskStatus.RELEASED
    task.save(update_fields=["quantity", "status"])
    OutboundLine.objects.filter(pk=task.line_id).update(
        allocated_quantity=F("allocated_quantity") - quantity
    )


def _finish_if_done(order: OutboundOrder) -> None:
    """Close an order with nothing left to ship: dispatched when anything left, else cancelled."""
    lines = list(OutboundLine.objects.filter(order=order))
    if any(line.shipped_quantity + line.cancelled_quantity < line.quantity for line in lines):
        return
    shipped = any(line.shipped_quantity > 0 for line in lines)
    if shipped:
        _save_status(order, status=OrderStatus.APPROVED, approved_at=timezone.now())
    else:
        _save_status(order, status=OrderStatus.VOIDED, voided_at=timezone.now())


# --- allocation (FEFO) --------------------------------------------------------------------------


def _min_expiry(order: OutboundOrder, today: dt.date) -> dt.date:
    """The earliest expiry the customer accepts: today (never expired), later with a minimum
    remaining shelf life."""
    rule = CustomerShelfLife.objects.filter(partner_id=order.customer_id).first()
    return today + dt.timedelta(days=rule.min_remaining_days if rule else 0)


def allocatable_quants(*, item: Item, warehouse_id: int, min_expiry: dt.date):
    """Quants of ``item`` that may be allocated: free stock in a storage or picking bin that is
    not blocked, of no lot or of an available lot that does not expire before ``min_expiry``."""
    return Quant.objects.filter(
        item=item,
        bin__warehouse_id=warehouse_id,
        bin__is_blocked=False,
        bin__bin_type__in=PICKABLE_BIN_TYPES,
        on_hand__gt=F("reserved"),
    ).filter(
        Q(lot__isnull=True)
        | (
            Q(lot__status=Lot.Status.AVAILABLE)
            & (Q(lot__expiry__isnull=True) | Q(lot__expiry__gte=min_expiry))
        )
    )


def _fefo_key(quant: Quant) -> tuple:
    lot = quant.lot
    expiry = lot.expiry if lot and lot.expiry else dt.date.max
    made = lot.made_on if lot and lot.made_on else dt.date.max
    return (expiry, made, quant.bin.walking_order, quant.bin.code, quant.pk)


def _allocate_line(
    order: OutboundOrder,
    line: OutboundLine,
    need: Decimal,
    *,
    min_expiry: dt.date,
    exclude: Iterable[int] = (),
    pick_list: PickList | None = None,
    actor: User | None = None,
) -> list[Allocation]:
    """Reserve up to ``need`` of the line's item, earliest expiry first; what cannot be found
    stays back-ordered. The candidates are locked first, in primary-key order."""
    candidates = list(
        allocatable_quants(item=line.item, warehouse_id=order.warehouse_id, min_expiry=min_expiry)
        .exclude(pk__in=list(exclude))
        .select_for_update(of=("self",))
        .select_related("bin", "lot")
        .order_by("pk")
    )
    source = Source("wms.outbound", str(order.pk))
    made: list[Allocation] = []
    serial_item = line.item.tracking == Item.Tracking.SERIAL
    for quant in sorted(candidates, key=_fefo_key):
        if need <= 0:
            break
        free = quant.on_hand - quant.reserved
        take = min(free, need)
        if take <= 0:
            continue
        if serial_item:
            serials = list(
                SerialNumber.objects.filter(
                    item=line.item,
                    bin=quant.bin,
                    lot=quant.lot,
                    status=SerialNumber.Status.IN_STOCK,
                ).order_by("serial")[: int(take)]
            )
            for serial in serials:
                quant_reserve(bin=quant.bin, item=line.item, lot=quant.lot, quantity=Decimal(1),
                              serials=[serial.serial], source=source, actor=actor)  # fmt: skip
                made.append(
                    Allocation(
                        line=line,
                        quant=quant,
                        bin=quant.bin,
                        item=line.item,
                        lot=quant.lot,
                        serial=serial,
                        quantity=Decimal(1),
                        pick_list=pick_list,
                    )
                )
                need -= 1
        else:
            quant_reserve(bin=quant.bin, item=line.item, lot=quant.lot, quantity=take,
                          source=source, actor=actor)  # fmt: skip
            made.append(
                Allocation(
                    line=line,
                    quant=quant,
                    bin=quant.bin,
                    item=line.item,
                    lot=quant.lot,
                    quantity=take,
                    pick_list=pick_list,
                )
            )
            need -= take
    if made:
        Allocation.objects.bulk_create(made)
        OutboundLine.objects.filter(pk=line.pk).update(
            allocated_quantity=F("allocated_quantity") + sum(a.quantity for a in made)
        )
    return made


@transaction.atomic
def outbound_order_allocate(
    *, order: OutboundOrder, actor: User | None = None, pick_list: PickList | None = None
) -> list[Allocation]:
    """Allocate what the order still needs, first expiry first out; the rest is back-ordered.

    Never expired, quarantined or blocked lots, never blocked bins, never less remaining shelf
    life than the customer accepts.
    """
    order = lock(order)
    _require_open(order, action=_("allocated"))
    min_expiry = _min_expiry(order, timezone.localdate())
    made: list[Allocation] = []
    for line in order.lines.select_related("item").order_by("line_no"):
        need = line.backordered_quantity
        if need > 0:
            made += _allocate_line(order, line, need, min_expiry=min_expiry,
                                   pick_list=pick_list, actor=_actor(actor))  # fmt: skip
    return made


@transaction.atomic
def outbound_order_release(*, order: OutboundOrder, actor: User | None = None) -> OutboundOrder:
    """Give back everything allocated and not yet picked (it becomes back-ordered again)."""
    order = lock(order)
    _require_open(order, action=_("released"))
    tasks = (
        Allocation.objects.select_for_update(of=("self",))
        .filter(line__order=order, status=TaskStatus.OPEN)
        .select_related("bin", "lot", "serial", "item")
        .order_by("pk")
    )
    source = Source("wms.outbound", str(order.pk))
    for task in tasks:
        _unreserve_task(task, task.quantity - task.picked_quantity, source=source)
    return order


# --- pick lists ---------------------------------------------------------------------------------


def _walking_key(task: Allocation) -> tuple:
    return (task.bin.walking_order, task.bin.code, task.item.code, _fefo_key(task.quant), task.pk)


def _sequence(pick_list: PickList) -> None:
    """Number the list's tasks along the walking order of their bins."""
    tasks = list(
        Allocation.objects.filter(pick_list=pick_list).select_related(
            "bin", "item", "quant__bin", "quant__lot"
        )
    )
    changed = []
    for n, task in enumerate(sorted(tasks, key=_walking_key), start=1):
        if task.sequence != n:
            task.sequence = n
            changed.append(task)
    Allocation.objects.bulk_update(changed, ["sequence"])


def _lock_orders(orders: Sequence[OutboundOrder]) -> list[OutboundOrder]:
    ids = sorted({order.pk for order in orders})
    return list(OutboundOrder.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


@transaction.atomic
def pick_list_create(*, orders: Sequence[OutboundOrder], actor: User | None = None) -> PickList:
    """A wave: one pick list for open outbound orders of one warehouse. Their back-orders are
    allocated first; every allocation not on another open list joins it, in walking order."""
    if not orders:
        raise ValidationError({"orders": _("Choose at least one outbound order.")})
    locked = _lock_orders(orders)
    for order in locked:
        _require_open(order, action=_("picked"))
    warehouses = {order.warehouse_id for order in locked}
    if len(warehouses) != 1:
        raise ValidationError({"orders": _("A pick list takes orders of one warehouse only.")})
    today = timezone.localdate()
    pick_list = PickList.objects.create(
        number=number_next(kind=PickList.NUMBER_PREFIX, date=today),
        date=today,
        warehouse_id=warehouses.pop(),
        created_by=_actor(actor),
    )
    pick_list.orders.set(locked)
    _gather(pick_list, locked, actor=actor)
    if not pick_list.tasks.exists():
        raise ValidationError(
            {"orders": _("Nothing of these orders can be allocated: there is no stock to pick.")}
        )
    return pick_list


def _gather(pick_list: PickList, orders: list[OutboundOrder], *, actor: User | None) -> None:
    for order in orders:
        outbound_order_allocate(order=order, actor=actor, pick_list=pick_list)
    Allocation.objects.filter(
        line__order__in=orders, status=TaskStatus.OPEN, pick_list__isnull=True
    ).update(pick_list=pick_list)
    Allocation.objects.filter(
        line__order__in=orders, status=TaskStatus.OPEN, pick_list__status=PickList.Status.VOIDED
    ).update(pick_list=pick_list)
    _sequence(pick_list)


@transaction.atomic
def pick_list_allocate(*, pick_list: PickList, actor: User | None = None) -> PickList:
    """Allocate again what the list's orders still have back-ordered (stock may have come)."""
    pick_list = lock(pick_list)
    _require_open(pick_list, action=_("allocated"))
    orders = [o for o in _lock_orders(list(pick_list.orders.all())) if o.status == "draft"]
    _gather(pick_list, orders, actor=actor)
    return pick_list


@transaction.atomic
def pick_list_release(*, pick_list: PickList, actor: User | None = None) -> PickList:
    """Stop the list: what is not picked is given back to its bins; the list is finished
    (picked, if anything was) or cancelled."""
    pick_list = lock(pick_list)
    _require_open(pick_list, action=_("released"))
    tasks = (
        Allocation.objects.select_for_update(of=("self",))
        .filter(pick_list=pick_list, status=TaskStatus.OPEN)
        .select_related("bin", "lot", "serial", "item")
        .order_by("pk")
    )
    source = Source("wms.pick_list", str(pick_list.pk))
    for task in tasks:
        _unreserve_task(task, task.quantity - task.picked_quantity, source=source)
    _close_list(pick_list, force=True)
    return pick_list


def _close_list(pick_list: PickList, *, force: bool = False) -> None:
    if pick_list.tasks.filter(status=TaskStatus.OPEN).exists():
        return
    if pick_list.tasks.filter(picked_quantity__gt=0).exists():
        _save_status(pick_list, status=PickList.Status.APPROVED, approved_at=timezone.now())
    elif force:
        _save_status(pick_list, status=PickList.Status.VOIDED, voided_at=timezone.now())


def shipping_bin_for(order: OutboundOrder) -> Bin:
    """The bin the order's picks go to: its own, else the warehouse's first shipping bin."""
    if order.shipping_bin_id:
        return order.shipping_bin
    found = (
        Bin.objects.filter(
            warehouse_id=order.warehouse_id, bin_type=Bin.Type.SHIPPING, is_blocked=False
        )
        .order_by("walking_order", "code")
        .first()
    )
    if found is None:
        raise ValidationError(
            {"bin": _("Warehouse %(warehouse)s has no shipping bin to pick into: add one.")
             % {"warehouse": order.warehouse.code}}
        )  # fmt: skip
    OutboundOrder.objects.filter(pk=order.pk).update(shipping_bin=found)
    order.shipping_bin = found
    return found


def _scan_task(
    pick_list: PickList,
    *,
    bin_barcode: str,
    item_code: str,
    lot_number: str,
    serial: str,
    task_id: int | None,
) -> Allocation:
    """The task a scan names, or a clear refusal of what is wrong with the scan."""
    tasks = list(
        Allocation.objects.filter(pick_list=pick_list, status=TaskStatus.OPEN)
        .select_related("bin", "item", "lot", "serial")
        .order_by("sequence", "pk")
    )
    if task_id is not None:
        tasks = [task for task in tasks if task.pk == task_id]
        if not tasks:
            raise Conflict(
                _("That pick is done or not on pick list %(list)s.") % {"list": pick_list.number},
                code="task_done",
            )
    if not tasks:
        raise Conflict(
            _("Pick list %(list)s has nothing left to pick.") % {"list": pick_list.number},
            code="task_done",
        )
    bin_barcode = (bin_barcode or "").strip()
    scanned_bin = Bin.objects.filter(barcode=bin_barcode).first() if bin_barcode else None
    if scanned_bin is None:
        raise ValidationError({"bin": _("Unknown bin barcode: %(code)s.") % {"code": bin_barcode}})
    at_bin = [task for task in tasks if task.bin_id == scanned_bin.pk]
    if not at_bin:
        raise ValidationError(
            {"bin": _("Wrong bin: nothing is to be picked from %(bin)s; go to bin %(next)s.")
             % {"bin": scanned_bin.code, "next": tasks[0].bin.code}}
        )  # fmt: skip
    item_code = (item_code or "").strip()
    item = None
    if item_code:
        item = (
            Item.objects.filter(barcode=item_code).order_by("pk").first()
            or Item.objects.filter(code=item_code).first()
        )
    if item is None:
        raise ValidationError({"item": _("Unknown item barcode: %(code)s.") % {"code": item_code}})
    of_item = [task for task in at_bin if task.item_id == item.pk]
    if not of_item:
        raise ValidationError(
            {"item": _("Wrong item: %(item)s is not to be picked from bin %(bin)s; pick "
                       "%(expected)s.")
             % {"item": item.code, "bin": scanned_bin.code, "expected": at_bin[0].item.code}}
        )  # fmt: skip
    if item.tracking == Item.Tracking.LOT:
        lot_number = (lot_number or "").strip()
        of_lot = [task for task in of_item if task.lot and task.lot.lot_number == lot_number]
        if not of_lot:
            raise ValidationError(
                {"lot": _("Wrong lot: pick lot %(expected)s of %(item)s from bin %(bin)s, not "
                          "%(lot)s.")
                 % {"expected": of_item[0].lot.lot_number if of_item[0].lot else "-",
                    "item": item.code, "bin": scanned_bin.code, "lot": lot_number or "-"}}
            )  # fmt: skip
        of_item = of_lot
    if item.tracking == Item.Tracking.SERIAL:
        serial = (serial or "").strip()
        of_serial = [task for task in of_item if task.serial and task.serial.serial == serial]
        if not of_serial:
            raise ValidationError(
                {"serial": _("Wrong serial number: %(serial)s of %(item)s is not allocated in "
                             "bin %(bin)s.")
                 % {"serial": serial or "-", "item": item.code, "bin": scanned_bin.code}}
            )  # fmt: skip
        of_item = of_serial
    return of_item[0]


def _pick(pick_list: PickList, task: Allocation, quantity: Decimal, *, actor) -> Allocation:
    """Move ``quantity`` of a locked open task, reserved, into the order's shipping bin."""
    order = task.line.order
    ship_bin = shipping_bin_for(order)
    quant_move(from_bin=task.bin, to_bin=ship_bin, item=task.item, quantity=quantity,
               lot=task.lot, serials=[task.serial.serial] if task.serial_id else [],
               reason=Reason.PICK, from_reserved=True, reserve_at_target=True,
               source=Source("wms.pick_list", str(pick_list.pk)), actor=actor)  # fmt: skip
    task.picked_quantity += quantity
    if task.picked_quantity >= task.quantity:
        task.status = TaskStatus.PICKED
    task.picked_at = timezone.now()
    task.picked_by = actor
    task.save(update_fields=["picked_quantity", "status", "picked_at", "picked_by"])
    OutboundLine.objects.filter(pk=task.line_id).update(
        allocated_quantity=F("allocated_quantity") - quantity,
        picked_quantity=F("picked_quantity") + quantity,
    )
    return task


def _lock_task(task: Allocation) -> Allocation:
    return (
        Allocation.objects.select_for_update(of=("self",))
        .select_related("bin", "item", "lot", "serial", "line__order__warehouse", "quant")
        .get(pk=task.pk)
    )


@transaction.atomic
def pick_list_pick(
    *,
    pick_list: PickList,
    bin_barcode: str,
    item_code: str,
    quantity,
    lot_number: str = "",
    serial: str = "",
    task_id: int | None = None,
    actor: User | None = None,
) -> Allocation:
    """Pick by scan: the bin's barcode, the item's barcode (or code), its lot or serial number
    and the quantity. A wrong bin, item, lot or serial, an unknown barcode or more than allocated
    is refused with what is wrong, and nothing moves; a pick already made is a 409."""
    pick_list = lock(pick_list)
    _require_open(pick_list, action=_("picked"))
    quantity = positive_quantity(quantity)
    task = _scan_task(pick_list, bin_barcode=bin_barcode, item_code=item_code,
                      lot_number=lot_number, serial=serial, task_id=task_id)  # fmt: skip
    task = _lock_task(task)
    left = task.quantity - task.picked_quantity
    if task.status != TaskStatus.OPEN or left <= 0:
        raise Conflict(_("That pick was already made."), code="task_done")
    if quantity > left:
        raise ValidationError(
            {"quantity": _("More than allocated: only %(left)s of %(item)s is to be picked from "
                           "bin %(bin)s, not %(quantity)s.")
             % {"left": left.normalize(), "item": task.item.code, "bin": task.bin.code,
                "quantity": quantity.normalize()}}
        )  # fmt: skip
    task = _pick(pick_list, task, quantity, actor=_actor(actor))
    _close_list(pick_list)
    return task


@transaction.atomic
def pick_list_short(
    *, pick_list: PickList, task_id: int, found_quantity, actor: User | None = None
) -> list[Allocation]:
    """Report that a bin holds less than the task asks: what was found is picked, the rest is
    given back and allocated again from other quants; what none has is back-ordered. Returns
    the new allocations (added to the list)."""
    pick_list = lock(pick_list)
    _require_open(pick_list, action=_("picked"))
    found = not_negative_quantity(found_quantity, field="found_quantity")
    task = Allocation.objects.filter(pick_list=pick_list, pk=task_id).first()
    if task is None:
        raise NotFound(_("That pick is not on pick list %(list)s.") % {"list": pick_list.number})
    task = _lock_task(task)
    left = task.quantity - task.picked_quantity
    if task.status != TaskStatus.OPEN or left <= 0:
        raise Conflict(_("That pick was already made."), code="task_done")
    if found >= left:
        raise ValidationError(
            {"found_quantity": _("%(found)s is not short of the %(left)s to pick: pick it.")
             % {"found": found.normalize(), "left": left.normalize()}}
        )  # fmt: skip
    actor = _actor(actor)
    if found > 0:
        task = _pick(pick_list, task, found, actor=actor)
    rest = task.quantity - task.picked_quantity
    order = task.line.order
    quant_unreserve(bin=task.bin, item=task.item, lot=task.lot, quantity=rest,
                    serials=[task.serial.serial] if task.serial_id else [],
                    source=Source("wms.pick_list", str(pick_list.pk)), actor=actor)  # fmt: skip
    task.status = TaskStatus.SHORT
    task.save(update_fields=["status"])
    OutboundLine.objects.filter(pk=task.line_id).update(
        allocated_quantity=F("allocated_quantity") - rest
    )
    line = OutboundLine.objects.select_related("item").get(pk=task.line_id)
    made = _allocate_line(order, line, rest, min_expiry=_min_expiry(order, timezone.localdate()),
                          exclude=[task.quant_id], pick_list=pick_list, actor=actor)  # fmt: skip
    _sequence(pick_list)
    _close_list(pick_list)
    return made


# --- packing and dispatch -----------------------------------------------------------------------


def _picked_unshipped(line: OutboundLine) -> dict[tuple[int | None, int | None], Decimal]:
    """What of a line lies picked in the shipping bin and not yet dispatched, by lot/serial."""
    held: dict[tuple[int | None, int | None], Decimal] = defaultdict(lambda: ZERO)
    for task in Allocation.objects.filter(line=line, picked_quantity__gt=0, released_back=False):
        held[(task.lot_id, task.serial_id)] += task.picked_quantity
    for content in PackageContent.objects.filter(
        line=line, package__shipment__status=Shipment.Status.APPROVED
    ):
        held[(content.lot_id, content.serial_id)] -= content.quantity
    return {key: qty for key, qty in held.items() if qty > 0}


def _unpacked(order: OutboundOrder) -> dict[tuple[int, int | None, int | None], Decimal]:
    """What of each line was picked and is in no package yet, by (line, lot, serial)."""
    rest: dict[tuple[int, int | None, int | None], Decimal] = defaultdict(lambda: ZERO)
    for task in Allocation.objects.filter(
        line__order=order, picked_quantity__gt=0, released_back=False
    ):
        rest[(task.line_id, task.lot_id, task.serial_id)] += task.picked_quantity
    for content in PackageContent.objects.filter(package__order=order):
        rest[(content.line_id, content.lot_id, content.serial_id)] -= content.quantity
    return {key: qty for key, qty in rest.items() if qty > 0}


@transaction.atomic
def package_create(
    *,
    order: OutboundOrder,
    weight,
    contents: list[dict] | None = None,
    actor: User | None = None,
) -> Package:
    """Pack picked goods of an order into a package of ``weight`` kg.

    ``contents``: dicts of ``line`` (an outbound line id), ``quantity`` and, for a lot or serial
    item, ``lot_number`` / ``serial``; none packs everything picked and not yet packed.
    """
    order = lock(order)
    _require_open(order, action=_("packed"))
    weight = parse_decimal(weight, field="weight", bounds=_WEIGHT_FIELD)
    if weight <= 0:
        raise ValidationError({"weight": _("The weight must be greater than zero.")})
    unpacked = _unpacked(order)
    if not unpacked:
        raise ValidationError({"contents": _("Nothing picked is left to pack.")})
    chosen: dict[tuple[int, int | None, int | None], Decimal] = {}
    if contents is None:
        chosen = dict(unpacked)
    else:
        lines = {line.pk: line for line in order.lines.select_related("item")}
        for number, row in enumerate(contents, start=1):
            line = lines.get(_int(row.get("line")))
            if line is None:
                raise ValidationError(
                    {"contents": _("Content %(n)s: that line is not on order %(order)s.")
                     % {"n": number, "order": order.number}}
                )  # fmt: skip
            quantity = positive_quantity(row.get("quantity"), field="contents")
            lot_number = (row.get("lot_number") or "").strip()
            serial = (row.get("serial") or "").strip()
            keys = [
                key
                for key in unpacked
                if key[0] == line.pk
                and (not lot_number or _lot_number(key[1]) == lot_number)
                and (not serial or _serial_number(key[2]) == serial)
            ]
            for key in keys:
                if quantity <= 0:
                    break
                have = unpacked[key] - chosen.get(key, ZERO)
                take = min(have, quantity)
                if take > 0:
                    chosen[key] = chosen.get(key, ZERO) + take
                    quantity -= take
            if quantity > 0:
                raise ValidationError(
                    {"contents": _("Content %(n)s: more of %(item)s than was picked and not "
                                   "packed.") % {"n": number, "item": line.item.code}}
                )  # fmt: skip
    package = Package.objects.create(
        order=order,
        code=number_next(kind="PK", date=timezone.localdate()),
        weight=weight,
        created_by=_actor(actor),
    )
    items = dict(OutboundLine.objects.filter(order=order).values_list("pk", "item_id"))
    PackageContent.objects.bulk_create(
        [
            PackageContent(
                package=package,
                line_id=line_id,
                item_id=items[line_id],
                lot_id=lot_id,
                serial_id=serial_id,
                quantity=quantity,
            )
            for (line_id, lot_id, serial_id), quantity in sorted(chosen.items(), key=str)
            if quantity > 0
        ]
    )
    return package


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _lot_number(lot_id: int | None) -> str:
    return Lot.objects.filter(pk=lot_id).values_list("lot_number", flat=True).first() or ""


def _serial_number(serial_id: int | None) -> str:
    return SerialNumber.objects.filter(pk=serial_id).values_list("serial", flat=True).first() or ""


@transaction.atomic
def shipment_create(
    *,
    order: OutboundOrder,
    packages: Sequence[Package] | None = None,
    carrier: str = "",
    tracking_number: str = "",
    actor: User | None = None,
) -> Shipment:
    """Gather packages of an order (all it has not shipped, when none are named) to dispatch."""
    order = lock(order)
    _require_open(order, action=_("shipped"))
    free = Package.objects.select_for_update().filter(order=order, shipment__isnull=True)
    if packages is not None:
        ids = {package.pk for package in packages}
        free = free.filter(pk__in=ids)
        if free.count() != len(ids):
            raise ValidationError(
                {"packages": _("Choose packages of order %(order)s that are not shipped yet.")
                 % {"order": order.number}}
            )  # fmt: skip
    chosen = list(free.order_by("pk"))
    if not chosen:
        raise ValidationError(
            {"packages": _("There is no package to ship: pack what was picked first.")}
        )
    today = timezone.localdate()
    shipment = Shipment.objects.create(
        number=number_next(kind=Shipment.NUMBER_PREFIX, date=today),
        date=today,
        order=order,
        warehouse_id=order.warehouse_id,
        carrier=(carrier or "").strip()[:100],
        tracking_number=(tracking_number or "").strip()[:100],
        created_by=_actor(actor),
    )
    Package.objects.filter(pk__in=[p.pk for p in chosen]).update(shipment=shipment)
    return shipment


@transaction.atomic
def shipment_dispatch(*, shipment: Shipment, actor: User | None = None) -> Shipment:
    """The shipment leaves: its goods are taken out of the shipping bin and
    ``wms.shipment_dispatched`` tells the ERP what shipped per sales order line, by lot."""
    order = lock(shipment.order)
    shipment = lock(shipment)
    _require_open(shipment, action=_("dispatched"))
    _require_open(order, action=_("dispatched"))
    actor = _actor(actor)
    contents = list(
        PackageContent.objects.filter(package__shipment=shipment)
        .select_related("line__sales_order_line", "item", "lot", "serial")
        .order_by("line__line_no", "pk")
    )
    if not contents:
        raise ValidationError({"packages": _("The shipment has nothing in it.")})
    ship_bin = shipping_bin_for(order)
    source = Source("wms.shipment", str(shipment.pk))
    grouped: dict[tuple[int, int | None], list[PackageContent]] = defaultdict(list)
    for content in contents:
        grouped[(content.item_id, content.lot_id)].append(content)
    for (_item_id, _lot_id), rows in sorted(grouped.items(), key=lambda kv: str(kv[0])):
        first = rows[0]
        quant_remove(bin=ship_bin, item=first.item, lot=first.lot,
                     quantity=sum((row.quantity for row in rows), ZERO),
                     serials=[row.serial.serial for row in rows if row.serial_id],
                     reason=Reason.SHIPMENT, from_reserved=True, source=source,
                     actor=actor)  # fmt: skip
    per_line: dict[int, dict] = {}
    for content in contents:
        line = content.line
        entry = per_line.setdefault(
            line.pk,
            {"sales_order_line_id": line.sales_order_line_id, "quantity": ZERO, "lots": []},
        )
        entry["quantity"] += content.quantity
        if content.lot_id or content.serial_id:
            lot: dict = {"quantity": str(content.quantity)}
            if content.lot_id:
                lot["lot_id"] = content.lot_id
                lot["lot_number"] = content.lot.lot_number
                if content.lot.expiry:
                    lot["expiry"] = content.lot.expiry.isoformat()
            if content.serial_id:
                lot["serial"] = content.serial.serial
            entry["lots"].append(lot)
    for line_id, entry in per_line.items():
        OutboundLine.objects.filter(pk=line_id).update(
            shipped_quantity=F("shipped_quantity") + entry["quantity"]
        )
    payload_lines = []
    for entry in per_line.values():
        row = {"sales_order_line_id": entry["sales_order_line_id"],
               "quantity": str(entry["quantity"])}  # fmt: skip
        if entry["lots"]:
            row["lots"] = entry["lots"]
        payload_lines.append(row)
    event = publish(
        topic=topics.shipment_dispatched,
        payload={
            "shipment_id": shipment.pk,
            "sales_order_id": order.sales_order_id,
            "lines": payload_lines,
        },
    )
    _save_status(
        shipment,
        status=Shipment.Status.APPROVED,
        dispatched_at=timezone.now(),
        approved_at=timezone.now(),
        approved_by=actor,
        event_id=event.pk,
    )
    _finish_if_done(order)
    return shipment
