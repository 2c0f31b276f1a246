"""Purchase orders (采购订单): priced lines to a supplier, placed, acknowledged, received, closed.

Status flow: saved (draft) → placed (approved, 审核; publishes ``erp.purchase_order_placed``)
→ received (every line within its under-receipt tolerance) → closed; placed → closed
(short-close what is left after a part was received) or → cancelled (nothing received);
placed → saved (反审核) while nothing was received; saved → voided (作废). Unplacing,
short-closing and cancelling publish ``erp.purchase_order_cancelled`` with what is no longer
expected.
"""

import datetime as dt
import math
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict, NotFound
from common.limits import PRICE_MAX
from common.numbers import parse_decimal
from erp_core.documents.amounts import checked_totals, line_amounts
from erp_core.documents.services import (
    days_after,
    document_lock,
    document_number_next,
    mark_approved,
    mark_changed,
    mark_unapproved,
    mark_voided,
    refuse_if_downstream,
    require_revision,
    require_status,
)
from erp_core.ledger.services import document_date_check
from erp_core.models import Item, Partner, User, Warehouse
from erp_core.purchasing import selectors
from erp_core.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseRequisition,
    PurchaseRequisitionLine,
)
from erp_core.purchasing.services.common import (
    ZERO,
    actor_or_none,
    check_date,
    check_item,
    check_supplier,
    check_tax_code,
    check_warehouse,
    figure,
    line_error,
    not_negative,
    percent,
    positive_quantity,
    require_instance,
    require_lines,
    unit_price,
)
from erp_core.purchasing.services.requisitions import requisition_lines_order
from integration import topics
from integration.bus import publish

Status = PurchaseOrder.Status
LINE_FIELDS = {
    "item",
    "quantity",
    "unit_price",
    "discount_percent",
    "tax_code",
    "tax_rate",
    "expected_date",
    "description",
    "requisition_line",
}
HEADER_FIELDS = (
    "supplier",
    "date",
    "warehouse",
    "expected_date",
    "payment_terms_days",
    "over_receipt_tolerance",
    "under_receipt_tolerance",
    "memo",
)


# --- Lines -------------------------------------------------------------------------------------


def _tax_rate(value, tax_code) -> Decimal:
    if value is None or value == "":
        return tax_code.rate if tax_code is not None else ZERO
    rate = not_negative(value, field="tax_rate")
    if rate >= 1:
        raise ValidationError({"tax_rate": _("Give the VAT rate as a fraction: 0.13.")})
    return rate


def _requisition_line(value, item: Item) -> PurchaseRequisitionLine | None:
    if value in (None, ""):
        return None
    line = require_instance(value, PurchaseRequisitionLine, field="requisition_line", fresh=True)
    requisition = line.requisition
    if requisition.status != PurchaseRequisition.Status.APPROVED:
        raise Conflict(
            _("Requisition %(number)s is %(status)s: only an approved requisition is ordered.")
            % {"number": requisition.number, "status": requisition.get_status_display().lower()},
            code="invalid_status",
        )
    if line.item_id != item.pk:
        raise ValidationError({"requisition_line": _("The requisition line is for another item.")})
    return line


