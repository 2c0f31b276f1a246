"""Packing picked goods with their weight, and dispatching shipments: the goods leave the
shipping bin and ``wms.shipment_dispatched`` tells the ERP what shipped, by lot."""

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from common.numbers import parse_decimal
from erp_core.models import User
from integration import topics
from integration.bus import publish
from wms.models import (
    Allocation,
    OutboundLine,
    OutboundOrder,
    Package,
    PackageContent,
    Shipment,
)
from wms.services.common import ZERO, lock, number_next, positive_quantity
from wms.services.outbound._common import (
    _WEIGHT_FIELD,
    Reason,
    _actor,
    _finish_if_done,
    _int,
    _lot_number,
    _require_open,
    _save_status,
    _serial_number,
    shipping_bin_for,
)
from wms.services.stock import Source, quant_remove

#: The heaviest package (kg): a crated machine on a flat rack; above it is a typing slip.
PACKAGE_WEIGHT_MAX = Decimal("100000")

# --- packing and dispatch -----------------------------------------------------------------------


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
    weight = parse_decimal(
        weight, field="weight", bounds=_WEIGHT_FIELD, max_value=PACKAGE_WEIGHT_MAX
    )
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
            line = lines.get(_int(row.get("line")) or 0)
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
                     serials=[row.serial.serial for row in rows if row.serial],
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
            if content.lot is not None:
                lot["lot_id"] = content.lot_id
                lot["lot_number"] = content.lot.lot_number
                if content.lot.expiry:
                    lot["expiry"] = content.lot.expiry.isoformat()
            if content.serial is not None:
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
