"""Internal work: confirming move tasks by scan (putaway, replenishment, staging), bin-to-bin
moves, warehouse-to-warehouse transfers through an in-transit bin, and replenishment of pick
bins from their min/max rules.

Moves inside a warehouse change no ERP fact. A transfer's goods wait in the source warehouse's
in-transit bin (still the source's stock, in WMS and in the ERP alike); receiving them at the
destination moves them across warehouses, which publishes ``wms.stock_moved`` and the ERP books
the transfer.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from erp_core.models import Item, User, Warehouse
from erp_core.production.models import ProductionOrder
from wms import selectors
from wms.models import (
    Bin,
    Lot,
    MoveTask,
    Quant,
    QuantMove,
    ReplenishmentRule,
    SerialNumber,
    Transfer,
    TransferLine,
    WarehouseSetup,
)
from wms.services.common import (
    ZERO,
    bump,
    figure,
    lock,
    number_next,
    positive_quantity,
    require_status,
)
from wms.services.stock import Source, StockConflict, quant_move

Reason = QuantMove.Reason
_TASK_REASON: dict[str, str] = {
    MoveTask.Kind.PUTAWAY: Reason.PUTAWAY,
    MoveTask.Kind.REPLENISHMENT: Reason.REPLENISHMENT,
    MoveTask.Kind.STAGING: Reason.STAGING,
    MoveTask.Kind.MOVE: Reason.MOVE,
}


def _actor(actor) -> User | None:
    return actor if isinstance(actor, User) and actor.pk else None


def scanned_bin(barcode: str, *, warehouse_id: int, field: str = "bin") -> Bin:
    """The bin a scan names, in the warehouse being worked; a clear refusal otherwise."""
    bin = selectors.bin_by_barcode(barcode)
    if bin is None:
        raise ValidationError(
            {field: _("No bin has the barcode %(code)s.") % {"code": (barcode or "").strip()}}
        )
    if bin.warehouse_id != warehouse_id:
        raise ValidationError(
            {field: _("Bin %(bin)s is in warehouse %(warehouse)s, not this one.")
             % {"bin": bin.code, "warehouse": bin.warehouse.code}}
        )  # fmt: skip
    return bin


def _serials_in(item: Item, bin: Bin, lot: Lot | None, quantity: Decimal) -> list[str]:
    """The free serial numbers of a serial-tracked item to move out of a bin (first by number)."""
    if item.tracking != Item.Tracking.SERIAL:
        return []
    return list(
        SerialNumber.objects.filter(
            item=item, bin=bin, lot=lot, status=SerialNumber.Status.IN_STOCK
        )
        .order_by("serial")
        .values_list("serial", flat=True)[: int(quantity)]
    )


def _room(bin: Bin, item: Item, quantity: Decimal, *, field: str = "bin") -> None:
    """Refuse when the bin has no room for the goods: units, volume or weight capacity."""
    refusal = selectors.bin_room_refusal(
        bin=selectors.bin_with_load(bin_id=bin.pk), item=item, quantity=quantity
    )
    if refusal:
        raise ValidationError({field: refusal})


@transaction.atomic
def move_task_confirm(
    *, task: MoveTask, bin_barcode: str, actor: User | None, any_bin: bool = False
) -> MoveTask:
    """Confirm a move task by scanning the bin the goods were put into.

    The scanned bin must be the suggested one (unless ``any_bin``: then any bin of the
    warehouse that takes the goods and has room). Refused, nothing moved: an unknown barcode, a
    bin of another warehouse, the wrong bin, a blocked, quarantine or full bin.
    """
    task = lock(task)
    if task.status != MoveTask.Status.OPEN:
        raise Conflict(_("Task %(id)s is no longer open.") % {"id": task.pk}, code="task_closed")
    bin = scanned_bin(bin_barcode, warehouse_id=task.warehouse_id)
    if task.to_bin is not None and bin.pk != task.to_bin.pk and not any_bin:
        raise ValidationError(
            {"bin": _("Wrong bin: put it into %(bin)s.") % {"bin": task.to_bin.code}}
        )
    if task.to_bin_id is None and not any_bin and task.kind != MoveTask.Kind.PUTAWAY:
        raise ValidationError({"bin": _("The task names no bin.")})
    closed = (Bin.Type.QUARANTINE, Bin.Type.RECEIVING, Bin.Type.TRANSIT)
    if bin.pk != task.to_bin_id and (bin.is_blocked or bin.bin_type in closed):
        raise ValidationError(
            {"bin": _("Bin %(bin)s does not take this work.") % {"bin": bin.code}}
        )
    if bin.pk != task.to_bin_id:
        _room(bin, task.item, task.quantity)
    quant_move(
        from_bin=task.from_bin, to_bin=bin, item=task.item, lot=task.lot,
        quantity=task.quantity,
        serials=_serials_in(task.item, task.from_bin, task.lot, task.quantity),
        reason=_TASK_REASON[task.kind], source=Source(type="wms.task", id=str(task.pk)),
        actor=actor,
    )  # fmt: skip
    task.status = MoveTask.Status.DONE
    task.done_bin = bin
    task.done_at = timezone.now()
    task.done_by = _actor(actor)
    task.save(update_fields=["status", "done_bin", "done_at", "done_by"])
    return task


@transaction.atomic
def move_task_cancel(*, task: MoveTask, actor: User | None) -> MoveTask:
    """Cancel an open task; the goods stay where they are."""
    task = lock(task)
    if task.status != MoveTask.Status.OPEN:
        raise Conflict(_("Task %(id)s is no longer open.") % {"id": task.pk}, code="task_closed")
    task.status = MoveTask.Status.CANCELLED
    task.done_at = timezone.now()
    task.done_by = _actor(actor)
    task.save(update_fields=["status", "done_at", "done_by"])
    return task


@transaction.atomic
def bin_move(
    *,
    from_bin: Bin,
    to_bin: Bin,
    item: Item,
    quantity,
    lot: Lot | None = None,
    serials: Iterable[str] = (),
    actor: User | None = None,
) -> Quant:
    """Move stock from one bin to another of the same warehouse (no ERP effect)."""
    if from_bin.warehouse_id != to_bin.warehouse_id:
        raise ValidationError(
            {"to_bin": _("A bin-to-bin move stays in one warehouse: use a transfer.")}
        )
    quantity = positive_quantity(quantity, item=item)
    _room(to_bin, item, quantity, field="to_bin")
    _source, target = quant_move(
        from_bin=from_bin, to_bin=to_bin, item=item, lot=lot, quantity=quantity,
        serials=list(serials), reason=Reason.MOVE, actor=actor,
    )  # fmt: skip
    return target


# --- transfers ---------------------------------------------------------------------------------


def _live_setup(warehouse: Warehouse, *, field: str) -> WarehouseSetup:
    setup = selectors.warehouse_setup_get(warehouse_id=warehouse.pk)
    if setup is None or not setup.live:
        raise ValidationError(
            {field: _("WMS does not run warehouse %(warehouse)s.") % {"warehouse": warehouse.code}}
        )
    return setup


@transaction.atomic
def transfer_create(
    *,
    from_warehouse: Warehouse,
    to_warehouse: Warehouse,
    lines: Iterable[dict],
    memo: str = "",
    actor: User | None = None,
) -> Transfer:
    """Save a transfer between two warehouses WMS runs; each line is ``{"item", "quantity",
    "from_bin", "lot"?}`` (the bin in the source warehouse)."""
    if from_warehouse.pk == to_warehouse.pk:
        raise ValidationError({"to_warehouse": _("Choose another warehouse than the source.")})
    _live_setup(from_warehouse, field="from_warehouse")
    _live_setup(to_warehouse, field="to_warehouse")
    clean = []
    for n, data in enumerate(lines or [], start=1):
        item, bin, lot = data.get("item"), data.get("from_bin"), data.get("lot")
        if not isinstance(item, Item) or not isinstance(bin, Bin):
            raise ValidationError({"lines": _("Line %(n)d: give the item and the bin.") % {"n": n}})
        if bin.warehouse_id != from_warehouse.pk:
            raise ValidationError(
                {"lines": _("Line %(n)d: bin %(bin)s is not in the source warehouse.")
                 % {"n": n, "bin": bin.code}}
            )  # fmt: skip
        if lot is not None and lot.item_id != item.pk:
            raise ValidationError({"lines": _("Line %(n)d: the lot is not the item's.") % {"n": n}})
        quantity = positive_quantity(data.get("quantity"), item=item)
        clean.append(TransferLine(line_no=n, item=item, lot=lot, from_bin=bin, quantity=quantity))
    if not clean:
        raise ValidationError({"lines": _("Give at least one line.")})
    today = timezone.localdate()
    transfer = Transfer.objects.create(
        number=number_next(kind=Transfer.NUMBER_PREFIX, date=today), date=today,
        from_warehouse=from_warehouse, to_warehouse=to_warehouse, memo=(memo or "")[:255],
        created_by=_actor(actor),
    )  # fmt: skip
    for line in clean:
        line.transfer = transfer
    TransferLine.objects.bulk_create(clean)
    return transfer


@transaction.atomic
def transfer_ship(*, transfer: Transfer, actor: User | None) -> Transfer:
    """Ship a transfer: its goods go from their bins into the source's in-transit bin."""
    transfer = lock(transfer)
    require_status(transfer, Transfer.Status.DRAFT, action=_("shipped"))
    setup = _live_setup(transfer.from_warehouse, field="from_warehouse")
    if setup.transit_bin is None:
        raise ValidationError({"from_warehouse": _("The warehouse has no in-transit bin.")})
    source = Source(type="wms.transfer", id=str(transfer.pk))
    for line in transfer.lines.select_related("item", "lot", "from_bin").order_by("line_no"):
        quant_move(
            from_bin=line.from_bin, to_bin=setup.transit_bin, item=line.item, lot=line.lot,
            quantity=line.quantity,
            serials=_serials_in(line.item, line.from_bin, line.lot, line.quantity),
            reason=Reason.TRANSFER, source=source, actor=actor,
        )  # fmt: skip
    transfer.status = Transfer.Status.IN_TRANSIT
    transfer.shipped_at = timezone.now()
    bump(transfer, ["status", "shipped_at"])
    return transfer


