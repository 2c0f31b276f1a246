"""Reads of sales: price lists and prices, orders, deliveries and a customer's credit position.

Used by the views, the API and the services alike; querysets carry their related rows so that
a list never issues a query per row.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Prefetch, Q, QuerySet, Sum

from common.errors import NotFound
from common.numbers import cents
from erp_core.ledger.models import JournalEntry, JournalLine, PostingKind
from erp_core.ledger.selectors import posting_accounts
from erp_core.models import Item, Partner
from erp_core.sales.models import (
    Delivery,
    DeliveryLine,
    PriceList,
    PriceListItem,
    SalesOrder,
    SalesOrderLine,
)

ZERO = Decimal("0")
MONEY_ZERO = Decimal("0.00")


# --- Price lists -------------------------------------------------------------------------------


def price_list_list(*, active: bool | None = None, search: str = "") -> QuerySet[PriceList]:
    """Price lists by code, with their currency; optionally only the active ones or a search."""
    qs = PriceList.objects.select_related("currency").order_by("code")
    if active is not None:
        qs = qs.filter(is_active=active)
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return qs


def price_list_detail_list() -> QuerySet[PriceList]:
    """Price lists with their rows (and the rows' items) prefetched."""
    return price_list_list().prefetch_related(
        Prefetch(
            "items",
            queryset=PriceListItem.objects.select_related("item", "item__unit").order_by(
                "item__code", "min_quantity"
            ),
        )
    )


def price_list_valid_on(price_list: PriceList, date: dt.date) -> bool:
    """Whether ``price_list`` is active and its validity covers ``date``."""
    if not price_list.is_active:
        return False
    if price_list.valid_from and date < price_list.valid_from:
        return False
    return not (price_list.valid_to and date > price_list.valid_to)


def price_list_default(*, date: dt.date) -> PriceList | None:
    """The default price list if it is active and valid on ``date``; otherwise none."""
    price_list = PriceList.objects.filter(is_default=True).first()
    if price_list is None or not price_list_valid_on(price_list, date):
        return None
    return price_list


def price_for(
    *, item: Item, quantity: Decimal, date: dt.date, price_list: PriceList | None = None
) -> Decimal:
    """The unit price (excl. VAT) of ``quantity`` of ``item`` on ``date``.

    The order's price list, or the default one valid on the date: its row for the item with
    the largest minimum quantity not above ``quantity`` (a quantity break). Without such a row,
    the item's list price.
    """
    if price_list is None:
        price_list = price_list_default(date=date)
    if price_list is not None:
        row = (
            PriceListItem.objects.filter(
                price_list=price_list, item=item, min_quantity__lte=quantity
            )
            .order_by("-min_quantity")
            .first()
        )
        if row is not None:
            return row.unit_price
    return item.list_price


# --- Sales orders ------------------------------------------------------------------------------


def _with_totals(qs: QuerySet[SalesOrder]) -> QuerySet[SalesOrder]:
    return qs.annotate(
        total_net=Sum("lines__net_amount", default=MONEY_ZERO),
        total_tax=Sum("lines__tax_amount", default=MONEY_ZERO),
        total_gross=Sum("lines__gross_amount", default=MONEY_ZERO),
    )


def sales_order_list(
    *,
    status: str | None = None,
    customer: Partner | int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    search: str = "",
) -> QuerySet[SalesOrder]:
    """Sales orders, newest first, with customer, warehouse and totals; filtered as asked."""
    qs = SalesOrder.objects.select_related("customer", "warehouse", "price_list")
    if status:
        qs = qs.filter(status=status)
    if customer:
        qs = qs.filter(customer=customer)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if search:
        qs = qs.filter(
            Q(number__icontains=search)
            | Q(customer_reference__icontains=search)
            | Q(customer__name__icontains=search)
        )
    return _with_totals(qs).order_by("-date", "-id")


def sales_order_detail_list() -> QuerySet[SalesOrder]:
    """Orders with everything a detail view shows: lines (items, VAT codes) and users."""
    return (
        SalesOrder.objects.select_related(
            "customer",
            "warehouse",
            "price_list",
            "created_by",
            "approved_by",
            "voided_by",
            "credit_override_by",
        )
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=SalesOrderLine.objects.select_related(
                    "item", "item__unit", "tax_code"
                ).order_by("line_no"),
            )
        )
        .order_by("-date", "-id")
    )


def sales_order_get(*, pk: int) -> SalesOrder:
    """One order with its lines; ``NotFound`` when it does not exist."""
    order = sales_order_detail_list().filter(pk=pk).first()
    if order is None:
        raise NotFound(f"Sales order {pk} does not exist.")
    return order


def sales_orders_for_quotes(quote_ids: list[int]) -> dict[int, SalesOrder]:
    """The sales order made from each CRM quote id that has one (one query for them all)."""
    orders = SalesOrder.objects.filter(crm_quote_id__in=quote_ids).order_by("pk")
    return {order.crm_quote_id: order for order in orders}


def sales_order_is_delivered(order: SalesOrder) -> bool:
    """A confirmed order with nothing left open on any line (delivered or closed short)."""
    lines = list(order.lines.all())
    return bool(lines) and all(line.open_quantity == 0 for line in lines)


def sales_order_has_deliveries(order: SalesOrder) -> bool:
    """Whether a delivery (saved or shipped, not voided) was made from the order."""
    return order.deliveries.exclude(status=Delivery.Status.VOIDED).exists()


