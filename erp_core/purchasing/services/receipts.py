"""Purchase receipts (入库单): goods received against a placed order and booked into stock.

Status flow: saved (draft) → received (approved, 审核: booked into stock at the order line's
net unit price); saved → voided (作废). A booked receipt is never unapproved: returns to the
supplier are a document of their own (not built yet).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict, NotFound
from erp_core import registry
from erp_core.documents.services import (
    document_lock,
    document_number_next,
    mark_approved,
    mark_changed,
    mark_voided,
    require_revision,
    require_status,
)
from erp_core.ledger.services import document_date_check
from erp_core.models import User, Warehouse
from erp_core.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
)
from erp_core.purchasing.services.common import (
    ZERO,
    actor_or_none,
    check_date,
    check_not_future,
    check_warehouse,
    figure,
    line_error,
    positive_quantity,
    require_instance,
    require_lines,
    unit_price,
)
from erp_core.purchasing.services.orders import purchase_order_is_received, receipt_limit
from erp_core.stock.models import StockMove
from erp_core.stock.services import MoveLine, Source, stock_moves_book

Status = PurchaseReceipt.Status
SOURCE_TYPE = "purchasing.receipt"
RECEIVABLE = (PurchaseOrder.Status.APPROVED, PurchaseOrder.Status.RECEIVED)


def _clean_lines(order: PurchaseOrder, lines: Iterable[dict]) -> list[PurchaseReceiptLine]:
    """Unsaved receipt lines for lines of ``order``, numbered from 1; bad input is a 400."""
    own = {line.pk: line for line in order.lines.select_related("item")}
    result = []
    for index, data in enumerate(require_lines(lines), start=1):
        unknown = set(data) - {"order_line", "quantity", "id", "line_no"}
        if unknown:
            raise line_error(index, _("unknown fields %(names)s.") % {"names": sorted(unknown)})
        try:
            value = data.get("order_line")
            key = value.pk if isinstance(value, PurchaseOrderLine) else value
            try:
                order_line = own[int(key)]
            except (KeyError, TypeError, ValueError):
                message = _("The line is not on purchase order %(number)s.") % {
                    "number": order.number
                }
                raise ValidationError({"order_line": message}) from None
            quantity = positive_quantity(data.get("quantity"), item=order_line.item)
        except ValidationError as exc:
            raise line_error(index, " ".join(exc.messages)) from None
        result.append(
            PurchaseReceiptLine(
                line_no=index, order_line=order_line, item=order_line.item, quantity=quantity
            )
        )
    return result


def _check_limits(order: PurchaseOrder, lines: list[PurchaseReceiptLine], current: dict) -> None:
    """Refuse (400) a receipt that takes a line above ordered × (1 + over-receipt tolerance).

    ``current`` maps an order line's pk to the order line as read (under lock when booking).
    """
    now: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        now[line.order_line_id] += line.quantity
    for pk, quantity in sorted(now.items()):
        order_line = current[pk]
        limit = receipt_limit(order, order_line)
        total = order_line.received_quantity + quantity
        if total > limit:
            raise ValidationError(
                {
                    "lines": _(
                        "Order line %(line)s (%(item)s): %(received)s received and %(quantity)s "
                        "now make %(total)s, above the limit of %(limit)s (ordered %(ordered)s "
                        "+ %(tolerance)s %% over-receipt tolerance)."
                    )
                    % {
                        "line": order_line.line_no,
                        "item": order_line.item.code,
                        "received": figure(order_line.received_quantity),
                        "quantity": figure(quantity),
                        "total": figure(total),
                        "limit": figure(limit),
                        "ordered": figure(order_line.quantity),
                        "tolerance": figure(order.over_receipt_tolerance),
                    }
                }
            )


def _receivable(order: PurchaseOrder) -> None:
    require_status(order, *RECEIVABLE, action=_("received against"))


def purchase_receipt_refuse_if_operated(warehouse: Warehouse) -> None:
    """Refuse (409) a receipt by hand into a warehouse whose receiving a front module does (WMS):
    the order waits for that module's event, which books the receipt."""
    operator = registry.stock_operator(warehouse.pk)
    if operator:
        raise Conflict(
            _(
                "Goods for warehouse %(warehouse)s are received by the warehouse in "
                "%(operator)s: the receipt is booked when the warehouse completes it there."
            )
            % {"warehouse": warehouse.code, "operator": operator},
            code="received_by_warehouse",
        )