@transaction.atomic
def transfer_receive(*, transfer: Transfer, actor: User | None) -> Transfer:
    """Receive a transfer at the destination: from the source's in-transit bin into the
    destination's receiving bin (``wms.stock_moved``: the ERP books the transfer), with a
    putaway task per line."""
    transfer = lock(transfer)
    require_status(transfer, Transfer.Status.IN_TRANSIT, action=_("received"))
    origin = _live_setup(transfer.from_warehouse, field="from_warehouse")
    target = _live_setup(transfer.to_warehouse, field="to_warehouse")
    transit = origin.transit_bin
    if transit is None:
        raise ValidationError({"from_warehouse": _("The warehouse has no in-transit bin.")})
    source = Source(type="wms.transfer", id=str(transfer.pk))
    for line in transfer.lines.select_related("item", "lot").order_by("line_no"):
        quant_move(
            from_bin=transit, to_bin=target.receiving_bin, item=line.item,
            lot=line.lot, quantity=line.quantity,
            serials=_serials_in(line.item, transit, line.lot, line.quantity),
            reason=Reason.TRANSFER, source=source, actor=actor,
        )  # fmt: skip
        MoveTask.objects.create(
            warehouse=transfer.to_warehouse, kind=MoveTask.Kind.PUTAWAY, item=line.item,
            lot=line.lot, quantity=line.quantity, from_bin=target.receiving_bin,
            to_bin=selectors.putaway_suggest(warehouse_id=transfer.to_warehouse_id,
                                             item=line.item, lot=line.lot,
                                             quantity=line.quantity),
            source_type="wms.transfer", source_id=str(transfer.pk),
        )  # fmt: skip
    transfer.status = Transfer.Status.APPROVED
    transfer.approved_by = _actor(actor)
    transfer.approved_at = timezone.now()
    bump(transfer, ["status", "approved_by", "approved_at"])
    return transfer


