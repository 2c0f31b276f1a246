"""Purchasing's demo step: a requisition (saved), an order to S001 placed and partly received,
and a second order placed and not yet received. Billing bills and pays the receipt in its step."""

from datetime import timedelta
from decimal import Decimal

from erp_core.demo import DEMO_TAG, demo_context, demo_memo
from erp_core.purchasing.models import PurchaseOrder
from erp_core.purchasing.services import (
    purchase_order_approve,
    purchase_order_create,
    purchase_receipt_approve,
    purchase_receipt_create,
    purchase_requisition_create,
)

#: The memo of the receipt that billing's demo step bills.
RECEIPT_MEMO = demo_memo("第一批到货")


def purchasing_step() -> dict[str, int]:
    """Requisition (saved); PO to S001 placed, part received; a second PO placed."""
    created = {"purchase requisitions": 0, "purchase orders": 0, "purchase receipts": 0}
    if PurchaseOrder.objects.filter(memo__startswith=DEMO_TAG).exists():
        return created
    context = demo_context()
    items, buyer = context.items, context.users.get("planner")
    warehouse = context.warehouses["WH-RM"]
    supplier = context.partners["S001"]
    purchase_requisition_create(
        date=context.day,
        memo=demo_memo("下月圆钢需求"),
        lines=[
            {
                "item": items["RM-ROUND"],
                "quantity": Decimal(400),
                "needed_by": context.today + timedelta(days=14),
                "suggested_supplier": supplier,
            }
        ],
        actor=buyer,
    )
    order = purchase_order_create(
        supplier=supplier,
        date=context.day,
        warehouse=warehouse,
        memo=demo_memo("钢板和轴承采购"),
        lines=[
            {"item": items["RM-STEEL"], "quantity": Decimal(1000), "unit_price": Decimal("5.50")},
            {"item": items["PC-BEARING"], "quantity": Decimal(200), "unit_price": Decimal("8.80")},
        ],
        actor=buyer,
    )
    order = purchase_order_approve(order=order, actor=buyer)
    steel, bearing = order.lines.order_by("line_no")
    receiver = context.users.get("warehouse")
    receipt = purchase_receipt_create(
        purchase_order=order,
        date=context.today,
        delivery_note="NB-DN-0815",
        memo=RECEIPT_MEMO,
        lines=[
            {"order_line": steel, "quantity": Decimal(600)},
            {"order_line": bearing, "quantity": Decimal(100)},
        ],
        actor=receiver,
    )
    purchase_receipt_approve(receipt=receipt, actor=receiver)
    second = purchase_order_create(
        supplier=context.partners["S002"],
        date=context.day,
        warehouse=warehouse,
        expected_date=context.today + timedelta(days=10),
        memo=demo_memo("轴承和油封备货"),
        lines=[
            {"item": items["PC-BEARING"], "quantity": Decimal(240), "unit_price": Decimal("8.40")},
            {"item": items["PC-SEAL"], "quantity": Decimal(120), "unit_price": Decimal("1.15")},
        ],
        actor=buyer,
    )
    purchase_order_approve(order=second, actor=buyer)
    return {"purchase requisitions": 1, "purchase orders": 2, "purchase receipts": 1}