@transaction.atomic
def purchase_receipt_create(
    *,
    purchase_order: PurchaseOrder,
    lines: Iterable[dict],
    date: dt.date | None = None,
    warehouse: Warehouse | None = None,
    delivery_note: str = "",
    memo: str = "",
    actor: User | None = None,
    source_event_id: str | None = None,
    wms_receipt_id: int | None = None,
) -> PurchaseReceipt:
    """Save a receipt (draft) against a placed order; it takes the next ``GR`` number.

    Each line is ``{"order_line", "quantity"}``. The warehouse defaults to the order's, the date
    to today (a future date is refused). A quantity that would take a line above ordered ×
    (1 + over-receipt tolerance %) is refused with the figures (400).
    """
    order = require_instance(purchase_order, PurchaseOrder, field="purchase_order", fresh=True)
    _receivable(order)
    date = document_date_check(check_not_future(check_date(date or timezone.localdate())))
    warehouse = check_warehouse(
        require_instance(warehouse or order.warehouse, Warehouse, field="warehouse")
    )
    if source_event_id is None:
        purchase_receipt_refuse_if_operated(warehouse)
    clean = _clean_lines(order, lines)
    _check_limits(order, clean, {line.order_line_id: line.order_line for line in clean})
    actor = actor_or_none(actor)
    receipt = PurchaseReceipt.objects.create(
        number=document_number_next(kind=PurchaseReceipt.NUMBER_PREFIX, date=date),
        date=date,
        supplier_id=order.supplier_id,
        purchase_order=order,
        warehouse=warehouse,
        delivery_note=(delivery_note or "").strip()[:64],
        memo=(memo or "").strip()[:255],
        source_event_id=source_event_id,
        wms_receipt_id=wms_receipt_id,
        created_by=actor,
    )
    for line in clean:
        line.receipt = receipt
    PurchaseReceiptLine.objects.bulk_create(clean)
    return receipt


@transaction.atomic
def purchase_receipt_update(
    *,
    receipt: PurchaseReceipt,
    expected_revision: int | None = None,
    lines: Iterable[dict] | None = None,
    date: dt.date | None = None,
    warehouse: Warehouse | None = None,
    delivery_note: str | None = None,
    memo: str | None = None,
    actor: User | None = None,
) -> PurchaseReceipt:
    """Change a saved receipt; ``lines`` (when given) replace all its lines. Drafts only (409)."""
    receipt = document_lock(receipt)
    require_status(receipt, Status.DRAFT, action=_("changed"))
    require_revision(receipt, expected_revision)
    changed = []
    if date is not None:
        document_date_check(check_not_future(check_date(date)))
        if date.year != receipt.date.year:
            raise ValidationError({"date": _("The date must stay in the number's year.")})
        receipt.date = date
        changed.append("date")
    if warehouse is not None:
        receipt.warehouse = check_warehouse(
            require_instance(warehouse, Warehouse, field="warehouse")
        )
        changed.append("warehouse")
    if delivery_note is not None:
        receipt.delivery_note = delivery_note.strip()[:64]
        changed.append("delivery_note")
    if memo is not None:
        receipt.memo = memo.strip()[:255]
        changed.append("memo")
    if receipt.source_event_id is None:
        purchase_receipt_refuse_if_operated(receipt.warehouse)
    if lines is not None:
        order = receipt.purchase_order
        clean = _clean_lines(order, lines)
        _check_limits(order, clean, {line.order_line_id: line.order_line for line in clean})
        receipt.lines.all().delete()
        for line in clean:
            line.receipt = receipt
        PurchaseReceiptLine.objects.bulk_create(clean)
    mark_changed(receipt, changed)
    return receipt


def _moved_at(day: dt.date) -> dt.datetime | None:
    """Now for a receipt of today; the end of its day for an earlier one (a backdated move)."""
    if day >= timezone.localdate():
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