# --- Deliveries --------------------------------------------------------------------------------


def delivery_list(
    *,
    status: str | None = None,
    customer: Partner | int | None = None,
    sales_order: SalesOrder | int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    search: str = "",
) -> QuerySet[Delivery]:
    """Deliveries, newest first, with customer, order and warehouse; filtered as asked."""
    qs = Delivery.objects.select_related("customer", "sales_order", "warehouse")
    if status:
        qs = qs.filter(status=status)
    if customer:
        qs = qs.filter(customer=customer)
    if sales_order:
        qs = qs.filter(sales_order=sales_order)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if search:
        qs = qs.filter(
            Q(number__icontains=search)
            | Q(sales_order__number__icontains=search)
            | Q(shipment_reference__icontains=search)
            | Q(customer__name__icontains=search)
        )
    return qs.order_by("-date", "-id")


def delivery_detail_list() -> QuerySet[Delivery]:
    """Deliveries with their lines (order lines, items, stock moves) and users."""
    return (
        Delivery.objects.select_related(
            "customer", "sales_order", "warehouse", "created_by", "approved_by", "voided_by"
        )
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=DeliveryLine.objects.select_related(
                    "item", "item__unit", "sales_order_line", "stock_move"
                ).order_by("line_no"),
            )
        )
        .order_by("-date", "-id")
    )


# --- Credit ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreditPosition:
    """What a customer owes or is committed to, against its credit limit (all incl. VAT).

    ``limit`` 0 means no limit: such a customer is never blocked.
    """

    limit: Decimal
    receivable: Decimal
    open_orders: Decimal
    uninvoiced_deliveries: Decimal
    this_order: Decimal

    @property
    def exposure(self) -> Decimal:
        """Everything counted against the limit, this order included."""
        return self.receivable + self.open_orders + self.uninvoiced_deliveries + self.this_order

    @property
    def unlimited(self) -> bool:
        """A limit of 0 means the customer has no credit limit."""
        return self.limit <= 0

    @property
    def exceeded(self) -> bool:
        """Whether confirming would take the customer over its limit."""
        return not self.unlimited and self.exposure > self.limit

    @property
    def excess(self) -> Decimal:
        """By how much the limit would be exceeded (0 when it is not)."""
        return max(self.exposure - self.limit, ZERO) if not self.unlimited else ZERO


def customer_receivable(*, customer: Partner) -> Decimal:
    """The customer's balance on the receivables account (1122): posted debits − credits.

    The account is the debit side of the sales-revenue posting rule. Without seeded posting
    rules there are no books, so the receivable is 0.
    """
    try:
        account = posting_accounts(kind=PostingKind.SALES_REVENUE).debit
    except NotFound:
        return MONEY_ZERO
    sums = JournalLine.objects.filter(
        account=account, partner=customer, entry__status=JournalEntry.Status.POSTED
    ).aggregate(debit=Sum("debit", default=MONEY_ZERO), credit=Sum("credit", default=MONEY_ZERO))
    return cents(sums["debit"] - sums["credit"])


def _share(gross: Decimal, part: Decimal, whole: Decimal) -> Decimal:
    """The share ``part / whole`` of a line's gross amount, to the cent."""
    if whole <= 0 or part <= 0:
        return MONEY_ZERO
    return cents(gross * part / whole)


def customer_open_orders_gross(*, customer: Partner, exclude: SalesOrder | None = None) -> Decimal:
    """Gross value of what the customer's confirmed orders still have open (undelivered)."""
    rows = SalesOrderLine.objects.filter(
        order__customer=customer, order__status=SalesOrder.Status.APPROVED
    )
    if exclude is not None and exclude.pk:
        rows = rows.exclude(order=exclude)
    total = MONEY_ZERO
    for gross, quantity, delivered, closed in rows.values_list(
        "gross_amount", "quantity", "delivered_quantity", "closed_quantity"
    ):
        total += _share(gross, quantity - delivered - closed, quantity)
    return total


def customer_uninvoiced_gross(*, customer: Partner) -> Decimal:
    """Gross value of shipped delivery lines not yet invoiced, at their order lines' prices."""
    rows = DeliveryLine.objects.filter(
        delivery__customer=customer,
        delivery__status=Delivery.Status.APPROVED,
        invoiced_quantity__lt=F("quantity"),
    )
    total = MONEY_ZERO
    for quantity, invoiced, gross, ordered in rows.values_list(
        "quantity",
        "invoiced_quantity",
        "sales_order_line__gross_amount",
        "sales_order_line__quantity",
    ):
        total += _share(gross, quantity - invoiced, ordered)
    return total


def order_gross(order: SalesOrder) -> Decimal:
    """The order's total incl. VAT (the sum of its rounded lines)."""
    return cents(order.lines.aggregate(total=Sum("gross_amount", default=MONEY_ZERO))["total"])


def credit_position(*, order: SalesOrder) -> CreditPosition:
    """The customer's credit position if ``order`` (not yet confirmed) were confirmed."""
    customer = order.customer
    limit = customer.credit_limit or ZERO
    return CreditPosition(
        limit=limit,
        receivable=customer_receivable(customer=customer),
        open_orders=customer_open_orders_gross(customer=customer, exclude=order),
        uninvoiced_deliveries=customer_uninvoiced_gross(customer=customer),
        this_order=order_gross(order),
    )
