"""Billing's demo step: S001's first receipt billed and partly paid; C001's first delivery
invoiced and partly paid, with some of the cash left unapplied."""

from decimal import Decimal

from erp_core.billing.models import Invoice, Payment
from erp_core.billing.services import (
    customer_invoice_create_from_deliveries,
    invoice_approve,
    payment_approve,
    payment_create,
    supplier_bill_create_from_receipts,
)
from erp_core.demo import DEMO_TAG, DemoContext, demo_context, demo_memo
from erp_core.purchasing.demo import RECEIPT_MEMO
from erp_core.purchasing.models import PurchaseReceipt
from erp_core.sales.demo import DELIVERY_MEMO
from erp_core.sales.models import Delivery


def billing_step() -> dict[str, int]:
    """Bill and pay the demo's receipt; invoice and collect the demo's delivery."""
    context = demo_context()
    created = {"supplier bills": 0, "customer invoices": 0, "payments": 0}
    for part in (_procure_to_pay(context), _order_to_cash(context)):
        for key, count in part.items():
            created[key] += count
    return created


def _demo_invoices(kind: str):
    return Invoice.objects.filter(kind=kind, memo__startswith=DEMO_TAG)


def _procure_to_pay(context: DemoContext) -> dict[str, int]:
    if _demo_invoices(Invoice.Kind.SUPPLIER_BILL).exists():
        return {}
    receipt = PurchaseReceipt.objects.get(memo=RECEIPT_MEMO)
    supplier, finance = receipt.purchase_order.supplier, context.users.get("finance")
    bill = supplier_bill_create_from_receipts(
        partner=supplier,
        date=context.today,
        supplier_invoice_number=f"NB-{context.today.year}-0815",
        receipts=[receipt],
        memo=demo_memo("宁波钢材第一批到货的发票"),
        actor=finance,
    )
    bill = invoice_approve(invoice=bill, actor=finance)
    paid = Decimal("3000.00")
    payment = payment_create(
        direction=Payment.Direction.MADE,
        partner=supplier,
        date=context.today,
        amount=paid,
        reference="CMB-20815",
        memo=demo_memo("预付一部分货款"),
        allocations=[{"invoice": bill, "amount": paid}],
        actor=finance,
    )
    payment_approve(payment=payment, actor=finance)
    return {"supplier bills": 1, "payments": 1}


def _order_to_cash(context: DemoContext) -> dict[str, int]:
    if _demo_invoices(Invoice.Kind.CUSTOMER_INVOICE).exists():
        return {}
    delivery = Delivery.objects.get(memo=DELIVERY_MEMO)
    customer, finance = delivery.sales_order.customer, context.users.get("finance")
    invoice = customer_invoice_create_from_deliveries(
        partner=customer,
        date=context.today,
        deliveries=[delivery],
        memo=demo_memo("第一批发货的发票"),
        actor=finance,
    )
    invoice = invoice_approve(invoice=invoice, actor=finance)
    payment = payment_create(
        direction=Payment.Direction.RECEIVED,
        partner=customer,
        date=context.today,
        amount=Decimal("6000.00"),
        reference="ICBC-30815",
        memo=demo_memo("华东机电回款，余款未核销"),
        allocations=[{"invoice": invoice, "amount": Decimal("5000.00")}],
        actor=finance,
    )
    payment_approve(payment=payment, actor=finance)
    return {"customer invoices": 1, "payments": 1}
