"""Sales order services: save, confirm (审核) with the credit check, unconfirm, void, close, cancel.

Status flow: draft → approved (confirmed) → closed or cancelled; draft → voided; approved →
draft (反审核) while no delivery exists. Confirming publishes ``erp.sales_order_confirmed``;
unconfirming, closing and cancelling publish ``erp.sales_order_cancelled`` for what was still
open, so the warehouse drops what it planned or reserved.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from common.numbers import parse_decimal
from erp_core.documents.amounts import checked_totals, line_amounts
from erp_core.documents.services import (
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
from erp_core.masterdata.quantities import unit_decimals_check
from erp_core.models import Item, Partner, TaxCode, User, Warehouse
from erp_core.sales import selectors
from erp_core.sales.models import Delivery, PriceList, SalesOrder, SalesOrderLine
from erp_core.sales.services._common import (
    ZERO,
    CreditOverrideForbidden,
    check_customer,
    check_tax_code,
    check_warehouse,
)
from integration import topics
from integration.bus import publish

Status = SalesOrder.Status
OVERRIDE_PERMISSION = "sales.override_credit_limit"
ORDER_FIELDS = (
    "customer",
    "warehouse",
    "date",
    "price_list",
    "customer_reference",
    "requested_date",
    "promised_date",
    "payment_terms_days",
    "memo",
)


_LINE_FIELD = SalesOrderLine._meta.get_field

# --- Lines -------------------------------------------------------------------------------------


def _check_price_list(price_list: PriceList | None, date: dt.date) -> None:
    if price_list is not None and not selectors.price_list_valid_on(price_list, date):
        raise ValidationError(
            {"price_list": _("The price list %(code)s is not valid on %(date)s.")
             % {"code": price_list.code, "date": date}}
        )  # fmt: skip


def _build_lines(order: SalesOrder, lines: list[dict]) -> list[SalesOrderLine]:
    """Checked, priced, unsaved lines of ``order``.

    A line without a unit price takes the price list's (quantity breaks) or the item's list
    price; the VAT code defaults to the item's and its rate is copied onto the line.
    """
    if not lines:
        raise ValidationError({"lines": _("An order needs at least one line.")})
    built: list[SalesOrderLine] = []
    for number, data in enumerate(lines, start=1):
        label = _("Line %(n)s") % {"n": number}
        item: Item = data["item"]
        if not item.is_active:
            raise ValidationError(
                {"lines": _("%(line)s: the item %(item)s is inactive.")
                 % {"line": label, "item": item.code}}
            )  # fmt: skip
        quantity = parse_decimal(
            data.get("quantity"), field="lines", bounds=_LINE_FIELD("quantity"), min_value=ZERO
        )
        unit_decimals_check(item, quantity, field="lines")
        if quantity <= 0:
            raise ValidationError(
                {"lines": _("%(line)s: the quantity must be greater than zero.") % {"line": label}}
            )
        discount = parse_decimal(
            data.get("discount_percent") or ZERO,
            field="lines",
            bounds=_LINE_FIELD("discount_percent"),
        )
        unit_price = data.get("unit_price")
        if unit_price is None or unit_price == "":
            unit_price = selectors.price_for(
                item=item, quantity=quantity, date=order.date, price_list=order.price_list
            )
        unit_price = parse_decimal(unit_price, field="lines", bounds=_LINE_FIELD("unit_price"))
        tax_code: TaxCode | None = data.get("tax_code") or item.vat
        check_tax_code(tax_code, label=label)
        tax_rate = tax_code.rate if tax_code is not None else ZERO
        amounts = line_amounts(
            quantity=quantity, unit_price=unit_price, discount_percent=discount, tax_rate=tax_rate
        )
        built.append(
            SalesOrderLine(
                order=order,
                line_no=number,
                item=item,
                description=(data.get("description") or "")[:255],
                quantity=quantity,
                unit_price=unit_price,
                discount_percent=discount,
                tax_code=tax_code,
                tax_rate=tax_rate,
                net_amount=amounts.net,
                tax_amount=amounts.tax,
                gross_amount=amounts.gross,
                requested_date=data.get("requested_date") or order.requested_date,
                promised_date=data.get("promised_date") or order.promised_date,
            )
        )
    checked_totals(built)
    return built


def _check_head(order: SalesOrder) -> None:
    document_date_check(order.date)
    check_customer(order.customer)
    check_warehouse(order.warehouse)
    _check_price_list(order.price_list, order.date)
    if order.requested_date and order.requested_date < order.date:
        raise ValidationError({"requested_date": _("The requested date is before the order.")})
    if order.promised_date and order.promised_date < order.date:
        raise ValidationError({"promised_date": _("The promised date is before the order.")})


# --- Save --------------------------------------------------------------------------------------


@transaction.atomic
def sales_order_create(
    *,
    customer: Partner,
    warehouse: Warehouse,
    date: dt.date,
    lines: list[dict],
    price_list: PriceList | None = None,
    customer_reference: str = "",
    requested_date: dt.date | None = None,
    promised_date: dt.date | None = None,
    payment_terms_days: int | None = None,
    memo: str = "",
    crm_quote_id: int | None = None,
    source_event_id: str | None = None,
    actor: User | None = None,
) -> SalesOrder:
    """Save a new order (draft) with its lines, numbered ``SO-<year>-<n>``.

    ``lines``: dicts of ``item``, ``quantity`` and optionally ``unit_price``,
    ``discount_percent``, ``tax_code``, ``description``, ``requested_date``, ``promised_date``.
    """
    order = SalesOrder(
        customer=customer,
        warehouse=warehouse,
        date=date,
        price_list=price_list,
        customer_reference=(customer_reference or "").strip(),
        requested_date=requested_date,
        promised_date=promised_date,
        payment_terms_days=(
            customer.payment_terms_days if payment_terms_days is None else payment_terms_days
        ),
        memo=(memo or "").strip(),
        crm_quote_id=crm_quote_id,
        source_event_id=source_event_id,
        created_by=actor,
        status=Status.DRAFT,
    )
    _check_head(order)
    built = _build_lines(order, lines)
    order.number = document_number_next(kind=SalesOrder.NUMBER_PREFIX, date=date)
    order.save()
    SalesOrderLine.objects.bulk_create(built)
    return order


@transaction.atomic
def sales_order_update(
    *,
    order: SalesOrder,
    lines: list[dict] | None = None,
    expected_revision: int | None = None,
    actor: User | None = None,
    **fields,
) -> SalesOrder:
    """Change a saved (draft) order; ``lines`` (when given) replaces all its lines.

    Refused with 409 once confirmed, or when the order changed since ``expected_revision``.
    """
    unknown = set(fields) - set(ORDER_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    order = document_lock(order)
    require_status(order, Status.DRAFT, action=_("changed"))
    require_revision(order, expected_revision)
    for name, value in fields.items():
        if name in ("customer_reference", "memo"):
            value = (value or "").strip()
        setattr(order, name, value)
    if order.payment_terms_days is None:
        order.payment_terms_days = order.customer.payment_terms_days
    _check_head(order)
    # Without new lines the saved lines keep their prices, even under a new date or price list.
    built = None if lines is None else _build_lines(order, lines)
    mark_changed(order, list(fields))
    if built is not None:
        order.lines.all().delete()
        SalesOrderLine.objects.bulk_create(built)
    return order


# --- Confirm and back --------------------------------------------------------------------------


def _event_lines(lines, *, quantity_of) -> list[dict]:
    """The stocked lines as the warehouse needs them (services are not shipped from stock)."""
    return [
        {
            "sales_order_line_id": line.pk,
            "item_id": line.item_id,
            "quantity": str(quantity_of(line)),
        }
        for line in lines
        if not line.item.is_service and quantity_of(line) > 0
    ]


def _publish_cancelled(order: SalesOrder, lines: list[dict]) -> None:
    if lines:
        publish(
            topic=topics.sales_order_cancelled,
            payload={"sales_order_id": order.pk, "customer_id": order.customer_id, "lines": lines},
        )


def _credit_message(position: selectors.CreditPosition, customer: Partner) -> str:
    return _(
        "The credit limit of %(customer)s is exceeded: limit %(limit)s, receivable "
        "%(receivable)s, open orders %(open)s, shipped not invoiced %(shipped)s, this order "
        "%(order)s, exposure %(exposure)s (over by %(excess)s). A user allowed to override "
        "credit limits (Finance) may confirm it with a reason."
    ) % {
        "customer": customer,
        "limit": f"{position.limit:.2f}",
        "receivable": f"{position.receivable:.2f}",
        "open": f"{position.open_orders:.2f}",
        "shipped": f"{position.uninvoiced_deliveries:.2f}",
        "order": f"{position.this_order:.2f}",
        "exposure": f"{position.exposure:.2f}",
        "excess": f"{position.excess:.2f}",
    }


@transaction.atomic
def sales_order_approve(
    *,
    order: SalesOrder,
    actor: User | None,
    expected_revision: int | None = None,
    override_credit: bool = False,
    override_reason: str = "",
) -> SalesOrder:
    """Confirm (审核) a saved order after the customer's credit check; publish what to deliver.

    Over the credit limit the confirmation is refused (409 ``credit_limit_exceeded``) unless a
    user with ``sales.override_credit_limit`` overrides it with a reason, which is recorded.
    """
    override_reason = (override_reason or "").strip()
    if override_credit:
        if actor is None or not actor.has_perm(OVERRIDE_PERMISSION):
            raise CreditOverrideForbidden(
                _("Only a user allowed to override credit limits (Finance) may do this.")
            )
        if not override_reason:
            raise ValidationError({"override_reason": _("Say why the credit limit is overridden.")})
    order = document_lock(order)
    require_status(order, Status.DRAFT, action=_("confirmed"))
    require_revision(order, expected_revision)
    lines = list(order.lines.select_related("item").order_by("line_no"))
    if not lines:
        raise ValidationError({"lines": _("An order without lines cannot be confirmed.")})
    check_customer(order.customer)
    check_warehouse(order.warehouse)
    inactive = [line.item.code for line in lines if not line.item.is_active]
    if inactive:
        raise ValidationError(
            {
                "lines": _("Inactive items cannot be sold: %(items)s.")
                % {"items": ", ".join(inactive)}
            }
        )
    override_by, reason = None, ""
    if order.customer.credit_limit > 0:
        # One credit check per customer at a time, so two orders cannot both fit the last room.
        Partner.objects.select_for_update().filter(pk=order.customer_id).first()
        position = selectors.credit_position(order=order)
        if position.exceeded:
            if not override_credit:
                raise Conflict(
                    _credit_message(position, order.customer), code="credit_limit_exceeded"
                )
            override_by, reason = actor, override_reason[:255]
    order.credit_override_by = override_by
    order.credit_override_reason = reason
    mark_approved(order, actor=actor)
    SalesOrder.objects.filter(pk=order.pk).update(
        credit_override_by=override_by, credit_override_reason=reason
    )
    payload = {
        "sales_order_id": order.pk,
        "customer_id": order.customer_id,
        "lines": [
            {
                "sales_order_line_id": line.pk,
                "item_id": line.item_id,
                "quantity": str(line.quantity),
                "promised_date": _iso(line.promised_date or order.promised_date),
            }
            for line in lines
            if not line.item.is_service
        ],
    }
    if order.promised_date:
        payload["promised_date"] = order.promised_date.isoformat()
    publish(topic=topics.sales_order_confirmed, payload=payload)
    return order


def _open(line: SalesOrderLine) -> Decimal:
    return line.open_quantity


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


@transaction.atomic
def sales_order_unapprove(
    *, order: SalesOrder, actor: User | None, expected_revision: int | None = None
) -> SalesOrder:
    """Take the confirmation back (反审核) while no delivery was made from the order.

    Publishes ``erp.sales_order_cancelled`` so the warehouse drops what it planned; a credit
    override is forgotten (the next confirmation is checked again).
    """
    order = document_lock(order)
    require_status(order, Status.APPROVED, action=_("unconfirmed"))
    require_revision(order, expected_revision)
    refuse_if_downstream(
        order,
        order.deliveries.exclude(status=Delivery.Status.VOIDED).order_by("pk"),
        action=_("unconfirmed"),
    )
    lines = list(order.lines.select_related("item").order_by("line_no"))
    mark_unapproved(order)
    SalesOrder.objects.filter(pk=order.pk).update(
        credit_override_by=None, credit_override_reason=""
    )
    order.credit_override_by, order.credit_override_reason = None, ""
    _publish_cancelled(order, _event_lines(lines, quantity_of=_open))
    return order


@transaction.atomic
def sales_order_void(
    *, order: SalesOrder, actor: User | None, reason: str, expected_revision: int | None = None
) -> SalesOrder:
    """Void (作废) a saved order with a reason; it keeps its number and takes no further part."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the order is voided.")})
    order = document_lock(order)
    require_status(order, Status.DRAFT, action=_("voided"))
    require_revision(order, expected_revision)
    mark_voided(order, actor=actor, reason=reason)
    return order


