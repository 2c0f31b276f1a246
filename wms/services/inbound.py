"""Inbound: expected receipts from placed purchase orders, receiving by scan, completion and
putaway tasks.

Scans are recorded against the expected receipt's lines; the goods enter stock (the receiving
bin) when the receipt is completed, in the same transaction that publishes
``wms.receipt_completed``, so the quants and the ERP ledger (which books the receipt from that
event) never disagree once it is delivered. Receipts publish no ``wms.stock_moved``: the ERP
books the receipt once, from ``wms.receipt_completed``.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict, NotFound
from erp_core.models import Item, User
from erp_core.purchasing.models import PurchaseOrder, PurchaseOrderLine
from integration import topics
from integration.bus import publish
from wms import selectors
from wms.models import (
    ExpectedReceipt,
    ExpectedReceiptLine,
    Lot,
    MoveTask,
    QuantMove,
    ReceiptScan,
    SerialNumber,
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
from wms.services.stock import Source, quant_add

Status = ExpectedReceipt.Status
HUNDRED = Decimal("100")
SOURCE_TYPE = "wms.receipt"


def _actor(actor) -> User | None:
    return actor if isinstance(actor, User) and actor.pk else None


# --- expected receipts from the ERP's orders ---------------------------------------------------


def _limit(order: PurchaseOrder, line: PurchaseOrderLine) -> Decimal:
    """What may still come in on an order line: ordered × (1 + tolerance %) less what came."""
    most = line.quantity * (HUNDRED + order.over_receipt_tolerance) / HUNDRED
    in_wms = (
        ExpectedReceiptLine.objects.filter(
            purchase_order_line=line, receipt__status=Status.APPROVED
        ).aggregate(total=Sum("received_quantity"))["total"]
        or ZERO
    )
    return max(most - max(line.received_quantity, in_wms), ZERO)


@transaction.atomic
def expected_receipt_create_for_order(
    *,
    order: PurchaseOrder,
    quantities: dict[int, Decimal] | None = None,
    source_event_id: str | None = None,
) -> ExpectedReceipt | None:
    """Expect the receipt of a placed order in a warehouse WMS runs (None when it does not).

    ``quantities`` (order line id → quantity) defaults to what each line still has to receive.
    """
    setup = selectors.warehouse_setup_get(warehouse_id=order.warehouse_id)
    if setup is None or not setup.live:
        return None
    lines = []
    for po_line in order.lines.select_related("item").order_by("line_no"):
        if po_line.item.item_type == Item.ItemType.SERVICE:
            continue
        wanted = (quantities or {}).get(po_line.pk)
        if quantities is not None and wanted is None:
            continue
        if wanted is None:
            wanted = max(po_line.quantity - po_line.received_quantity, ZERO)
        if wanted <= 0:
            continue
        limit = _limit(order, po_line)
        lines.append((po_line, min(wanted, limit), limit))
    if not lines:
        return None
    today = timezone.localdate()
    receipt = ExpectedReceipt.objects.create(
        number=number_next(kind=ExpectedReceipt.NUMBER_PREFIX, date=today),
        date=today,
        warehouse_id=order.warehouse_id,
        supplier_id=order.supplier_id,
        purchase_order=order,
        expected_date=order.expected_date,
        source_event_id=source_event_id,
    )
    ExpectedReceiptLine.objects.bulk_create(
        ExpectedReceiptLine(receipt=receipt, line_no=n, purchase_order_line=po_line,
                            item=po_line.item, quantity=quantity, limit=limit)
        for n, (po_line, quantity, limit) in enumerate(lines, start=1)
    )  # fmt: skip
    return receipt


@transaction.atomic
def expected_receipt_create_from_event(*, event_id: str, payload: dict) -> ExpectedReceipt | None:
    """``erp.purchase_order_placed``: expect the receipt when WMS runs the order's warehouse."""
    if ExpectedReceipt.objects.filter(source_event_id=event_id).exists():
        return None
    order = PurchaseOrder.objects.filter(pk=payload["purchase_order_id"]).first()
    if order is None:
        return None
    quantities = {
        int(line["purchase_order_line_id"]): Decimal(line["quantity"]) for line in payload["lines"]
    }
    return expected_receipt_create_for_order(
        order=order, quantities=quantities, source_event_id=event_id
    )


