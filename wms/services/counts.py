"""Counting: start a count (snapshot), record what is found by scan, submit, approve.

The snapshot is the quants of the count's bins at its start, with the id of the last journal
row. Each counted line keeps the last journal row at its scan; what the books held then is the
snapshot plus the journal rows in between. The variance is the count less that, so moves made
in a bin while it is counted do not become false gains or losses. Approval adjusts the quants
by the variances and publishes ``wms.count_completed``; the ERP posts the gain or loss.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from erp_core.models import Item, User, Warehouse
from integration import topics
from integration.bus import publish
from wms import selectors
from wms.models import (
    Bin,
    Count,
    CountLine,
    CountPlan,
    CountSerial,
    ItemPlacement,
    Lot,
    Quant,
    QuantMove,
    SerialNumber,
)
from wms.services.common import ZERO, bump, lock, not_negative_quantity, number_next, require_status
from wms.services.stock import Source, quant_add, quant_move, quant_remove

Status = Count.Status
SOURCE_TYPE = "wms.count"
Key = tuple[int, int, int | None]
MAX_SERIAL = 64
#: The most serial scans one batch (a handheld's upload) may carry.
MAX_SERIAL_BATCH = 1000
IN_A_BIN = (SerialNumber.Status.IN_STOCK, SerialNumber.Status.RESERVED)


def _actor(actor) -> User | None:
    return actor if isinstance(actor, User) and actor.pk else None


def _last_move_id() -> int:
    return QuantMove.objects.aggregate(last=Max("pk"))["last"] or 0


def count_plan_bins(*, plan: CountPlan) -> list[Bin]:
    """The bins a plan counts: its bin, its zone's bins, or the bins holding its ABC class."""
    bins = Bin.objects.filter(warehouse_id=plan.warehouse_id).exclude(bin_type=Bin.Type.TRANSIT)
    if plan.bin_id is not None:
        bins = bins.filter(pk=plan.bin_id)
    elif plan.zone_id is not None:
        bins = bins.filter(zone_id=plan.zone_id)
    if plan.abc_class:
        items = ItemPlacement.objects.filter(
            warehouse_id=plan.warehouse_id, abc_class=plan.abc_class
        ).values("item_id")
        bins = bins.filter(quants__item_id__in=items, quants__on_hand__gt=0)
    return list(bins.distinct().order_by("walking_order", "code"))


@transaction.atomic
def count_start(
    *,
    warehouse: Warehouse,
    bins: Iterable[Bin] = (),
    plan: CountPlan | None = None,
    blind: bool | None = None,
    actor: User | None = None,
) -> Count:
    """Start a count of some bins (or of a plan's): the quants in them are the snapshot."""
    if plan is not None:
        if plan.warehouse_id != warehouse.pk:
            raise ValidationError({"plan": _("The plan is for another warehouse.")})
        chosen = count_plan_bins(plan=plan)
        blind = plan.blind if blind is None else blind
    else:
        chosen = list(bins)
    if not chosen:
        raise ValidationError({"bins": _("Choose the bins to count.")})
    for bin in chosen:
        if bin.warehouse_id != warehouse.pk:
            raise ValidationError(
                {"bins": _("Bin %(bin)s is not in warehouse %(warehouse)s.")
                 % {"bin": bin.code, "warehouse": warehouse.code}}
            )  # fmt: skip
    today = timezone.localdate()
    # The quants are locked while the snapshot is read, so the journal row it is taken after
    # is exactly the last change they had.
    quants = list(
        Quant.objects.select_for_update().filter(bin__in=chosen, on_hand__gt=0).order_by("pk")
    )
    count = Count.objects.create(
        number=number_next(kind=Count.NUMBER_PREFIX, date=today), date=today,
        warehouse=warehouse, plan=plan, blind=True if blind is None else blind,
        snapshot_move_id=_last_move_id(), started_at=timezone.now(), created_by=_actor(actor),
    )  # fmt: skip
    count.bins.set(chosen)
    CountLine.objects.bulk_create(
        CountLine(count=count, bin_id=q.bin_id, item_id=q.item_id, lot_id=q.lot_id,
                  snapshot_quantity=q.on_hand)
        for q in quants
    )  # fmt: skip
    if plan is not None:
        CountPlan.objects.filter(pk=plan.pk).update(
            next_due=today + dt.timedelta(days=plan.frequency_days)
        )
    return count