def _clean_lines(
    lines: Iterable[dict], *, supplier: Partner, order_date: dt.date, expected: dt.date | None
) -> list[PurchaseOrderLine]:
    """Unsaved, priced order lines from input dicts, numbered from 1; bad input is a 400.

    Defaults: the price of the item on this supplier's last placed order (else the item's
    standard cost), the item's VAT code and its rate, and an expected date of the order's date
    plus the item's purchase lead time (or the order's expected date when it has one).
    """
    result = []
    for index, data in enumerate(require_lines(lines), start=1):
        unknown = set(data) - LINE_FIELDS - {"id", "line_no"}
        if unknown:
            raise line_error(index, _("unknown fields %(names)s.") % {"names": sorted(unknown)})
        try:
            item = check_item(require_instance(data.get("item"), Item, field="item"))
            quantity = positive_quantity(data.get("quantity"), item=item)
            if quantity < item.min_order_qty:
                raise ValidationError(
                    _("%(quantity)s of %(item)s is below its minimum order quantity %(minimum)s.")
                    % {
                        "quantity": figure(quantity),
                        "item": item.code,
                        "minimum": figure(item.min_order_qty),
                    }
                )
            price = data.get("unit_price")
            if price is None or price == "":
                price = selectors.last_purchase_price(item=item, supplier=supplier)
                if price is None:
                    price = item.standard_cost
            price = unit_price(
                not_negative(price, field="unit_price", maximum=PRICE_MAX, decimal_places=6)
            )
            discount = percent(data.get("discount_percent") or ZERO, field="discount_percent")
            tax_code = check_tax_code(data.get("tax_code")) or item.vat
            tax_rate = _tax_rate(data.get("tax_rate"), tax_code)
            expected_date = data.get("expected_date")
            if expected_date in (None, ""):
                expected_date = expected or days_after(
                    order_date, item.purchase_lead_time_days, field="expected_date"
                )
            check_date(expected_date, field="expected_date")
            if expected_date < order_date:
                raise ValidationError(
                    {"expected_date": _("The expected date is before the order's date.")}
                )
            requisition_line = _requisition_line(data.get("requisition_line"), item)
        except ValidationError as exc:
            raise line_error(index, " ".join(exc.messages)) from None
        amounts = line_amounts(
            quantity=quantity, unit_price=price, discount_percent=discount, tax_rate=tax_rate
        )
        result.append(
            PurchaseOrderLine(
                line_no=index,
                item=item,
                description=(data.get("description") or "").strip()[:255],
                quantity=quantity,
                unit_price=price,
                discount_percent=discount,
                tax_code=tax_code,
                tax_rate=tax_rate,
                net_amount=amounts.net,
                tax_amount=amounts.tax,
                gross_amount=amounts.gross,
                expected_date=expected_date,
                requisition_line=requisition_line,
            )
        )
    checked_totals(result)
    return result


def _requisition_deltas(lines: Iterable[PurchaseOrderLine], *, sign: int) -> dict:
    deltas: dict = {}
    for line in lines:
        if line.requisition_line_id is None:
            continue
        requisition_line, quantity = deltas.get(line.requisition_line_id, (None, ZERO))
        requisition_line = requisition_line or line.requisition_line
        deltas[line.requisition_line_id] = (requisition_line, quantity + sign * line.quantity)
    return deltas


def _release_requisitions(order: PurchaseOrder) -> None:
    """Give the order's quantities back to the requisitions it was made from."""
    lines = list(order.lines.select_related("requisition_line").order_by("pk"))
    requisition_lines_order(lines=_requisition_deltas(lines, sign=-1))


def _save_lines(order: PurchaseOrder, lines: list[PurchaseOrderLine]) -> None:
    for line in lines:
        line.order = order
    PurchaseOrderLine.objects.bulk_create(lines)
    requisition_lines_order(lines=_requisition_deltas(lines, sign=1))


# --- Header ------------------------------------------------------------------------------------


def _clean_header(values: dict) -> dict:
    """Validate the header fields present in ``values``."""
    clean = {}
    if "supplier" in values:
        clean["supplier"] = check_supplier(
            require_instance(values["supplier"], Partner, field="supplier")
        )
    if "warehouse" in values:
        clean["warehouse"] = check_warehouse(
            require_instance(values["warehouse"], Warehouse, field="warehouse")
        )
    if "date" in values:
        clean["date"] = document_date_check(check_date(values["date"]))
    if "expected_date" in values:
        expected = values["expected_date"]
        clean["expected_date"] = (
            None if expected in (None, "") else check_date(expected, field="expected_date")
        )
    if "payment_terms_days" in values and values["payment_terms_days"] is not None:
        days = parse_decimal(values["payment_terms_days"], field="payment_terms_days")
        if days < 0 or days != int(days) or days > 3650:
            raise ValidationError(
                {"payment_terms_days": _("Give a whole number of days from 0 to 3650.")}
            )
        clean["payment_terms_days"] = int(days)
    if "over_receipt_tolerance" in values:
        clean["over_receipt_tolerance"] = percent(
            values["over_receipt_tolerance"] or ZERO, field="over_receipt_tolerance"
        )
    if "under_receipt_tolerance" in values:
        clean["under_receipt_tolerance"] = percent(
            values["under_receipt_tolerance"] or ZERO,
            field="under_receipt_tolerance",
            below_hundred=True,
        )
    if "memo" in values:
        clean["memo"] = (values["memo"] or "").strip()[:255]
    return clean