@transaction.atomic
def sales_order_close(
    *, order: SalesOrder, actor: User | None, expected_revision: int | None = None
) -> SalesOrder:
    """Close a confirmed order: what was not delivered is given up (closed short).

    Refused while a saved (unshipped) delivery of the order exists: ship or void it first.
    Publishes ``erp.sales_order_cancelled`` for the open lines so reservations are released.
    """
    order = document_lock(order)
    require_status(order, Status.APPROVED, action=_("closed"))
    require_revision(order, expected_revision)
    pending = order.deliveries.filter(status=Delivery.Status.DRAFT).order_by("pk").first()
    if pending is not None:
        raise Conflict(
            _("%(order)s cannot be closed: delivery %(delivery)s is saved but not shipped; ship "
              "or void it first.") % {"order": order.number, "delivery": pending.number},
            code="has_draft_delivery",
        )  # fmt: skip
    lines = list(order.lines.select_for_update().select_related("item").order_by("pk"))
    released = _event_lines(lines, quantity_of=_open)
    for line in lines:
        if line.open_quantity > 0:
            line.closed_quantity += line.open_quantity
            SalesOrderLine.objects.filter(pk=line.pk).update(closed_quantity=line.closed_quantity)
    order.status = Status.CLOSED
    order.closed_at = timezone.now()
    mark_changed(order, ["status", "closed_at"])
    _publish_cancelled(order, released)
    return order


@transaction.atomic
def sales_order_cancel(
    *, order: SalesOrder, actor: User | None, expected_revision: int | None = None
) -> SalesOrder:
    """Cancel a confirmed order of which nothing was delivered; release what was reserved.

    A delivery made from it (saved or shipped) refuses the cancellation: close it instead.
    """
    order = document_lock(order)
    require_status(order, Status.APPROVED, action=_("cancelled"))
    require_revision(order, expected_revision)
    refuse_if_downstream(
        order,
        order.deliveries.exclude(status=Delivery.Status.VOIDED).order_by("pk"),
        action=_("cancelled"),
    )
    lines = list(order.lines.select_for_update().select_related("item").order_by("pk"))
    released = _event_lines(lines, quantity_of=_open)
    for line in lines:
        line.closed_quantity = line.quantity - line.delivered_quantity
        SalesOrderLine.objects.filter(pk=line.pk).update(closed_quantity=line.closed_quantity)
    order.status = Status.CANCELLED
    order.closed_at = timezone.now()
    mark_changed(order, ["status", "closed_at"])
    _publish_cancelled(order, released)
    return order