@transaction.atomic
def purchase_receipt_approve(
    *,
    receipt: PurchaseReceipt,
    actor: User | None,
    expected_revision: int | None = None,
    event_id: str | None = None,
) -> PurchaseReceipt:
    """Book the receipt (审核): each line goes into stock at its order line's net unit price.

    The order and its lines are locked (lines in primary-key order) and the over-receipt limit
    is checked again against what is booked by now. Each stocked line gets its stock move (and
    so its journal entry: Dr inventory, Cr 材料采购); a service item is received without one.
    The order becomes ``received`` when every line has reached ordered × (1 − under-receipt
    tolerance %).
    """
    receipt = document_lock(receipt)
    require_status(receipt, Status.DRAFT, action=_("booked"))
    require_revision(receipt, expected_revision)
    order = document_lock(receipt.purchase_order)
    _receivable(order)
    check_warehouse(receipt.warehouse)
    if event_id is None and receipt.source_event_id is None:
        purchase_receipt_refuse_if_operated(receipt.warehouse)
    lines = list(receipt.lines.select_related("item", "item__category").order_by("line_no"))
    if not lines:
        raise ValidationError({"lines": _("A receipt without lines cannot be booked.")})
    locked = {
        line.pk: line
        for line in PurchaseOrderLine.objects.select_for_update()
        .select_related("item")
        .filter(pk__in={line.order_line_id for line in lines})
        .order_by("pk")
    }
    _check_limits(order, lines, locked)
    moved_at = _moved_at(receipt.date)
    source = Source(type=SOURCE_TYPE, id=str(receipt.pk), event_id=event_id)
    actor = actor_or_none(actor)
    for line in lines:
        line.unit_cost = unit_price(locked[line.order_line_id].net_unit_price)
    # The stocked lines are one batch: one journal entry for the receipt, not one a line.
    stocked = [line for line in lines if not line.item.is_service]
    if stocked:
        moves = stock_moves_book(
            lines=[
                MoveLine(
                    item=line.item,
                    warehouse=receipt.warehouse,
                    quantity=line.quantity,
                    reason=StockMove.Reason.RECEIPT,
                    unit_cost=line.unit_cost,
                    moved_at=moved_at,
                    source=source,
                )
                for line in stocked
            ],
            actor=actor,
        )
        for line, move in zip(stocked, moves, strict=True):
            line.stock_move = move
    for line in lines:
        order_line = locked[line.order_line_id]
        line.save(update_fields=["unit_cost", "stock_move"])
        PurchaseOrderLine.objects.filter(pk=order_line.pk).update(
            received_quantity=F("received_quantity") + line.quantity
        )
    if order.status == PurchaseOrder.Status.APPROVED and purchase_order_is_received(order):
        order.status = PurchaseOrder.Status.RECEIVED
        mark_changed(order, ["status"])
    mark_approved(receipt, actor=actor)
    return receipt


@transaction.atomic
def purchase_receipt_unapprove(
    *, receipt: PurchaseReceipt, actor: User | None, expected_revision: int | None = None
) -> PurchaseReceipt:
    """Always refused for a booked receipt (409): the goods are in stock and maybe billed.

    Returns to the supplier are out of scope for now; correct stock with an adjustment.
    """
    receipt = document_lock(receipt)
    require_status(receipt, Status.APPROVED, action=_("unapproved"))
    raise Conflict(
        _(
            "Receipt %(number)s is booked into stock and cannot be unapproved. Returns to the "
            "supplier are not supported yet: correct the stock with an adjustment."
        )
        % {"number": receipt.number},
        code="receipt_booked",
    )


@transaction.atomic
def purchase_receipt_void(
    *,
    receipt: PurchaseReceipt,
    actor: User | None,
    reason: str,
    expected_revision: int | None = None,
) -> PurchaseReceipt:
    """Void (作废) a saved receipt; it keeps its number."""
    receipt = document_lock(receipt)
    require_status(receipt, Status.DRAFT, action=_("voided"))
    require_revision(receipt, expected_revision)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the receipt is voided.")})
    mark_voided(receipt, actor=actor_or_none(actor), reason=reason)
    return receipt


@transaction.atomic
def purchase_receipt_record_from_wms(
    *,
    event_id: str,
    wms_receipt_id: int,
    purchase_order_id: int,
    lines: Iterable[dict],
    date: dt.date | None = None,
) -> PurchaseReceipt:
    """Create and book the receipt WMS reported (``wms.receipt_completed``), once.

    ``lines`` are ``{"purchase_order_line_id", "quantity"}``. A receipt already made from this
    event or this WMS receipt is returned unchanged, so a redelivery books nothing twice.
    """
    existing = (
        PurchaseReceipt.objects.filter(source_event_id=str(event_id)).first()
        or PurchaseReceipt.objects.filter(wms_receipt_id=wms_receipt_id).first()
    )
    if existing is not None:
        return existing
    order = PurchaseOrder.objects.filter(pk=purchase_order_id).first()
    if order is None:
        raise NotFound(_("Purchase order %(id)s does not exist.") % {"id": purchase_order_id})
    receipt = purchase_receipt_create(
        purchase_order=order,
        lines=[
            {"order_line": line.get("purchase_order_line_id"), "quantity": line.get("quantity")}
            for line in require_lines(lines)
        ],
        date=date,
        memo=_("Received in the warehouse (WMS receipt %(id)s).") % {"id": wms_receipt_id},
        source_event_id=str(event_id),
        wms_receipt_id=wms_receipt_id,
    )
    return purchase_receipt_approve(receipt=receipt, actor=None, event_id=str(event_id))
