"""What the outbound services share: status checks, the shipping bin, releasing an
allocation, what lies picked and not shipped."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from erp_core.models import User
from wms.models import (
    Allocation,
    Bin,
    Lot,
    OutboundLine,
    OutboundOrder,
    Package,
    PackageContent,
    QuantMove,
    SerialNumber,
    Shipment,
)
from wms.services.common import ZERO
from wms.services.stock import Source, quant_unreserve

Reason = QuantMove.Reason
OrderStatus = OutboundOrder.Status
TaskStatus = Allocation.Status
#: Bins stock is allocated from: put away and free to use.

PICKABLE_BIN_TYPES = (Bin.Type.STORAGE, Bin.Type.PICKING)
_WEIGHT_FIELD = Package._meta.get_field("weight")


def _actor(actor: object) -> User | None:
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


def _unreserve_task(task: Allocation, quantity: Decimal, *, source: Source) -> None:
    """Give ``quantity`` of an open allocation back to its bin."""
    quant_unreserve(
        bin=task.bin,
        item=task.item,
        lot=task.lot,
        quantity=quantity,
        serials=[task.serial.serial] if task.serial else [],
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


def _open_tasks(**filters) -> list[Allocation]:
    """The open allocations that match ``filters``, locked in primary-key order (the order every
    outbound service takes them in, so that two never deadlock)."""
    return list(
        Allocation.objects.select_for_update(of=("self",))
        .filter(status=TaskStatus.OPEN, **filters)
        .select_related("bin", "lot", "serial", "item")
        .order_by("pk")
    )


def _release_open_tasks(*, source: Source, **filters) -> None:
    """Give back to their bins what the open allocations that match ``filters`` hold unpicked."""
    for task in _open_tasks(**filters):
        _unreserve_task(task, task.quantity - task.picked_quantity, source=source)


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


def shipping_bin_for(order: OutboundOrder) -> Bin:
    """The bin the order's picks go to: its own, else the warehouse's first shipping bin."""
    if order.shipping_bin is not None:
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


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _lot_number(lot_id: int | None) -> str:
    if lot_id is None:
        return ""
    return Lot.objects.filter(pk=lot_id).values_list("lot_number", flat=True).first() or ""


def _serial_number(serial_id: int | None) -> str:
    if serial_id is None:
        return ""
    return SerialNumber.objects.filter(pk=serial_id).values_list("serial", flat=True).first() or ""