@transaction.atomic
def count_record(
    *,
    count: Count,
    bin_barcode: str,
    barcode: str,
    quantity=None,
    lot_number: str = "",
    serial: str = "",
    actor: User | None = None,
) -> CountLine:
    """Record what was found in a bin by scan: the bin, the item, its lot, the quantity.

    A bin × item × lot not in the snapshot gets a line of its own (a find). Recording a line
    again replaces its count. A serial-tracked item is counted unit by unit: each scan names a
    ``serial`` and adds it to the line (its count is the serials scanned); a quantity of 0
    instead says the bin holds none. Refused: an unknown bin or item barcode, a bin not in the
    count, an unknown lot, a serial number that was shipped, consumed or written off, or that
    lies in another warehouse.
    """
    count, bin, item = _scanned(count, bin_barcode, barcode)
    serial = (serial or "").strip()
    if item.tracking == Item.Tracking.SERIAL:
        return _record_serials(count, bin, item, [serial] if serial else [], quantity, actor)
    if serial:
        raise ValidationError(
            {"serial": _("%(item)s is not tracked by serial number.") % {"item": item.code}}
        )
    quantity = not_negative_quantity(quantity, item=item)
    lot = None
    if item.tracking == Item.Tracking.LOT:
        if not (lot_number or "").strip():
            raise ValidationError(
                {"lot_number": _("%(item)s is tracked by lot: scan the lot.") % {"item": item.code}}
            )
        lot = _known_lot(item, lot_number)
    elif (lot_number or "").strip():
        raise ValidationError(
            {"lot_number": _("%(item)s is not tracked by lot.") % {"item": item.code}}
        )
    line, _created = CountLine.objects.select_for_update().get_or_create(
        count=count, bin=bin, item=item, lot=lot
    )
    line.counted_quantity = quantity
    # Quants of the line are locked so the journal row read is the last one that touched them.
    list(Quant.objects.select_for_update().filter(bin=bin, item=item, lot=lot).order_by("pk"))
    line.counted_move_id = _last_move_id()
    line.counted_at = timezone.now()
    line.counted_by = _actor(actor)
    line.save()
    bump(count, [])
    return line


@transaction.atomic
def count_record_serials(
    *,
    count: Count,
    bin_barcode: str,
    barcode: str,
    serials: list[str],
    actor: User | None = None,
) -> CountLine:
    """Record a batch of serial scans of one item in one bin, as a handheld uploads them: the
    same checks as each scan through ``count_record``, all refused if one is. A batch holds at
    most ``MAX_SERIAL_BATCH`` scans; a serial scanned twice counts one unit."""
    if not isinstance(serials, list) or any(
        serial is not None and not isinstance(serial, str) for serial in serials
    ):
        raise ValidationError({"serials": _("Give the serial numbers as a list of texts.")})
    if len(serials) > MAX_SERIAL_BATCH:
        raise ValidationError(
            {"serials": _("Give at most %(max)s serial numbers at once.")
             % {"max": MAX_SERIAL_BATCH}}
        )  # fmt: skip
    count, bin, item = _scanned(count, bin_barcode, barcode)
    if item.tracking != Item.Tracking.SERIAL:
        raise ValidationError(
            {"serial": _("%(item)s is not tracked by serial number.") % {"item": item.code}}
        )
    serials = [(serial or "").strip() for serial in serials]
    if not serials or "" in serials:
        raise ValidationError({"serial": _("Scan at least one serial number.")})
    return _record_serials(count, bin, item, serials, None, actor)


def _scanned(count: Count, bin_barcode: str, barcode: str) -> tuple[Count, Bin, Item]:
    """The count locked and still a draft, and the bin (one of the count's) and the item the
    scanned barcodes name."""
    count = lock(count)
    require_status(count, Status.DRAFT, action=_("counted"))
    bin = selectors.bin_by_barcode(bin_barcode)
    if bin is None:
        raise ValidationError(
            {"bin": _("No bin has the barcode %(code)s.") % {"code": (bin_barcode or "").strip()}}
        )
    if not count.bins.filter(pk=bin.pk).exists():
        raise ValidationError(
            {"bin": _("Bin %(bin)s is not part of count %(number)s.")
             % {"bin": bin.code, "number": count.number}}
        )  # fmt: skip
    item = selectors.item_by_barcode(barcode)
    if item is None:
        raise ValidationError(
            {"barcode": _("No item has the barcode %(code)s.") % {"code": (barcode or "").strip()}}
        )
    return count, bin, item