def _check_expected(header: dict) -> None:
    expected, date = header.get("expected_date"), header.get("date")
    if expected and date and expected < date:
        raise ValidationError({"expected_date": _("The expected date is before the order's date.")})


@transaction.atomic
def purchase_order_create(
    *,
    supplier: Partner,
    date: dt.date,
    warehouse: Warehouse,
    lines: Iterable[dict],
    expected_date: dt.date | None = None,
    payment_terms_days: int | None = None,
    over_receipt_tolerance: Decimal = ZERO,
    under_receipt_tolerance: Decimal = ZERO,
    memo: str = "",
    actor: User | None = None,
) -> PurchaseOrder:
    """Save a new purchase order (draft) to an active supplier; it takes the next ``PO`` number.

    Each line is ``{"item", "quantity", "unit_price"?, "discount_percent"?, "tax_code"?,
    "tax_rate"?, "expected_date"?, "description"?, "requisition_line"?}``; see ``_clean_lines``
    for the defaults. A quantity below the item's minimum order quantity is refused (400).
    """
    header = _clean_header(
        {
            "supplier": supplier,
            "date": date,
            "warehouse": warehouse,
            "expected_date": expected_date,
            "payment_terms_days": payment_terms_days,
            "over_receipt_tolerance": over_receipt_tolerance,
            "under_receipt_tolerance": under_receipt_tolerance,
            "memo": memo,
        }
    )
    _check_expected(header)
    header.setdefault("payment_terms_days", header["supplier"].payment_terms_days)
    clean = _clean_lines(
        lines,
        supplier=header["supplier"],
        order_date=header["date"],
        expected=header["expected_date"],
    )
    if header["expected_date"] is None:
        header["expected_date"] = max(line.expected_date for line in clean)
    actor = actor_or_none(actor)
    order = PurchaseOrder.objects.create(
        number=document_number_next(kind=PurchaseOrder.NUMBER_PREFIX, date=header["date"]),
        created_by=actor,
        **header,
    )
    _save_lines(order, clean)
    return order


def _round_up(quantity: Decimal, item: Item) -> Decimal:
    """``quantity`` raised to the item's minimum order quantity and to a whole order multiple."""
    quantity = max(quantity, item.min_order_qty)
    multiple = item.order_multiple
    if multiple and multiple > 0:
        quantity = Decimal(math.ceil(quantity / multiple)) * multiple
    return quantity