@transaction.atomic
def expected_receipt_cancel_lines(*, purchase_order_id: int, lines: Iterable[dict]) -> int:
    """``erp.purchase_order_cancelled``: stop expecting what the order no longer brings.

    Each open receipt line of the order expects that much less (never less than was scanned);
    a receipt left expecting nothing, with nothing scanned, is cancelled. Returns the number of
    lines changed.
    """
    open_receipts = list(
        ExpectedReceipt.objects.select_for_update()
        .filter(purchase_order_id=purchase_order_id, status=Status.DRAFT)
        .order_by("pk")
    )
    if not open_receipts:
        return 0
    less: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for data in lines:
        less[int(data["purchase_order_line_id"])] += Decimal(data["quantity"])
    changed = 0
    receipt_lines = (
        ExpectedReceiptLine.objects.select_for_update()
        .filter(receipt__in=open_receipts)
        .order_by("pk")
    )
    for line in receipt_lines:
        cut = min(less[line.purchase_order_line_id], line.quantity)
        if cut <= 0:
            continue
        less[line.purchase_order_line_id] -= cut
        line.quantity -= cut
        line.limit = max(line.limit - cut, line.received_quantity)
        line.cancelled = line.quantity <= line.received_quantity
        line.save(update_fields=["quantity", "limit", "cancelled"])
        changed += 1
    for receipt in open_receipts:
        receipt_rows = list(receipt.lines.all())
        if all(row.cancelled for row in receipt_rows) and not any(
            row.received_quantity for row in receipt_rows
        ):
            receipt.status = Status.VOIDED
            receipt.voided_at = timezone.now()
            receipt.void_reason = _("The purchase order no longer brings it.")
            bump(receipt, ["status", "voided_at", "void_reason"])
    return changed


# --- receiving by scan -------------------------------------------------------------------------


def _scan_line(receipt: ExpectedReceipt, barcode: str) -> ExpectedReceiptLine:
    item = selectors.item_by_barcode(barcode)
    if item is None:
        raise ValidationError(
            {"barcode": _("No item has the barcode %(code)s.") % {"code": (barcode or "").strip()}}
        )
    line = (
        receipt.lines.select_for_update()
        .select_related("item")
        .filter(item=item, cancelled=False)
        .order_by("line_no")
        .first()
    )
    if line is None:
        raise ValidationError(
            {"barcode": _("%(item)s is not expected on receipt %(number)s.")
             % {"item": item.code, "number": receipt.number}}
        )  # fmt: skip
    return line


def _scan_lot(
    item: Item, lot_number: str, expiry: dt.date | None, made_on: dt.date | None
) -> Lot | None:
    lot_number = (lot_number or "").strip()
    if item.tracking != Item.Tracking.LOT:
        if lot_number:
            raise ValidationError(
                {"lot_number": _("%(item)s is not tracked by lot.") % {"item": item.code}}
            )
        return None
    if not lot_number:
        raise ValidationError(
            {"lot_number": _("%(item)s is tracked by lot: scan the lot.") % {"item": item.code}}
        )
    if len(lot_number) > 64:
        raise ValidationError({"lot_number": _("A lot number has at most 64 characters.")})
    if expiry is None and made_on is not None and item.shelf_life_days:
        expiry = made_on + dt.timedelta(days=item.shelf_life_days)
    lot = Lot.objects.filter(item=item, lot_number=lot_number).first()
    if lot is not None:
        if expiry is not None and lot.expiry is not None and lot.expiry != expiry:
            raise ValidationError(
                {"expiry": _("Lot %(lot)s of %(item)s expires on %(known)s, not %(given)s: "
                             "check the lot.")
                 % {"lot": lot_number, "item": item.code, "known": lot.expiry, "given": expiry}}
            )  # fmt: skip
        return lot
    if expiry is None:
        raise ValidationError(
            {"expiry": _("Give the expiry date of lot %(lot)s.") % {"lot": lot_number}}
        )
    if made_on is not None and expiry < made_on:
        raise ValidationError({"expiry": _("The lot cannot expire before it was made.")})
    return Lot.objects.create(item=item, lot_number=lot_number, made_on=made_on, expiry=expiry)