@transaction.atomic
def transfer_void(*, transfer: Transfer, actor: User | None, reason: str) -> Transfer:
    """Cancel a saved transfer (before it ships)."""
    transfer = lock(transfer)
    require_status(transfer, Transfer.Status.DRAFT, action=_("cancelled"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the transfer is cancelled.")})
    transfer.status = Transfer.Status.VOIDED
    transfer.voided_by = _actor(actor)
    transfer.voided_at = timezone.now()
    transfer.void_reason = reason.strip()[:255]
    bump(transfer, ["status", "voided_by", "voided_at", "void_reason"])
    return transfer


# --- replenishment and staging -----------------------------------------------------------------


def _sources(warehouse_id: int, item: Item, exclude_bin_id: int | None = None):
    """Storage quants of an item with free stock, earliest expiry first (FEFO), then walking
    order; expired, quarantined and blocked lots and blocked bins are left alone."""
    today = timezone.localdate()
    qs = (
        Quant.objects.filter(
            bin__warehouse_id=warehouse_id, item=item, bin__bin_type=Bin.Type.STORAGE,
            bin__is_blocked=False,
        )
        .filter(Q(lot__isnull=True) | Q(lot__status=Lot.Status.AVAILABLE))
        .filter(Q(lot__isnull=True) | Q(lot__expiry__isnull=True) | Q(lot__expiry__gte=today))
        .select_related("bin", "lot")
        .order_by("lot__expiry", "bin__walking_order", "pk")
    )  # fmt: skip
    if exclude_bin_id is not None:
        qs = qs.exclude(bin_id=exclude_bin_id)
    return [quant for quant in qs if quant.available > 0]


def _open_task_quantity(**filters) -> Decimal:
    return (
        MoveTask.objects.filter(status=MoveTask.Status.OPEN, **filters).aggregate(
            total=Sum("quantity")
        )["total"]
        or ZERO
    )


@transaction.atomic
def replenishment_run(*, warehouse: Warehouse) -> list[MoveTask]:
    """Make replenishment tasks for pick bins below their minimum: up to their maximum, from
    storage bins (earliest expiry first), counting tasks already open."""
    tasks = []
    rules = ReplenishmentRule.objects.filter(
        bin__warehouse=warehouse, is_active=True, bin__is_blocked=False
    ).select_related("bin", "item")
    for rule in rules.order_by("pk"):
        have = selectors.bin_fill_of(bin=rule.bin, item=rule.item)
        coming = _open_task_quantity(
            kind=MoveTask.Kind.REPLENISHMENT, to_bin=rule.bin, item=rule.item
        )
        if have + coming >= rule.minimum:
            continue
        wanted = rule.maximum - have - coming
        for quant in _sources(warehouse.pk, rule.item, exclude_bin_id=rule.bin_id):
            if wanted <= 0:
                break
            planned = _open_task_quantity(from_bin=quant.bin, item=rule.item, lot=quant.lot)
            take = min(wanted, quant.available - planned)
            if take <= 0:
                continue
            tasks.append(
                MoveTask.objects.create(
                    warehouse=warehouse, kind=MoveTask.Kind.REPLENISHMENT, item=rule.item,
                    lot=quant.lot, quantity=take, from_bin=quant.bin, to_bin=rule.bin,
                    source_type="wms.replenishment", source_id=str(rule.pk),
                )
            )  # fmt: skip
            wanted -= take
    return tasks


@transaction.atomic
def staging_create(
    *,
    production_order: ProductionOrder,
    staging_bin: Bin,
    lines: Iterable[dict],
    actor: User | None = None,
) -> list[MoveTask]:
    """Tasks to bring material for a production order to a production-staging bin; each line
    is ``{"item", "quantity"}``, taken from storage earliest expiry first."""
    if staging_bin.bin_type != Bin.Type.PRODUCTION_STAGING:
        raise ValidationError({"staging_bin": _("Choose a production-staging bin.")})
    tasks = []
    for n, data in enumerate(lines or [], start=1):
        item = data.get("item")
        if not isinstance(item, Item):
            raise ValidationError({"lines": _("Line %(n)d: give the item.") % {"n": n}})
        wanted = positive_quantity(data.get("quantity"), item=item)
        for quant in _sources(staging_bin.warehouse_id, item):
            if wanted <= 0:
                break
            planned = _open_task_quantity(from_bin=quant.bin, item=item, lot=quant.lot)
            take = min(wanted, quant.available - planned)
            if take <= 0:
                continue
            tasks.append(
                MoveTask.objects.create(
                    warehouse_id=staging_bin.warehouse_id, kind=MoveTask.Kind.STAGING,
                    item=item, lot=quant.lot, quantity=take, from_bin=quant.bin,
                    to_bin=staging_bin, production_order=production_order,
                    source_type="production.order", source_id=str(production_order.pk),
                )
            )  # fmt: skip
            wanted -= take
        if wanted > 0:
            raise StockConflict(
                _("Line %(n)d: %(quantity)s of %(item)s more than is free in storage.")
                % {"n": n, "quantity": figure(wanted), "item": item.code}
            )
    if not tasks:
        raise ValidationError({"lines": _("Give at least one line.")})
    return tasks