@transaction.atomic
def purchase_order_create_from_requisitions(
    *,
    requisition_lines: Iterable,
    supplier: Partner,
    warehouse: Warehouse,
    date: dt.date | None = None,
    expected_date: dt.date | None = None,
    payment_terms_days: int | None = None,
    over_receipt_tolerance: Decimal = ZERO,
    under_receipt_tolerance: Decimal = ZERO,
    memo: str = "",
    actor: User | None = None,
) -> PurchaseOrder:
    """Make a draft order from lines of approved requisitions.

    ``requisition_lines`` holds requisition lines (objects or pks) or dicts
    ``{"requisition_line", "quantity"?, "unit_price"?, …}``. The quantity defaults to what is
    left to order, raised to the item's minimum order quantity and order multiple; the expected
    date to the later of the line's needed-by date and the date plus the lead time. Each line is
    linked to its requisition line, whose ordered quantity grows; a requisition whose lines are
    all fully ordered becomes ``ordered``.
    """
    date = date or timezone.localdate()
    check_date(date)
    if requisition_lines is None or isinstance(requisition_lines, str | bytes | dict):
        raise ValidationError({"requisition_lines": _("Give the requisition lines as a list.")})
    entries = [
        entry if isinstance(entry, dict) else {"requisition_line": entry}
        for entry in requisition_lines
    ]
    if not entries:
        raise ValidationError({"requisition_lines": _("Choose at least one requisition line.")})
    lines = []
    seen = set()
    for index, entry in enumerate(entries, start=1):
        try:
            source = require_instance(
                entry.get("requisition_line"),
                PurchaseRequisitionLine,
                field="requisition_line",
                fresh=True,
            )
        except ValidationError as exc:
            raise line_error(index, " ".join(exc.messages)) from None
        if source.pk in seen:
            raise line_error(index, _("the requisition line is given twice."))
        seen.add(source.pk)
        line = {key: value for key, value in entry.items() if value not in (None, "")}
        line["requisition_line"] = source
        line["item"] = source.item
        if "quantity" not in line:
            left = source.quantity - source.ordered_quantity
            if left <= 0:
                raise Conflict(
                    _("Line %(line)s of requisition %(number)s is fully ordered already.")
                    % {"line": source.line_no, "number": source.requisition.number},
                    code="fully_ordered",
                )
            line["quantity"] = _round_up(left, source.item)
        if "expected_date" not in line and not expected_date:
            lead = days_after(date, source.item.purchase_lead_time_days, field="expected_date")
            line["expected_date"] = max(lead, source.needed_by) if source.needed_by else lead
        lines.append(line)
    return purchase_order_create(
        supplier=supplier,
        date=date,
        warehouse=warehouse,
        lines=lines,
        expected_date=expected_date,
        payment_terms_days=payment_terms_days,
        over_receipt_tolerance=over_receipt_tolerance,
        under_receipt_tolerance=under_receipt_tolerance,
        memo=memo,
        actor=actor,
    )


@transaction.atomic
def purchase_order_update(
    *,
    order: PurchaseOrder,
    expected_revision: int | None = None,
    lines: Iterable[dict] | None = None,
    actor: User | None = None,
    **changes,
) -> PurchaseOrder:
    """Change a saved order's header fields and (when given) replace all its lines.

    ``changes`` may hold supplier, date, warehouse, expected_date, payment_terms_days,
    over_receipt_tolerance, under_receipt_tolerance and memo. Only a draft changes (409
    otherwise); an edit based on an older revision is a 409 (stale).
    """
    unknown = set(changes) - set(HEADER_FIELDS)
    if unknown:
        raise ValidationError(
            {"non_field_errors": _("Unknown fields %(names)s.") % {"names": sorted(unknown)}}
        )
    order = document_lock(order)
    require_status(order, Status.DRAFT, action=_("changed"))
    require_revision(order, expected_revision)
    header = _clean_header(changes)
    if "date" in header and header["date"].year != order.date.year:
        raise ValidationError({"date": _("The date must stay in the number's year.")})
    if "payment_terms_days" in changes and changes["payment_terms_days"] is None:
        header.pop("payment_terms_days", None)
    for name, value in header.items():
        setattr(order, name, value)
    _check_expected({"date": order.date, "expected_date": order.expected_date})
    if lines is not None:
        _release_requisitions(order)
        order.lines.all().delete()
        clean = _clean_lines(
            lines, supplier=order.supplier, order_date=order.date, expected=order.expected_date
        )
        _save_lines(order, clean)
        if order.expected_date is None:
            order.expected_date = max(line.expected_date for line in clean)
            header["expected_date"] = order.expected_date
    mark_changed(order, list(header))
    return order


# --- Status flow -------------------------------------------------------------------------------


def _placed_payload(order: PurchaseOrder) -> dict:
    return {
        "purchase_order_id": order.pk,
        "supplier_id": order.supplier_id,
        "warehouse_id": order.warehouse_id,
        "lines": [
            {
                "purchase_order_line_id": line.pk,
                "item_id": line.item_id,
                "quantity": str(line.quantity),
                "expected_date": line.expected_date.isoformat() if line.expected_date else None,
            }
            for line in order.lines.order_by("line_no")
        ],
    }


