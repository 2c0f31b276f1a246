"""Minimal documents for the billing tests: shipped deliveries and received purchase receipts,
built with the ORM (approved = shipped or received), and billing documents through the
services."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from erp_core.billing import services
from erp_core.billing.models import Invoice, Payment
from erp_core.documents.amounts import line_amounts
from erp_core.models import Item, Partner, TaxCode, Warehouse
from erp_core.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
)
from erp_core.sales.models import Delivery, DeliveryLine, SalesOrder, SalesOrderLine
from erp_core.stock.services import Source, stock_receipt
from erp_core.testing.books import BOOKS_DAY
from erp_core.tests.factories import ItemFactory, PartnerFactory, TaxCodeFactory

D = Decimal
TODAY = BOOKS_DAY
_numbers = itertools.count(1)


def customer(**fields) -> Partner:
    """A customer with VAT invoice fields and 30 days' terms."""
    fields.setdefault("kind", Partner.Kind.CUSTOMER)
    fields.setdefault("invoice_title", "上海客户有限公司")
    fields.setdefault("invoice_address_phone", "上海市浦东新区 021-5555 0000")
    fields.setdefault("bank_name", "工商银行")
    fields.setdefault("bank_account", "6222 0000 1111")
    return PartnerFactory(**fields)


def supplier(**fields) -> Partner:
    """A supplier."""
    fields.setdefault("kind", Partner.Kind.SUPPLIER)
    return PartnerFactory(**fields)


def vat13() -> TaxCode:
    return TaxCodeFactory()


def item(**fields) -> Item:
    return ItemFactory(**fields)


def _warehouse() -> Warehouse:
    warehouse, _created = Warehouse.objects.get_or_create(code="BILL", defaults={"name": "Main"})
    return warehouse


def _number(prefix: str) -> str:
    return f"{prefix}-T-{next(_numbers):06d}"


def shipped_delivery(
    partner: Partner,
    lines: list[tuple],
    *,
    day: dt.date = TODAY,
    status: str = Delivery.Status.APPROVED,
) -> Delivery:
    """A confirmed sales order and its delivery, shipped (approved) unless told otherwise.

    ``lines``: ``(item, quantity, unit_price[, discount_percent])``; VAT 13 %.
    """
    tax = vat13()
    order = SalesOrder.objects.create(
        number=_number("SO"),
        date=day,
        customer=partner,
        warehouse=_warehouse(),
        status=SalesOrder.Status.APPROVED,
    )
    delivery = Delivery.objects.create(
        number=_number("DN"),
        date=day,
        customer=partner,
        sales_order=order,
        warehouse=order.warehouse,
        status=status,
    )
    for line_no, (line_item, quantity, price, *rest) in enumerate(lines, start=1):
        discount = D(rest[0]) if rest else D("0")
        amounts = line_amounts(
            quantity=D(quantity), unit_price=D(price), discount_percent=discount, tax_rate=tax.rate
        )
        order_line = SalesOrderLine.objects.create(
            order=order,
            line_no=line_no,
            item=line_item,
            quantity=D(quantity),
            unit_price=D(price),
            discount_percent=discount,
            tax_code=tax,
            tax_rate=tax.rate,
            net_amount=amounts.net,
            tax_amount=amounts.tax,
            gross_amount=amounts.gross,
            delivered_quantity=D(quantity),
        )
        DeliveryLine.objects.create(
            delivery=delivery,
            line_no=line_no,
            sales_order_line=order_line,
            item=line_item,
            quantity=D(quantity),
        )
    return delivery