def _record_serials(
    count: Count, bin: Bin, item: Item, serials: list[str], quantity, actor: User | None
) -> CountLine:
    """Count a serial-tracked item: the scanned serials added to the line, or (no serial, a
    quantity of 0) none of it in the bin."""
    if not serials and (quantity in (None, "") or not_negative_quantity(quantity) != 0):
        raise ValidationError(
            {"serial": _("%(item)s is tracked by serial number: scan each unit's serial "
                         "number (or count 0 when the bin holds none).")
             % {"item": item.code}}
        )  # fmt: skip
    if any(len(serial) > MAX_SERIAL for serial in serials):
        raise ValidationError({"serial": _("A serial number has at most 64 characters.")})
    known_serials = SerialNumber.objects.select_related("bin__warehouse").filter(
        item=item, serial__in=serials
    )
    for known in known_serials:
        serial = known.serial
        if known.status not in IN_A_BIN:
            raise ValidationError(
                {"serial": _("Serial number %(serial)s of %(item)s is %(status)s: it cannot be "
                             "in a bin.")
                 % {"serial": serial, "item": item.code,
                    "status": known.get_status_display().lower()}}
            )  # fmt: skip
        if known.bin is not None and known.bin.warehouse_id != count.warehouse_id:
            raise ValidationError(
                {"serial": _("Serial number %(serial)s lies in warehouse %(warehouse)s: "
                             "transfer it rather than count it here.")
                 % {"serial": serial, "warehouse": known.bin.warehouse.code}}
            )  # fmt: skip
    # Serials are counted per bin × item whatever their lots: one line carries the scans, the
    # snapshot's other lines of the bin × item (other lots) count as settled by it.
    lines = list(
        CountLine.objects.select_for_update().filter(count=count, bin=bin, item=item).order_by("pk")
    )
    line = lines[0] if lines else CountLine.objects.create(count=count, bin=bin, item=item)
    CountLine.objects.filter(pk__in=[other.pk for other in lines[1:]]).update(
        counted_quantity=ZERO, counted_move_id=_last_move_id(), counted_at=timezone.now()
    )
    if serials:
        CountSerial.objects.bulk_create(
            [CountSerial(line=line, serial=serial) for serial in dict.fromkeys(serials)],
            ignore_conflicts=True,
        )
    else:
        CountSerial.objects.filter(line=line).delete()
    line.counted_quantity = Decimal(CountSerial.objects.filter(line=line).count())
    list(Quant.objects.select_for_update().filter(bin=bin, item=item).order_by("pk"))
    line.counted_move_id = _last_move_id()
    line.counted_at = timezone.now()
    line.counted_by = _actor(actor)
    line.save()
    bump(count, [])
    return line


def _known_lot(item: Item, lot_number: str) -> Lot:
    lot = Lot.objects.filter(item=item, lot_number=lot_number.strip()).first()
    if lot is None:
        raise ValidationError(
            {"lot_number": _("Lot %(lot)s of %(item)s is unknown.")
             % {"lot": lot_number.strip(), "item": item.code}}
        )  # fmt: skip
    return lot


def _moves_between(count: Count, lines: list[CountLine]) -> dict[int, Decimal]:
    """Per line, the net quantity moved into its bin × item × lot after the snapshot and up to
    its scan (journal rows in ``(snapshot_move_id, counted_move_id]``)."""
    if not lines:
        return {}
    last = max(line.counted_move_id or 0 for line in lines)
    bins = {line.bin_id for line in lines}
    rows = (
        QuantMove.objects.filter(
            pk__gt=count.snapshot_move_id, pk__lte=last, kind__in=("add", "remove", "move")
        )
        .filter(Q(from_bin_id__in=bins) | Q(to_bin_id__in=bins))
        .values_list("pk", "kind", "item_id", "lot_id", "from_bin_id", "to_bin_id", "quantity")
    )
    deltas: dict[Key, list[tuple[int, Decimal]]] = defaultdict(list)
    for pk, _kind, item_id, lot_id, from_bin, to_bin, quantity in rows:
        if to_bin in bins:
            deltas[(to_bin, item_id, lot_id)].append((pk, quantity))
        if from_bin in bins:
            deltas[(from_bin, item_id, lot_id)].append((pk, -quantity))
    result = {}
    for line in lines:
        upto = line.counted_move_id or 0
        result[line.pk] = sum(
            (q for pk, q in deltas.get((line.bin_id, line.item_id, line.lot_id), ()) if pk <= upto),
            ZERO,
        )
    return result