def _scan_serial(item: Item, serial: str, quantity: Decimal, receipt: ExpectedReceipt) -> str:
    serial = (serial or "").strip()
    if item.tracking != Item.Tracking.SERIAL:
        if serial:
            raise ValidationError(
                {"serial": _("%(item)s is not tracked by serial number.") % {"item": item.code}}
            )
        return ""
    if not serial:
        raise ValidationError(
            {"serial": _("%(item)s is tracked by serial number: scan the serial number.")
             % {"item": item.code}}
        )  # fmt: skip
    if quantity != 1:
        raise ValidationError({"quantity": _("One serial number is one unit: scan each unit.")})
    if (
        SerialNumber.objects.filter(item=item, serial=serial)
        .exclude(status__in=(SerialNumber.Status.SHIPPED,))
        .exists()
        or ReceiptScan.objects.filter(
            line__receipt=receipt, line__item=item, serial_number=serial
        ).exists()
    ):
        raise Conflict(
            _("Serial number %(serial)s of %(item)s is already in stock or scanned.")
            % {"serial": serial, "item": item.code},
            code="serial_known",
        )
    return serial


@transaction.atomic
def expected_receipt_scan(
    *,
    receipt: ExpectedReceipt,
    barcode: str,
    quantity=Decimal(1),
    lot_number: str = "",
    expiry: dt.date | None = None,
    made_on: dt.date | None = None,
    serial: str = "",
    actor: User | None = None,
) -> ReceiptScan:
    """Record a scan of arriving goods: the item's barcode, its lot (and expiry) when lot-tracked,
    its serial number when serial-tracked, the quantity.

    Refused with a message naming the problem, nothing written: an unknown barcode, an item not
    on the receipt, a missing or inconsistent lot, a known serial, a quantity that would take
    the line above the order's over-receipt tolerance.
    """
    receipt = lock(receipt)
    require_status(receipt, Status.DRAFT, action=_("received against"))
    line = _scan_line(receipt, barcode)
    quantity = positive_quantity(quantity, item=line.item)
    lot = _scan_lot(line.item, lot_number, expiry, made_on)
    serial_number = _scan_serial(line.item, serial, quantity, receipt)
    if line.received_quantity + quantity > line.limit:
        raise ValidationError(
            {"quantity": _("%(item)s: %(received)s received and %(quantity)s now make "
                           "%(total)s, above the %(limit)s the order allows (with its "
                           "over-receipt tolerance).")
             % {"item": line.item.code, "received": figure(line.received_quantity),
                "quantity": figure(quantity),
                "total": figure(line.received_quantity + quantity),
                "limit": figure(line.limit)}}
        )  # fmt: skip
    scan = ReceiptScan.objects.create(
        line=line, lot=lot, serial_number=serial_number, quantity=quantity,
        scanned_by=_actor(actor),
    )  # fmt: skip
    line.received_quantity += quantity
    line.save(update_fields=["received_quantity"])
    bump(receipt, [])
    return scan


# --- completion and putaway --------------------------------------------------------------------