def received_receipt(
    partner: Partner,
    lines: list[tuple],
    *,
    day: dt.date = TODAY,
    status: str = PurchaseReceipt.Status.APPROVED,
) -> PurchaseReceipt:
    """A placed purchase order and its receipt, received (approved) unless told otherwise.

    ``lines``: ``(item, ordered quantity, unit_price[, received quantity])``; VAT 13 %.
    """
    tax = vat13()
    order = PurchaseOrder.objects.create(
        number=_number("PO"),
        date=day,
        supplier=partner,
        warehouse=_warehouse(),
        status=PurchaseOrder.Status.APPROVED,
    )
    receipt = PurchaseReceipt.objects.create(
        number=_number("GR"),
        date=day,
        supplier=partner,
        purchase_order=order,
        warehouse=order.warehouse,
        status=status,
    )
    for line_no, (line_item, quantity, price, *rest) in enumerate(lines, start=1):
        received = D(rest[0]) if rest else D(quantity)
        amounts = line_amounts(
            quantity=D(quantity), unit_price=D(price), discount_percent=D("0"), tax_rate=tax.rate
        )
        order_line = PurchaseOrderLine.objects.create(
            order=order,
            line_no=line_no,
            item=line_item,
            quantity=D(quantity),
            unit_price=D(price),
            tax_code=tax,
            tax_rate=tax.rate,
            net_amount=amounts.net,
            tax_amount=amounts.tax,
            gross_amount=amounts.gross,
            received_quantity=received,
        )
        receipt_line = PurchaseReceiptLine.objects.create(
            receipt=receipt,
            line_no=line_no,
            order_line=order_line,
            item=line_item,
            quantity=received,
            unit_cost=D(price),
        )
        if status == PurchaseReceipt.Status.APPROVED and not line_item.is_service:
            # Received goods are in stock and credited to 1401 材料采购, as the receipt
            # service books them: the bills clear what the receipt booked.
            receipt_line.stock_move = stock_receipt(
                item=line_item,
                warehouse=receipt.warehouse,
                quantity=received,
                unit_cost=D(price),
                moved_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))),
                source=Source(type="purchasing.receipt", id=str(receipt.pk)),
            )
            receipt_line.save(update_fields=["stock_move"])
    return receipt


def customer_invoice(
    partner: Partner | None = None,
    *,
    quantity: str = "10",
    price: str = "100",
    day: dt.date = TODAY,
    post: bool = False,
    actor=None,
) -> Invoice:
    """A customer invoice of one shipped line (10 × 100.00 + 13 % VAT = 1,130.00 by default)."""
    partner = partner or customer()
    delivery = shipped_delivery(partner, [(item(), quantity, price)], day=day)
    invoice = services.customer_invoice_create_from_deliveries(
        partner=partner, date=day, deliveries=[delivery], actor=actor
    )
    if post:
        invoice = services.invoice_approve(invoice=invoice, actor=actor)
    return invoice


def supplier_bill(
    partner: Partner | None = None,
    *,
    quantity: str = "10",
    order_price: str = "5.00",
    billed_price: str | None = None,
    day: dt.date = TODAY,
    post: bool = False,
    actor=None,
    **item_fields,
) -> Invoice:
    """A supplier bill of one received line at the order's price unless ``billed_price``
    (its item made with ``item_fields``: a moving-average item by default)."""
    partner = partner or supplier()
    receipt = received_receipt(partner, [(item(**item_fields), quantity, order_price)], day=day)
    line = receipt.lines.get()
    spec = {"receipt_line": line}
    if billed_price is not None:
        spec["unit_price"] = billed_price
    bill = services.supplier_bill_create_from_receipts(
        partner=partner,
        date=day,
        supplier_invoice_number=f"FP{next(_numbers):08d}",
        lines=[spec],
        actor=actor,
    )
    if post:
        bill = services.invoice_approve(invoice=bill, actor=actor)
    return bill


def payment(
    partner: Partner,
    amount: str,
    *,
    direction: str = Payment.Direction.RECEIVED,
    allocations: list[tuple] = (),
    day: dt.date = TODAY,
    post: bool = False,
    actor=None,
) -> Payment:
    """A payment with planned allocations ``(invoice, amount)``."""
    result = services.payment_create(
        direction=direction,
        partner=partner,
        date=day,
        amount=D(amount),
        allocations=[{"invoice": invoice, "amount": D(value)} for invoice, value in allocations],
        actor=actor,
    )
    if post:
        result = services.payment_approve(payment=result, actor=actor)
    return result