def _publish_cancelled(order: PurchaseOrder) -> None:
    """Tell WMS what it should no longer expect: each line's quantity not yet received."""
    lines = [
        {
            "purchase_order_line_id": line.pk,
            "item_id": line.item_id,
            "quantity": str(line.quantity - line.received_quantity),
        }
        for line in order.lines.order_by("line_no")
        if line.quantity > line.received_quantity
    ]
    if lines:
        publish(
            topic=topics.purchase_order_cancelled,
            payload={
                "purchase_order_id": order.pk,
                "supplier_id": order.supplier_id,
                "lines": lines,
            },
        )


@transaction.atomic
def purchase_order_approve(
    *, order: PurchaseOrder, actor: User | None, expected_revision: int | None = None
) -> PurchaseOrder:
    """Place the order (审核): it becomes binding and ``erp.purchase_order_placed`` is published.

    The supplier must still be an active supplier; an order without lines is refused.
    """
    order = document_lock(order)
    require_status(order, Status.DRAFT, action=_("placed"))
    require_revision(order, expected_revision)
    if not order.lines.exists():
        raise ValidationError({"lines": _("An order without lines cannot be placed.")})
    check_supplier(order.supplier)
    check_warehouse(order.warehouse)
    mark_approved(order, actor=actor_or_none(actor))
    publish(topic=topics.purchase_order_placed, payload=_placed_payload(order))
    return order


def _live_receipts(order: PurchaseOrder):
    return order.receipts.exclude(status=PurchaseReceipt.Status.VOIDED).order_by("pk")


@transaction.atomic
def purchase_order_unapprove(
    *, order: PurchaseOrder, actor: User | None, expected_revision: int | None = None
) -> PurchaseOrder:
    """Take the order back to saved (反审核) while nothing was received against it.

    The supplier's acknowledgement is cleared: the order may change before it is placed again.
    """
    order = document_lock(order)
    require_status(order, Status.APPROVED, action=_("unapproved"))
    require_revision(order, expected_revision)
    refuse_if_downstream(order, _live_receipts(order), action=_("unapproved"))
    order.acknowledged_at = None
    order.acknowledged_by = None
    order.supplier_reference = ""
    order.lines.update(confirmed_date=None)
    order.save(update_fields=["acknowledged_at", "acknowledged_by", "supplier_reference"])
    _publish_cancelled(order)
    mark_unapproved(order)
    return order


@transaction.atomic
def purchase_order_void(
    *, order: PurchaseOrder, actor: User | None, reason: str, expected_revision: int | None = None
) -> PurchaseOrder:
    """Void (作废) a saved order; what it took from requisitions is given back to them."""
    order = document_lock(order)
    require_status(order, Status.DRAFT, action=_("voided"))
    require_revision(order, expected_revision)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the order is voided.")})
    _release_requisitions(order)
    mark_voided(order, actor=actor_or_none(actor), reason=reason)
    return order


@transaction.atomic
def purchase_order_acknowledge(
    *,
    order: PurchaseOrder,
    actor: User,
    supplier_reference: str = "",
    lines: Iterable[dict] | None = None,
    expected_revision: int | None = None,
) -> PurchaseOrder:
    """Record the supplier's acknowledgement of a placed order, once.

    By the supplier's own user (a user of another partner gets a 404, as if the order did not
    exist) or by staff on its behalf. ``lines`` may confirm a date per line:
    ``[{"order_line": id, "confirmed_date": date}]``. A second acknowledgement is a 409.
    """
    partner_id = getattr(actor, "partner_id", None)
    if partner_id is not None and partner_id != order.supplier_id:
        raise NotFound(_("No such purchase order."))
    order = document_lock(order)
    require_status(order, Status.APPROVED, action=_("acknowledged"))
    require_revision(order, expected_revision)
    if order.acknowledged_at is not None:
        when = timezone.localtime(order.acknowledged_at).strftime("%Y-%m-%d")
        raise Conflict(
            _("Purchase order %(number)s was acknowledged already on %(when)s.")
            % {"number": order.number, "when": when},
            code="already_acknowledged",
        )
    own_lines = {line.pk: line for line in order.lines.all()}
    confirmed = {}
    for index, entry in enumerate(lines or [], start=1):
        if not isinstance(entry, dict):
            raise line_error(index, _("each line is an object of fields."))
        key = entry.get("order_line")
        key = getattr(key, "pk", key)
        try:
            key = int(key)
        except (TypeError, ValueError):
            raise line_error(index, _("give the order line's id.")) from None
        if key not in own_lines:
            raise line_error(index, _("the line is not on this order."))
        try:
            day = check_date(entry.get("confirmed_date"), field="confirmed_date")
        except ValidationError as exc:
            raise line_error(index, " ".join(exc.messages)) from None
        confirmed[key] = day
    for key, day in sorted(confirmed.items()):
        PurchaseOrderLine.objects.filter(pk=key).update(confirmed_date=day)
    order.acknowledged_at = timezone.now()
    order.acknowledged_by = actor_or_none(actor)
    order.supplier_reference = (supplier_reference or "").strip()[:64]
    mark_changed(order, ["acknowledged_at", "acknowledged_by", "supplier_reference"])
    return order


