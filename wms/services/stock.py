"""Stock primitives: add, remove, reserve, release and move quants — every quant change.

Each primitive runs in one transaction, locks the quants it touches in primary-key order (then
the serial numbers, in primary-key order) so that concurrent work never deadlocks, refuses
anything that would break the quants' invariants with a message the user reads (nothing is
written then), writes one ``QuantMove`` journal row, and publishes ``wms.stock_moved`` when the
ERP ledger must learn of the change: a move between two warehouses, or a change the caller
names a ledger reason for (an adjustment outside a count). Receipts, shipments and counts are
booked in the ERP from their own events, so their quant changes publish nothing here.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from erp_core.models import Item, User
from integration import topics
from integration.bus import publish
from wms.models import Bin, Lot, Quant, QuantMove, SerialNumber
from wms.services.common import ZERO, figure, positive_quantity

Reason = QuantMove.Reason
Kind = QuantMove.Kind
SerialStatus = SerialNumber.Status

# Reasons that may touch a blocked bin: correcting what is in it.
_BLOCKED_OK = (Reason.COUNT, Reason.ADJUSTMENT, Reason.ADOPTION)
# What a serial number becomes when it leaves stock for good.
_SERIAL_GONE: dict[str, str] = {
    Reason.SHIPMENT: SerialStatus.SHIPPED,
    Reason.CONSUMPTION: SerialStatus.CONSUMED,
}


@dataclass(frozen=True)
class Source:
    """The document or task a quant change comes from, kept on its journal row."""

    type: str = ""
    id: str = ""


class StockConflict(Conflict):
    """Not enough stock (or a serial number not free) for the change: a 409."""

    code = "insufficient_stock"


# --- checks ------------------------------------------------------------------------------------


def _check_item(item: Item, lot: Lot | None) -> None:
    if not isinstance(item, Item) or item.pk is None:
        raise ValidationError({"item": _("Give an item.")})
    if item.item_type == Item.ItemType.SERVICE:
        raise ValidationError({"item": _("A service item has no stock.")})
    if lot is not None:
        if lot.item_id != item.pk:
            raise ValidationError(
                {
                    "lot": _("Lot %(lot)s is not a lot of %(item)s.")
                    % {"lot": lot, "item": item.code}
                }
            )
    elif item.tracking == Item.Tracking.LOT:
        raise ValidationError(
            {"lot": _("%(item)s is tracked by lot: give the lot.") % {"item": item.code}}
        )


def _check_bin(bin: Bin, reason: str, *, field: str) -> None:
    if not isinstance(bin, Bin) or bin.pk is None:
        raise ValidationError({field: _("Give a bin.")})
    if bin.is_blocked and reason not in _BLOCKED_OK:
        raise ValidationError({field: _("Bin %(bin)s is blocked.") % {"bin": bin.code}})


def _check_reason(reason: str) -> None:
    if reason not in Reason.values:
        raise ValidationError({"reason": _("%(reason)s is not a reason.") % {"reason": reason}})


def _check_serials(item: Item, quantity: Decimal, serials: Sequence[str]) -> list[str]:
    """The serial numbers given, one per unit, for a serial-tracked item (none otherwise)."""
    clean = [str(s).strip() for s in serials or ()]
    if item.tracking != Item.Tracking.SERIAL:
        if clean:
            raise ValidationError(
                {"serials": _("%(item)s is not tracked by serial number.") % {"item": item.code}}
            )
        return []
    if any(not s for s in clean) or len(set(clean)) != len(clean):
        raise ValidationError({"serials": _("Give each serial number once.")})
    if Decimal(len(clean)) != quantity:
        raise ValidationError(
            {
                "serials": _(
                    "%(item)s is tracked by serial number: give one serial number per unit "
                    "(%(quantity)s units, %(count)s serial numbers)."
                )
                % {"item": item.code, "quantity": figure(quantity), "count": len(clean)}
            }
        )
    return clean


# --- locking -----------------------------------------------------------------------------------


def _key_filter(keys: Sequence[tuple[int, int, int | None]]) -> Q:
    wanted = Q()
    for bin_id, item_id, lot_id in keys:
        wanted |= Q(bin_id=bin_id, item_id=item_id, lot_id=lot_id)
    return wanted


def _lock_quants(
    keys: Sequence[tuple[int, int, int | None]], *, create: Sequence = ()
) -> dict[tuple[int, int, int | None], Quant]:
    """The quants of these (bin, item, lot) keys, locked together in primary-key order.

    Those of ``create`` that are missing are created first (empty), and the lock is taken again.
    """

    def lock() -> dict[tuple[int, int, int | None], Quant]:
        rows = Quant.objects.select_for_update().filter(_key_filter(keys)).order_by("pk")
        return {(q.bin_id, q.item_id, q.lot_id): q for q in rows}

    found = lock()
    missing = sorted(set(create) - found.keys(), key=lambda k: (k[0], k[1], k[2] or 0))
    if missing:
        Quant.objects.bulk_create(
            [Quant(bin_id=b, item_id=i, lot_id=lot) for b, i, lot in missing],
            ignore_conflicts=True,
        )
        found = lock()
    return found


def _lock_serials(item: Item, serials: list[str]) -> dict[str, SerialNumber]:
    rows = (
        SerialNumber.objects.select_for_update()
        .filter(item=item, serial__in=serials)
        .order_by("pk")
    )
    return {row.serial: row for row in rows}


def _short(quant: Quant | None, *, bin: Bin, item: Item, lot: Lot | None, quantity, have):
    return StockConflict(
        _("Only %(have)s of %(item)s%(lot)s free in bin %(bin)s: %(quantity)s cannot be taken.")
        % {
            "have": figure(Decimal(have)),
            "item": item.code,
            "lot": _(" (lot %(lot)s)") % {"lot": lot.lot_number} if lot else "",
            "bin": bin.code,
            "quantity": figure(quantity),
        }
    )


# --- journal and events ------------------------------------------------------------------------


def _journal(
    *,
    kind: str,
    reason: str,
    item: Item,
    lot: Lot | None,
    quantity: Decimal,
    from_bin: Bin | None = None,
    to_bin: Bin | None = None,
    serials: Sequence[SerialNumber] = (),
    source: Source,
    actor: User | None,
    ledger_reason: str = "",
) -> list[QuantMove]:
    """Write the journal row(s) of a change (one per serial number for a serial item) and
    publish ``wms.stock_moved`` when the ERP ledger must learn of it."""
    now = timezone.now()
    base = {
        "kind": kind,
        "reason": reason,
        "item": item,
        "lot": lot,
        "from_bin": from_bin,
        "to_bin": to_bin,
        "source_type": source.type,
        "source_id": source.id,
        "actor": actor if isinstance(actor, User) and actor.pk else None,
        "moved_at": now,
    }
    if serials:
        rows = QuantMove.objects.bulk_create(
            [QuantMove(**base, serial=s, quantity=Decimal(1)) for s in serials]
        )
        first = rows[0]
    else:
        first = QuantMove.objects.create(**base, quantity=quantity)
        rows = [first]
    from_wh = from_bin.warehouse_id if from_bin is not None else None
    to_wh = to_bin.warehouse_id if to_bin is not None else None
    crosses = kind == Kind.MOVE and from_wh != to_wh
    if crosses or (ledger_reason and kind in (Kind.ADD, Kind.REMOVE)):
        payload: dict = {
            "move_id": first.pk,
            "item_id": item.pk,
            "quantity": str(quantity),
            "reason": ledger_reason or Reason.TRANSFER,
            "moved_at": now.isoformat(),
        }
        if from_wh is not None:
            payload["from_warehouse_id"] = from_wh
        if to_wh is not None:
            payload["to_warehouse_id"] = to_wh
        event = publish(topic=topics.stock_moved, payload=payload)
        QuantMove.objects.filter(pk__in=[row.pk for row in rows]).update(event_id=event.pk)
        for row in rows:
            row.event_id = event.pk
    return rows


def _save(quant: Quant) -> None:
    quant.save(update_fields=["on_hand", "reserved", "updated_at"])


# --- the primitives ----------------------------------------------------------------------------


@transaction.atomic
def quant_add(
    *,
    bin: Bin,
    item: Item,
    quantity,
    lot: Lot | None = None,
    serials: Sequence[str] = (),
    reason: str,
    source: Source = Source(),
    actor: User | None = None,
    ledger_reason: str = "",
) -> Quant:
    """Put ``quantity`` of an item (of a lot, with its serial numbers) into a bin.

    A serial number already in stock anywhere is refused: a unit is never in two places.
    """
    _check_reason(reason)
    quantity = positive_quantity(quantity)
    _check_item(item, lot)
    _check_bin(bin, reason, field="bin")
    clean = _check_serials(item, quantity, serials)
    key = (bin.pk, item.pk, lot.pk if lot else None)
    quant = _lock_quants([key], create=[key])[key]
    placed: list[SerialNumber] = []
    if clean:
        known = _lock_serials(item, clean)
        for number in clean:
            serial = known.get(number)
            if serial is not None and serial.status in (
                SerialStatus.IN_STOCK,
                SerialStatus.RESERVED,
            ):
                raise StockConflict(
                    _("Serial number %(serial)s of %(item)s is already in bin %(bin)s.")
                    % {"serial": number, "item": item.code, "bin": serial.bin}
                )
            if serial is None:
                serial = SerialNumber(item=item, serial=number)
            serial.bin, serial.lot, serial.status = bin, lot, SerialStatus.IN_STOCK
            serial.save()
            placed.append(serial)
    quant.on_hand += quantity
    _save(quant)
    _journal(kind=Kind.ADD, reason=reason, item=item, lot=lot, quantity=quantity, to_bin=bin,
             serials=placed, source=source, actor=actor, ledger_reason=ledger_reason)  # fmt: skip
    return quant


def _take_serials(item: Item, bin: Bin, clean: list[str], *, reserved: bool) -> list[SerialNumber]:
    """The serial numbers, locked, each checked to lie in ``bin`` (reserved or free)."""
    known = _lock_serials(item, clean)
    wanted = SerialStatus.RESERVED if reserved else SerialStatus.IN_STOCK
    result = []
    for number in clean:
        serial = known.get(number)
        if serial is None or serial.bin_id != bin.pk or serial.status != wanted:
            if serial is None:
                message = _("Serial number %(serial)s of %(item)s is unknown.")
            elif serial.bin_id != bin.pk:
                message = _("Serial number %(serial)s of %(item)s is not in bin %(bin)s.")
            elif serial.status == SerialStatus.RESERVED:
                message = _("Serial number %(serial)s of %(item)s is reserved.")
            else:
                message = _("Serial number %(serial)s of %(item)s is not reserved.")
            raise StockConflict(message % {"serial": number, "item": item.code, "bin": bin.code})
        result.append(serial)
    return result


@transaction.atomic
def quant_remove(
    *,
    bin: Bin,
    item: Item,
    quantity,
    lot: Lot | None = None,
    serials: Sequence[str] = (),
    reason: str,
    from_reserved: bool = False,
    source: Source = Source(),
    actor: User | None = None,
    ledger_reason: str = "",
) -> Quant:
    """Take ``quantity`` out of a bin: from what is free, or (``from_reserved``) from what was
    reserved for the caller (a pick). Never below zero, never below what others reserved."""
    _check_reason(reason)
    quantity = positive_quantity(quantity)
    _check_item(item, lot)
    _check_bin(bin, reason, field="bin")
    clean = _check_serials(item, quantity, serials)
    key = (bin.pk, item.pk, lot.pk if lot else None)
    quant = _lock_quants([key]).get(key)
    taken = _take_serials(item, bin, clean, reserved=from_reserved) if clean else []
    have = (quant.reserved if from_reserved else quant.available) if quant else ZERO
    if quant is None or have < quantity:
        raise _short(quant, bin=bin, item=item, lot=lot, quantity=quantity, have=have)
    for serial in taken:
        serial.bin, serial.status = None, _SERIAL_GONE.get(reason, SerialStatus.REMOVED)
        serial.save(update_fields=["bin", "status", "updated_at"])
    quant.on_hand -= quantity
    if from_reserved:
        quant.reserved -= quantity
    _save(quant)
    _journal(kind=Kind.REMOVE, reason=reason, item=item, lot=lot, quantity=quantity,
             from_bin=bin, serials=taken, source=source, actor=actor,
             ledger_reason=ledger_reason)  # fmt: skip
    return quant


@transaction.atomic
def quant_reserve(
    *,
    bin: Bin,
    item: Item,
    quantity,
    lot: Lot | None = None,
    serials: Sequence[str] = (),
    reason: str = Reason.RESERVATION,
    source: Source = Source(),
    actor: User | None = None,
) -> Quant:
    """Hold ``quantity`` of a bin's free stock (and its serial numbers) for a caller."""
    _check_reason(reason)
    quantity = positive_quantity(quantity)
    _check_item(item, lot)
    _check_bin(bin, reason, field="bin")
    clean = _check_serials(item, quantity, serials)
    key = (bin.pk, item.pk, lot.pk if lot else None)
    quant = _lock_quants([key]).get(key)
    taken = _take_serials(item, bin, clean, reserved=False) if clean else []
    have = quant.available if quant else ZERO
    if quant is None or have < quantity:
        raise _short(quant, bin=bin, item=item, lot=lot, quantity=quantity, have=have)
    for serial in taken:
        serial.status = SerialStatus.RESERVED
        serial.save(update_fields=["status", "updated_at"])
    quant.reserved += quantity
    _save(quant)
    _journal(kind=Kind.RESERVE, reason=reason, item=item, lot=lot, quantity=quantity,
             from_bin=bin, serials=taken, source=source, actor=actor)  # fmt: skip
    return quant


