"""Sales' demo step: a default price list, opening stock of FG-GEARBOX, an order to C001
confirmed and partly shipped, and a second order saved. Billing invoices the delivery and takes
the payment in its step."""

from datetime import timedelta
from decimal import Decimal

from erp_core.demo import DEMO_START, DEMO_TAG, demo_context, demo_memo
from erp_core.sales.models import PriceList, SalesOrder
from erp_core.sales.services import (
    delivery_approve,
    delivery_create,
    price_list_create,
    sales_order_approve,
    sales_order_create,
)
from erp_core.stock.models import StockMove
from erp_core.stock.services import OPENING_SOURCE, OpeningLine, stock_opening_balance_post

PRICE_LIST_CODE = "PL-STD"
# FG-GEARBOX and SF-FRAME: (item, minimum quantity, unit price excl. VAT)
DEMO_PRICES = (
    ("FG-GEARBOX", "0", "2380.00"),
    ("FG-GEARBOX", "10", "2280.00"),
    ("SF-FRAME", "0", "168.00"),
)
#: The memo of the delivery that billing's demo step invoices.
DELIVERY_MEMO = demo_memo("第一批发货")


def sales_step() -> dict[str, int]:
    """Price list, FG-GEARBOX stock; SO to C001 confirmed, part shipped; SO to C002 saved."""
    created = {"price lists": 0, "stock moves": 0, "sales orders": 0, "deliveries": 0}
    context = demo_context()
    items, finished = context.items, context.warehouses["WH-FG"]
    gearbox = items["FG-GEARBOX"]
    if not PriceList.objects.filter(code=PRICE_LIST_CODE).exists():
        price_list_create(
            code=PRICE_LIST_CODE,
            name="标准价目表",
            valid_from=DEMO_START,
            is_default=True,
            items=[
                {
                    "item": items[code],
                    "min_quantity": Decimal(minimum),
                    "unit_price": Decimal(price),
                }
                for code, minimum, price in DEMO_PRICES
            ],
        )
        created["price lists"] += 1
    if not StockMove.objects.filter(item=gearbox, source_type__in=("demo", OPENING_SOURCE)):
        # Opening stock, as its own document: Dr 1405 库存商品, Cr 4190 期初余额.
        stock_opening_balance_post(
            warehouse=finished,
            reference="OB-DEMO-FG",
            lines=[
                OpeningLine(item=gearbox, quantity=Decimal(20), unit_cost=gearbox.standard_cost)
            ],
        )
        created["stock moves"] += 1
    if SalesOrder.objects.filter(memo__startswith=DEMO_TAG).exists():
        return created
    price_list = PriceList.objects.get(code=PRICE_LIST_CODE)
    customer, sales = context.partners["C001"], context.users.get("sales")
    order = sales_order_create(
        customer=customer,
        warehouse=finished,
        date=context.day,
        price_list=price_list,
        customer_reference="HD-PO-0815",
        requested_date=context.today + timedelta(days=10),
        memo=demo_memo("华东机电减速机订单"),
        lines=[{"item": gearbox, "quantity": Decimal(5)}],
        actor=sales,
    )
    order = sales_order_approve(order=order, actor=sales)
    warehouse_user = context.users.get("warehouse")
    delivery = delivery_create(
        sales_order=order,
        date=context.today,
        shipment_reference="SF-1234567890",
        memo=DELIVERY_MEMO,
        lines=[{"sales_order_line": order.lines.get(line_no=1), "quantity": Decimal(3)}],
        actor=warehouse_user,
    )
    delivery_approve(delivery=delivery, actor=warehouse_user)
    sales_order_create(
        customer=context.partners["C002"],
        warehouse=finished,
        date=context.today,
        price_list=price_list,
        memo=demo_memo("苏州精密询价，待确认"),
        lines=[
            {"item": gearbox, "quantity": Decimal(2)},
            {"item": items["SF-FRAME"], "quantity": Decimal(4)},
        ],
        actor=sales,
    )
    return {**created, "sales orders": 2, "deliveries": 1}