@transaction.atomic
def count_submit(*, count: Count, actor: User | None) -> Count:
    """Close counting and work out each line's variance (counted − booked when counted).

    Refused while a line of the snapshot is not counted.
    """
    count = lock(count)
    require_status(count, Status.DRAFT, action=_("submitted"))
    lines = list(CountLine.objects.select_for_update().filter(count=count).order_by("pk"))
    missing = [line for line in lines if line.counted_quantity is None]
    if missing:
        raise ValidationError(
            {"lines": _("%(n)d lines are not counted yet: count them (0 when empty).")
             % {"n": len(missing)}}
        )  # fmt: skip
    if not lines:
        raise ValidationError({"lines": _("Nothing was counted.")})
    moved = _moves_between(count, lines)
    for line in lines:
        line.expected_quantity = line.snapshot_quantity + moved[line.pk]
        line.variance = (line.counted_quantity or ZERO) - line.expected_quantity
    CountLine.objects.bulk_update(lines, ["expected_quantity", "variance"])
    count.status = Status.SUBMITTED
    bump(count, ["status"])
    return count


@transaction.atomic
def count_recount(*, count: Count, actor: User | None) -> Count:
    """Send a submitted count back to counting (the variances are worked out again)."""
    count = lock(count)
    require_status(count, Status.SUBMITTED, action=_("sent back"))
    count.status = Status.DRAFT
    bump(count, ["status"])
    return count


@transaction.atomic
def count_approve(*, count: Count, actor: User | None) -> Count:
    """Approve the variances: each adjusts its quant (a gain adds, a loss takes), and
    ``wms.count_completed`` carries the net difference per item for the ERP to post."""
    count = lock(count)
    require_status(count, Status.SUBMITTED, action=_("approved"))
    lines = list(
        CountLine.objects.filter(count=count)
        .select_related("bin", "item", "lot")
        .prefetch_related("serials")
        .order_by("pk")
    )
    source = Source(type=SOURCE_TYPE, id=str(count.pk))
    per_item: dict[int, Decimal] = defaultdict(lambda: ZERO)
    serial_lines = [line for line in lines if line.item.tracking == Item.Tracking.SERIAL]
    for line in lines:
        variance = line.variance or ZERO
        if line.item.tracking == Item.Tracking.SERIAL or variance == 0:
            continue
        if variance > 0:
            quant_add(bin=line.bin, item=line.item, lot=line.lot, quantity=variance,
                      reason=QuantMove.Reason.COUNT, source=source, actor=actor)  # fmt: skip
        else:
            quant_remove(bin=line.bin, item=line.item, lot=line.lot, quantity=-variance,
                         reason=QuantMove.Reason.COUNT, source=source,
                         actor=actor)  # fmt: skip
        per_item[line.item_id] += variance
    for item_id, difference in _approve_serials(serial_lines, source, actor).items():
        per_item[item_id] += difference
    differences = [
        {"item_id": item_id, "quantity": str(quantity)}
        for item_id, quantity in sorted(per_item.items())
        if quantity != 0
    ]
    if differences:
        publish(
            topic=topics.count_completed,
            payload={"count_id": count.pk, "warehouse_id": count.warehouse_id,
                     "lines": differences},
        )  # fmt: skip
    count.status = Status.APPROVED
    count.approved_by = _actor(actor)
    count.approved_at = timezone.now()
    bump(count, ["status", "approved_by", "approved_at"])
    return count