@transaction.atomic
def quant_unreserve(
    *,
    bin: Bin,
    item: Item,
    quantity,
    lot: Lot | None = None,
    serials: Sequence[str] = (),
    reason: str = Reason.RESERVATION,
    source: Source = Source(),
    actor: User | None = None,
) -> Quant:
    """Release ``quantity`` reserved in a bin (and its serial numbers)."""
    _check_reason(reason)
    quantity = positive_quantity(quantity)
    _check_item(item, lot)
    clean = _check_serials(item, quantity, serials)
    key = (bin.pk, item.pk, lot.pk if lot else None)
    quant = _lock_quants([key]).get(key)
    taken = _take_serials(item, bin, clean, reserved=True) if clean else []
    if quant is None or quant.reserved < quantity:
        raise StockConflict(
            _("Only %(have)s of %(item)s is reserved in bin %(bin)s: %(quantity)s cannot be "
              "released.")
            % {"have": figure(quant.reserved if quant else ZERO), "item": item.code,
               "bin": bin.code, "quantity": figure(quantity)}
        )  # fmt: skip
    for serial in taken:
        serial.status = SerialStatus.IN_STOCK
        serial.save(update_fields=["status", "updated_at"])
    quant.reserved -= quantity
    _save(quant)
    _journal(kind=Kind.UNRESERVE, reason=reason, item=item, lot=lot, quantity=quantity,
             from_bin=bin, serials=taken, source=source, actor=actor)  # fmt: skip
    return quant


