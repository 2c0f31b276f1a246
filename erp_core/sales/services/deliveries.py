"""Delivery services: save a delivery against a confirmed order, ship it (审核), void a draft.

Shipping issues each stocked line from the warehouse (a ``shipment`` stock move, which posts
cost of goods sold) and adds the quantity to the order line's delivered quantity, re-checked
under the order's lock so that two deliveries never ship more than was ordered. A shipped
delivery is not taken back: goods coming back are a return, a document of its own.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from common.numbers import parse_decimal
from common.templatetags.numbers import qty
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
from erp_core.masterdata.quantities import unit_decimals_check
from erp_core.models import User, Warehouse
from erp_core.sales.models import Delivery, DeliveryLine, SalesOrder, SalesOrderLine
from erp_core.sales.services._common import ZERO, check_warehouse
from erp_core.stock.models import StockMove
from erp_core.stock.services import MoveLine, Source, stock_moves_book

Status = Delivery.Status
SOURCE_TYPE = "sales.delivery"
DELIVERY_FIELDS = ("date", "warehouse", "memo", "shipment_reference")


def _require_confirmed(order: SalesOrder) -> None:
    if order.status != SalesOrder.Status.APPROVED:
        raise Conflict(
            _("%(order)s is %(status)s: only a confirmed order is delivered.")
            % {"order": order.number, "status": order.get_status_display().lower()},
            code="invalid_status",
        )


def _build_lines(delivery: Delivery, order: SalesOrder, lines: list[dict]) -> list[DeliveryLine]:
    """Checked, unsaved lines: each a line of ``order``, once, within its open quantity."""
    if not lines:
        raise ValidationError({"lines": _("A delivery needs at least one line.")})
    order_lines = {line.pk: line for line in order.lines.select_related("item")}
    built: list[DeliveryLine] = []
    seen: set[int] = set()
    for number, data in enumerate(lines, start=1):
        label = _("Line %(n)s") % {"n": number}
        source = data["sales_order_line"]
        source_pk = source.pk if isinstance(source, SalesOrderLine) else int(source)
        order_line = order_lines.get(source_pk)
        if order_line is None:
            raise ValidationError(
                {"lines": _("%(line)s: that line is not on order %(order)s.")
                 % {"line": label, "order": order.number}}
            )  # fmt: skip
        if source_pk in seen:
            raise ValidationError(
                {"lines": _("%(line)s: order line %(no)s is listed twice.")
                 % {"line": label, "no": order_line.line_no}}
            )  # fmt: skip
        seen.add(source_pk)
        quantity = parse_decimal(
            data.get("quantity"),
            field="lines",
            bounds=DeliveryLine._meta.get_field("quantity"),
            min_value=ZERO,
        )
        unit_decimals_check(order_line.item, quantity, field="lines")
        if quantity <= 0:
            raise ValidationError(
                {"lines": _("%(line)s: the quantity must be greater than zero.") % {"line": label}}
            )
        if quantity > order_line.open_quantity:
            raise ValidationError(
                {"lines": _("%(line)s: %(quantity)s of %(item)s is more than the %(open)s still "
                            "open on the order.")
                 % {"line": label, "quantity": qty(quantity), "item": order_line.item.code,
                    "open": qty(order_line.open_quantity)}}
            )  # fmt: skip
        built.append(
            DeliveryLine(
                delivery=delivery,
                line_no=number,
                sales_order_line=order_line,
                item=order_line.item,
                quantity=quantity,
            )
        )
    return built


def delivery_refuse_if_operated(warehouse: Warehouse) -> None:
    """Refuse (409) shipping by hand from a warehouse whose shipping a front module does (WMS):
    the order waits for that module's event, which books the delivery."""
    operator = registry.stock_operator(warehouse.pk)
    if operator:
        raise Conflict(
            _(
                "Goods from warehouse %(warehouse)s are shipped by the warehouse in "
                "%(operator)s: the delivery is booked when the warehouse dispatches it there."
            )
            % {"warehouse": warehouse.code, "operator": operator},
            code="shipped_by_warehouse",
        )


@transaction.atomic
def delivery_create(
    *,
    sales_order: SalesOrder,
    lines: list[dict],
    date: dt.date,
    warehouse: Warehouse | None = None,
    memo: str = "",
    shipment_reference: str = "",
    source_event_id: str | None = None,
    actor: User | None = None,
) -> Delivery:
    """Save a delivery (draft) of a confirmed order, numbered ``DN-<year>-<n>``.

    ``lines``: dicts of ``sales_order_line`` (a line of the order, or its id) and ``quantity``,
    at most what the order line still has open. Saved deliveries reserve nothing: shipping
    checks the open quantity again.
    """
    order = document_lock(sales_order)
    _require_confirmed(order)
    warehouse = warehouse or order.warehouse
    check_warehouse(warehouse)
    document_date_check(date)
    if source_event_id is None:
        delivery_refuse_if_operated(warehouse)
    if date < order.date:
        raise ValidationError({"date": _("A delivery cannot be dated before its order.")})
    delivery = Delivery(
        customer=order.customer,
        sales_order=order,
        warehouse=warehouse,
        date=date,
        memo=(memo or "").strip(),
        shipment_reference=(shipment_reference or "").strip()[:64],
        source_event_id=source_event_id,
        created_by=actor,
        status=Status.DRAFT,
    )
    built = _build_lines(delivery, order, lines)
    delivery.number = document_number_next(kind=Delivery.NUMBER_PREFIX, date=date)
    delivery.save()
    DeliveryLine.objects.bulk_create(built)
    return delivery