def _refuse_draft_receipts(order: PurchaseOrder, *, action: str) -> None:
    draft = order.receipts.filter(status=PurchaseReceipt.Status.DRAFT).order_by("pk").first()
    if draft is not None:
        raise Conflict(
            _(
                "Purchase order %(number)s cannot be %(action)s: receipt %(receipt)s is still "
                "saved; book or void it first."
            )
            % {"number": order.number, "action": action, "receipt": draft.number},
            code="has_draft_receipt",
        )


@transaction.atomic
def purchase_order_close(
    *,
    order: PurchaseOrder,
    actor: User | None,
    reason: str = "",
    expected_revision: int | None = None,
) -> PurchaseOrder:
    """Close the order (short-close): what is still open is no longer expected.

    A placed order with part received, or a received one, is closed; an order with nothing
    received is cancelled instead (409), and one with a saved receipt waits for it (409).
    The requisitions keep their ordered quantities.
    """
    order = document_lock(order)
    require_status(order, Status.APPROVED, Status.RECEIVED, action=_("closed"))
    require_revision(order, expected_revision)
    _refuse_draft_receipts(order, action=_("closed"))
    if order.status == Status.APPROVED and not order.lines.filter(received_quantity__gt=0).exists():
        raise Conflict(
            _("Nothing was received on purchase order %(number)s: cancel it instead.")
            % {"number": order.number},
            code="nothing_received",
        )
    _publish_cancelled(order)
    order.status = Status.CLOSED
    order.closed_at = timezone.now()
    order.closed_by = actor_or_none(actor)
    order.cancel_reason = (reason or "").strip()[:255]
    mark_changed(order, ["status", "closed_at", "closed_by", "cancel_reason"])
    return order


@transaction.atomic
def purchase_order_cancel(
    *,
    order: PurchaseOrder,
    actor: User | None,
    reason: str,
    expected_revision: int | None = None,
) -> PurchaseOrder:
    """Cancel a placed order of which nothing was received; requisitions get their need back."""
    order = document_lock(order)
    require_status(order, Status.APPROVED, action=_("cancelled"))
    require_revision(order, expected_revision)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the order is cancelled.")})
    refuse_if_downstream(order, _live_receipts(order), action=_("cancelled"))
    _release_requisitions(order)
    _publish_cancelled(order)
    order.status = Status.CANCELLED
    order.cancelled_at = timezone.now()
    order.cancelled_by = actor_or_none(actor)
    order.cancel_reason = reason.strip()[:255]
    mark_changed(order, ["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    return order


def purchase_order_is_received(order: PurchaseOrder) -> bool:
    """True when every line has reached its ordered quantity less the under-receipt tolerance."""
    factor = (Decimal("100") - order.under_receipt_tolerance) / Decimal("100")
    return all(line.received_quantity >= line.quantity * factor for line in order.lines.all())


def receipt_limit(order: PurchaseOrder, line: PurchaseOrderLine) -> Decimal:
    """The most that may be received on ``line``: ordered × (1 + over-receipt tolerance %)."""
    return line.quantity * (Decimal("100") + order.over_receipt_tolerance) / Decimal("100")