def _approve_serials(
    lines: list[CountLine], source: Source, actor: User | None
) -> dict[int, Decimal]:
    """Settle the serial-tracked lines by serial number; the net difference per item.

    Per line, *missing* are the serials the books hold in its bin that nobody scanned, *extra*
    those scanned there that the books hold elsewhere or not at all. An extra serial in stock
    in another bin of the warehouse is moved here (no difference for the ERP; it is then not
    missing from the other bin); one the books never had is added (a gain); the missing that
    remain are written off (a loss). A reserved unit found missing refuses the approval: its
    pick must be released first.
    """
    if not lines:
        return {}
    by_place: dict[tuple[int, int], CountLine] = {}
    scanned: dict[int, set[str]] = {}
    for line in lines:
        first = by_place.setdefault((line.bin_id, line.item_id), line)
        scanned.setdefault(first.pk, set()).update(row.serial for row in line.serials.all())
    lines = list(by_place.values())
    held: dict[int, dict[str, SerialNumber]] = {}
    for line in lines:
        held[line.pk] = {
            sn.serial: sn
            for sn in SerialNumber.objects.filter(
                item_id=line.item_id, bin_id=line.bin_id, status__in=IN_A_BIN
            )
        }
    extra = {line.pk: sorted(scanned[line.pk] - set(held[line.pk])) for line in lines}
    wanted = {(line.item_id, serial) for line in lines for serial in extra[line.pk]}
    known = {
        (sn.item_id, sn.serial): sn
        for sn in SerialNumber.objects.select_related("bin", "lot").filter(
            item_id__in={item_id for item_id, _serial in wanted},
            serial__in={serial for _item_id, serial in wanted},
        )
    }
    moved_out: set[tuple[int | None, str]] = set()  # (bin id, serial) moved away by the count
    difference: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        for serial in extra[line.pk]:
            sn = known.get((line.item_id, serial))
            if sn is None:
                quant_add(bin=line.bin, item=line.item, quantity=Decimal(1), serials=[serial],
                          reason=QuantMove.Reason.COUNT, source=source, actor=actor)  # fmt: skip
                difference[line.item_id] += 1
                continue
            if sn.status != SerialNumber.Status.IN_STOCK or sn.bin is None:
                raise Conflict(
                    _("Serial number %(serial)s of %(item)s is %(status)s: it cannot be "
                      "counted in bin %(bin)s.")
                    % {"serial": serial, "item": line.item.code, "bin": line.bin.code,
                       "status": sn.get_status_display().lower()},
                    code="serial_count",
                )  # fmt: skip
            quant_move(from_bin=sn.bin, to_bin=line.bin, item=line.item, lot=sn.lot,
                       quantity=Decimal(1), serials=[serial], reason=QuantMove.Reason.COUNT,
                       source=source, actor=actor)  # fmt: skip
            moved_out.add((sn.bin_id, serial))
    for line in lines:
        missing = sorted(
            serial
            for serial in set(held[line.pk]) - scanned[line.pk]
            if (line.bin_id, serial) not in moved_out
        )
        if not missing:
            continue
        reserved = [s for s in missing if held[line.pk][s].status != SerialNumber.Status.IN_STOCK]
        if reserved:
            raise Conflict(
                _("Serial number %(serial)s of %(item)s is missing from bin %(bin)s but "
                  "reserved for a pick: release the pick first.")
                % {"serial": reserved[0], "item": line.item.code, "bin": line.bin.code},
                code="serial_count",
            )  # fmt: skip
        by_lot: dict[int | None, list[str]] = defaultdict(list)
        for serial in missing:
            by_lot[held[line.pk][serial].lot_id].append(serial)
        lots = {sn.lot_id: sn.lot for sn in held[line.pk].values()}
        for lot_id, serials in sorted(by_lot.items(), key=lambda pair: pair[0] or 0):
            quant_remove(bin=line.bin, item=line.item, lot=lots[lot_id],
                         quantity=Decimal(len(serials)), serials=serials,
                         reason=QuantMove.Reason.COUNT, source=source, actor=actor)  # fmt: skip
            difference[line.item_id] -= len(serials)
    return difference


@transaction.atomic
def count_void(*, count: Count, actor: User | None, reason: str) -> Count:
    """Cancel a count before approval; nothing is adjusted."""
    count = lock(count)
    require_status(count, Status.DRAFT, Status.SUBMITTED, action=_("cancelled"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the count is cancelled.")})
    count.status = Status.VOIDED
    count.voided_by = _actor(actor)
    count.voided_at = timezone.now()
    count.void_reason = reason.strip()[:255]
    bump(count, ["status", "voided_by", "voided_at", "void_reason"])
    return count