@transaction.atomic
def delivery_update(
    *,
    delivery: Delivery,
    lines: list[dict] | None = None,
    expected_revision: int | None = None,
    actor: User | None = None,
    **fields,
) -> Delivery:
    """Change a saved delivery; ``lines`` (when given) replaces all its lines."""
    unknown = set(fields) - set(DELIVERY_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    delivery = document_lock(delivery)
    require_status(delivery, Status.DRAFT, action=_("changed"))
    require_revision(delivery, expected_revision)
    order = document_lock(delivery.sales_order)
    _require_confirmed(order)
    for name, value in fields.items():
        if name in ("memo", "shipment_reference"):
            value = (value or "").strip()
        setattr(delivery, name, value)
    check_warehouse(delivery.warehouse)
    document_date_check(delivery.date)
    if delivery.date < order.date:
        raise ValidationError({"date": _("A delivery cannot be dated before its order.")})
    built = None if lines is None else _build_lines(delivery, order, lines)
    mark_changed(delivery, list(fields))
    if built is not None:
        delivery.lines.all().delete()
        DeliveryLine.objects.bulk_create(built)
    return delivery


def _moved_at(delivery: Delivery, moved_at: dt.datetime | None) -> dt.datetime | None:
    """When the goods left: the given time, now for today's delivery, else the day's end."""
    if moved_at is not None:
        return moved_at
    today = timezone.localdate()
    if delivery.date > today:
        raise ValidationError({"date": _("A delivery dated in the future cannot be shipped yet.")})
    if delivery.date == today:
        return None
    return timezone.make_aware(dt.datetime.combine(delivery.date, dt.time(23, 59, 59)))


@transaction.atomic
def delivery_approve(
    *,
    delivery: Delivery,
    actor: User | None,
    expected_revision: int | None = None,
    moved_at: dt.datetime | None = None,
    event_id: str | None = None,
) -> Delivery:
    """Ship (审核) a saved delivery: issue the goods, count them delivered on the order.

    Each stocked line is issued from the delivery's warehouse as a shipment (cost of goods
    sold is posted by the stock ledger); a service line issues nothing. Refused (400) beyond
    the order line's open quantity or the stock on hand, and (409) unless the order is still
    confirmed.
    """
    delivery = document_lock(delivery)
    require_status(delivery, Status.DRAFT, action=_("shipped"))
    require_revision(delivery, expected_revision)
    order = document_lock(delivery.sales_order)
    _require_confirmed(order)
    when = _moved_at(delivery, moved_at)
    lines = list(delivery.lines.select_related("item", "item__category").order_by("line_no"))
    if not lines:
        raise ValidationError({"lines": _("A delivery without lines cannot be shipped.")})
    order_lines = {
        line.pk: line
        for line in SalesOrderLine.objects.select_for_update()
        .filter(pk__in=[line.sales_order_line_id for line in lines])
        .order_by("pk")
    }
    warehouse = delivery.warehouse
    check_warehouse(warehouse)
    if event_id is None and delivery.source_event_id is None:
        delivery_refuse_if_operated(warehouse)
    source = Source(type=SOURCE_TYPE, id=str(delivery.pk), event_id=event_id)
    for line in lines:
        order_line = order_lines[line.sales_order_line_id]
        if line.quantity > order_line.open_quantity:
            raise ValidationError(
                {"lines": _("Line %(n)s: %(quantity)s of %(item)s is more than the %(open)s "
                            "still open on the order.")
                 % {"n": line.line_no, "quantity": qty(line.quantity),
                    "item": line.item.code, "open": qty(order_line.open_quantity)}}
            )  # fmt: skip
        order_line.delivered_quantity += line.quantity
    # The stocked lines are one batch: one journal entry for the delivery, not one a line.
    stocked = [line for line in lines if not line.item.is_service]
    if stocked:
        moves = stock_moves_book(
            lines=[
                MoveLine(
                    item=line.item,
                    warehouse=warehouse,
                    quantity=-line.quantity,
                    reason=StockMove.Reason.SHIPMENT,
                    moved_at=when,
                    source=source,
                )
                for line in stocked
            ],
            actor=actor,
        )
        for line, move in zip(stocked, moves, strict=True):
            line.stock_move = move
            DeliveryLine.objects.filter(pk=line.pk).update(stock_move=move)
    for line in lines:
        SalesOrderLine.objects.filter(pk=line.sales_order_line_id).update(
            delivered_quantity=F("delivered_quantity") + line.quantity
        )
    mark_approved(delivery, actor=actor)
    return delivery


@transaction.atomic
def delivery_unapprove(
    *, delivery: Delivery, actor: User | None, expected_revision: int | None = None
) -> Delivery:
    """Always refused (409): shipped goods come back through a return, a document of its own."""
    delivery = document_lock(delivery)
    if delivery.status == Status.APPROVED:
        raise Conflict(
            _(
                "%(delivery)s was shipped: a shipment is not taken back; book goods that come "
                "back with a stock adjustment and credit the invoice."
            )
            % {"delivery": delivery.number},
            code="shipped",
        )
    require_status(delivery, Status.APPROVED, action=_("unshipped"))
    return delivery  # not reached: require_status refuses every other status


@transaction.atomic
def delivery_void(
    *, delivery: Delivery, actor: User | None, reason: str, expected_revision: int | None = None
) -> Delivery:
    """Void (作废) a saved delivery with a reason; a shipped one is refused."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the delivery is voided.")})
    delivery = document_lock(delivery)
    if delivery.status == Status.APPROVED:
        raise Conflict(
            _(
                "%(delivery)s was shipped: it cannot be voided; book goods that come back with "
                "a stock adjustment and credit the invoice."
            )
            % {"delivery": delivery.number},
            code="shipped",
        )
    require_status(delivery, Status.DRAFT, action=_("voided"))
    require_revision(delivery, expected_revision)
    mark_voided(delivery, actor=actor, reason=reason)
    return delivery
