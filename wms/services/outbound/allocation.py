"""Allocation, first expiry first out: reservations on quants for what the lines still need."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from erp_core.models import Item, User
from wms.models import (
    Allocation,
    CustomerShelfLife,
    Lot,
    OutboundLine,
    OutboundOrder,
    PickList,
    Quant,
    SerialNumber,
)
from wms.services.common import lock
from wms.services.outbound._common import (
    PICKABLE_BIN_TYPES,
    _actor,
    _release_open_tasks,
    _require_open,
)
from wms.services.stock import Source, quant_reserve

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
    _release_open_tasks(source=Source("wms.outbound", str(order.pk)), line__order=order)
    return order