@transaction.atomic
def quant_move(
    *,
    from_bin: Bin,
    to_bin: Bin,
    item: Item,
    quantity,
    lot: Lot | None = None,
    serials: Sequence[str] = (),
    reason: str = Reason.MOVE,
    from_reserved: bool = False,
    reserve_at_target: bool = False,
    source: Source = Source(),
    actor: User | None = None,
) -> tuple[Quant, Quant]:
    """Move ``quantity`` from one bin to another (both quants locked in primary-key order).

    Between bins of one warehouse the ERP has nothing to book; between two warehouses the move
    publishes ``wms.stock_moved`` and the ERP books the transfer. ``from_reserved`` moves what
    was reserved for the caller; ``reserve_at_target`` keeps it reserved in the new bin.
    """
    _check_reason(reason)
    quantity = positive_quantity(quantity)
    _check_item(item, lot)
    _check_bin(from_bin, reason, field="from_bin")
    _check_bin(to_bin, reason, field="to_bin")
    if from_bin.pk == to_bin.pk:
        raise ValidationError({"to_bin": _("Choose another bin than the one the stock is in.")})
    clean = _check_serials(item, quantity, serials)
    lot_id = lot.pk if lot else None
    src, dst = (from_bin.pk, item.pk, lot_id), (to_bin.pk, item.pk, lot_id)
    quants = _lock_quants([src, dst], create=[dst])
    taken = _take_serials(item, from_bin, clean, reserved=from_reserved) if clean else []
    if src not in quants:
        raise _short(None, bin=from_bin, item=item, lot=lot, quantity=quantity, have=ZERO)
    source_quant, target = quants[src], quants[dst]
    have = source_quant.reserved if from_reserved else source_quant.available
    if have < quantity:
        raise _short(source_quant, bin=from_bin, item=item, lot=lot, quantity=quantity, have=have)
    for serial in taken:
        serial.bin = to_bin
        serial.status = SerialStatus.RESERVED if reserve_at_target else SerialStatus.IN_STOCK
        serial.save(update_fields=["bin", "status", "updated_at"])
    source_quant.on_hand -= quantity
    if from_reserved:
        source_quant.reserved -= quantity
    target.on_hand += quantity
    if reserve_at_target:
        target.reserved += quantity
    _save(source_quant)
    _save(target)
    _journal(kind=Kind.MOVE, reason=reason, item=item, lot=lot, quantity=quantity,
             from_bin=from_bin, to_bin=to_bin, serials=taken, source=source,
             actor=actor)  # fmt: skip
    return source_quant, target