@transaction.atomic
def expected_receipt_complete(*, receipt: ExpectedReceipt, actor: User | None) -> ExpectedReceipt:
    """Complete a receipt: what was scanned goes into the receiving bin, a putaway task is made
    for each item and lot, ``wms.receipt_completed`` tells the ERP to book it; what is still
    expected of the order moves to a new expected receipt."""
    receipt = lock(receipt)
    require_status(receipt, Status.DRAFT, action=_("completed"))
    setup = selectors.warehouse_setup_get(warehouse_id=receipt.warehouse_id)
    if setup is None or not setup.live:
        raise Conflict(_("WMS does not run this warehouse."), code="not_live")
    lines = list(
        ExpectedReceiptLine.objects.select_for_update()
        .filter(receipt=receipt)
        .select_related("item", "purchase_order_line")
        .order_by("pk")
    )
    if not any(line.received_quantity for line in lines):
        raise ValidationError({"lines": _("Nothing was received: scan the goods first.")})
    source = Source(type=SOURCE_TYPE, id=str(receipt.pk))
    actor = _actor(actor)
    by_lot: dict[tuple[int, int | None], list[ReceiptScan]] = defaultdict(list)
    items = {line.item_id: line.item for line in lines}
    for scan in ReceiptScan.objects.filter(line__receipt=receipt).select_related("line", "lot"):
        by_lot[(scan.line.item_id, scan.lot_id)].append(scan)
    for (item_id, _lot_id), scans in sorted(
        by_lot.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)
    ):
        item, lot = items[item_id], scans[0].lot
        quantity = sum((scan.quantity for scan in scans), ZERO)
        serials = [scan.serial_number for scan in scans if scan.serial_number]
        quant_add(bin=setup.receiving_bin, item=item, quantity=quantity, lot=lot,
                  serials=serials, reason=QuantMove.Reason.RECEIPT, source=source,
                  actor=actor)  # fmt: skip
        suggestion = selectors.putaway_suggest(
            warehouse_id=receipt.warehouse_id, item=item, lot=lot, quantity=quantity
        )
        MoveTask.objects.create(
            warehouse_id=receipt.warehouse_id, kind=MoveTask.Kind.PUTAWAY, item=item, lot=lot,
            quantity=quantity, from_bin=setup.receiving_bin, to_bin=suggestion,
            source_type=SOURCE_TYPE, source_id=str(receipt.pk),
        )  # fmt: skip
    publish(
        topic=topics.receipt_completed,
        payload={
            "receipt_id": receipt.pk,
            "purchase_order_id": receipt.purchase_order_id,
            "lines": [
                {"purchase_order_line_id": line.purchase_order_line_id,
                 "quantity": str(line.received_quantity)}
                for line in lines
                if line.received_quantity > 0
            ],
        },
    )  # fmt: skip
    receipt.status = Status.APPROVED
    receipt.approved_by = actor
    receipt.approved_at = timezone.now()
    bump(receipt, ["status", "approved_by", "approved_at"])
    _expect_the_rest(receipt, lines)
    return receipt


def _expect_the_rest(receipt: ExpectedReceipt, lines: list[ExpectedReceiptLine]) -> None:
    """A new expected receipt for what the order still brings after a short receipt."""
    rest = [line for line in lines if not line.cancelled and line.received_quantity < line.quantity]
    if not rest or receipt.purchase_order.status != PurchaseOrder.Status.APPROVED:
        return
    today = timezone.localdate()
    backorder = ExpectedReceipt.objects.create(
        number=number_next(kind=ExpectedReceipt.NUMBER_PREFIX, date=today),
        date=today,
        warehouse_id=receipt.warehouse_id,
        supplier_id=receipt.supplier_id,
        purchase_order_id=receipt.purchase_order_id,
        expected_date=receipt.expected_date,
        memo=_("The rest of %(number)s.") % {"number": receipt.number},
    )
    ExpectedReceiptLine.objects.bulk_create(
        ExpectedReceiptLine(
            receipt=backorder, line_no=n, purchase_order_line_id=line.purchase_order_line_id,
            item_id=line.item_id, quantity=line.quantity - line.received_quantity,
            limit=line.limit - line.received_quantity,
        )
        for n, line in enumerate(rest, start=1)
    )  # fmt: skip


@transaction.atomic
def expected_receipt_void(
    *, receipt: ExpectedReceipt, actor: User | None, reason: str
) -> ExpectedReceipt:
    """Cancel an expected receipt with nothing scanned on it."""
    receipt = lock(receipt)
    require_status(receipt, Status.DRAFT, action=_("cancelled"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the receipt is cancelled.")})
    if ReceiptScan.objects.filter(line__receipt=receipt).exists():
        raise Conflict(
            _("Goods were scanned on receipt %(number)s: complete it instead.")
            % {"number": receipt.number},
            code="has_scans",
        )
    receipt.status = Status.VOIDED
    receipt.voided_by = _actor(actor)
    receipt.voided_at = timezone.now()
    receipt.void_reason = reason.strip()[:255]
    bump(receipt, ["status", "voided_by", "voided_at", "void_reason"])
    return receipt


def expected_receipt_get(*, pk) -> ExpectedReceipt:
    """An expected receipt by id, or 404."""
    receipt = ExpectedReceipt.objects.filter(pk=pk).first()
    if receipt is None:
        raise NotFound(_("No expected receipt %(id)s.") % {"id": pk})
    return receipt
