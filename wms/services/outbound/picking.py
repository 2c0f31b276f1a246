"""Pick lists (waves) in walking order, picked by scan into the shipping bin; short picks."""

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict, NotFound
from erp_core.models import Item, User
from wms.models import (
    Allocation,
    Bin,
    OutboundLine,
    OutboundOrder,
    PickList,
)
from wms.services.common import lock, not_negative_quantity, number_next, positive_quantity
from wms.services.outbound._common import (
    Reason,
    TaskStatus,
    _actor,
    _release_open_tasks,
    _require_open,
    _save_status,
    shipping_bin_for,
)
from wms.services.outbound.allocation import (
    _allocate_line,
    _fefo_key,
    _min_expiry,
    outbound_order_allocate,
)
from wms.services.stock import Source, quant_move, quant_unreserve

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
    _release_open_tasks(source=Source("wms.pick_list", str(pick_list.pk)), pick_list=pick_list)
    _close_list(pick_list, force=True)
    return pick_list


def _close_list(pick_list: PickList, *, force: bool = False) -> None:
    if pick_list.tasks.filter(status=TaskStatus.OPEN).exists():
        return
    if pick_list.tasks.filter(picked_quantity__gt=0).exists():
        _save_status(pick_list, status=PickList.Status.APPROVED, approved_at=timezone.now())
    elif force:
        _save_status(pick_list, status=PickList.Status.VOIDED, voided_at=timezone.now())


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
               lot=task.lot, serials=[task.serial.serial] if task.serial else [],
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
    positive_quantity(quantity, item=task.item)
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
                    serials=[task.serial.serial] if task.serial else [],
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
