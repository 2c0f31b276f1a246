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
from wms.models import Bin, Count, CountLine, CountPlan, ItemPlacement, Lot, Quant, QuantMove
from wms.services.common import ZERO, bump, lock, not_negative_quantity, number_next, require_status
from wms.services.stock import Source, quant_add, quant_remove

Status = Count.Status
SOURCE_TYPE = "wms.count"
Key = tuple[int, int, int | None]


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
    quantity,
    lot_number: str = "",
    actor: User | None = None,
) -> CountLine:
    """Record what was found in a bin by scan: the bin, the item, its lot, the quantity.

    A bin × item × lot not in the snapshot gets a line of its own (a find). Recording a line
    again replaces its count. Refused: an unknown bin or item barcode, a bin not in the count,
    an unknown lot.
    """
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
    quantity = not_negative_quantity(quantity)
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
    Quant.objects.select_for_update().filter(bin=bin, item=item, lot=lot).first()
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
        .exclude(variance=0)
        .select_related("bin", "item", "lot")
        .order_by("pk")
    )
    source = Source(type=SOURCE_TYPE, id=str(count.pk))
    per_item: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        variance = line.variance or ZERO
        if variance > 0:
            if line.item.tracking == Item.Tracking.SERIAL:
                raise Conflict(
                    _("A found unit of %(item)s needs its serial number: receive it by an "
                      "adjustment instead.") % {"item": line.item.code},
                    code="serial_count",
                )  # fmt: skip
            quant_add(bin=line.bin, item=line.item, lot=line.lot, quantity=variance,
                      reason=QuantMove.Reason.COUNT, source=source, actor=actor)  # fmt: skip
        else:
            if line.item.tracking == Item.Tracking.SERIAL:
                raise Conflict(
                    _("Missing units of %(item)s must be named by serial number.")
                    % {"item": line.item.code},
                    code="serial_count",
                )
            quant_remove(bin=line.bin, item=line.item, lot=line.lot, quantity=-variance,
                         reason=QuantMove.Reason.COUNT, source=source,
                         actor=actor)  # fmt: skip
        per_item[line.item_id] += variance
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
