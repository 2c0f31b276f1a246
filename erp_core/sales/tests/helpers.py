"""Helpers of the sales tests: stock on hand, orders and deliveries in one call."""

from decimal import Decimal

from django.utils import timezone

from erp_core.models import Item, Partner
from erp_core.sales import services
from erp_core.sales.models import SalesOrder
from erp_core.stock.models import StockMove
from erp_core.stock.services import stock_receipt
from integration.models import Event


def today():
    """The local date the services book on."""
    return timezone.localdate()


def put_stock(item: Item, warehouse, quantity: str = "100", unit_cost: str = "40") -> None:
    """Receive stock so that shipments have something to issue."""
    stock_receipt(
        item=item, warehouse=warehouse, quantity=Decimal(quantity), unit_cost=Decimal(unit_cost)
    )


def make_order(
    customer: Partner, warehouse, lines: list[tuple], *, approve: bool = False, actor=None, **extra
) -> SalesOrder:
    """A saved order of ``lines`` [(item, quantity[, unit_price])]; confirmed when asked."""
    order = services.sales_order_create(
        customer=customer,
        warehouse=warehouse,
        date=extra.pop("date", today()),
        lines=[
            {
                "item": row[0],
                "quantity": Decimal(str(row[1])),
                **({"unit_price": Decimal(str(row[2]))} if len(row) > 2 else {}),
            }
            for row in lines
        ],
        actor=actor,
        **extra,
    )
    if approve:
        order = services.sales_order_approve(order=order, actor=actor)
    return order


def deliver(order: SalesOrder, quantities: dict, *, ship: bool = True, actor=None):
    """A delivery of ``quantities`` {order line: quantity}; shipped when asked."""
    delivery = services.delivery_create(
        sales_order=order,
        lines=[
            {"sales_order_line": line, "quantity": Decimal(str(quantity))}
            for line, quantity in quantities.items()
        ],
        date=today(),
        actor=actor,
    )
    if ship:
        delivery = services.delivery_approve(delivery=delivery, actor=actor)
    return delivery


def snapshot(order: SalesOrder) -> tuple:
    """Everything a refused step must leave as it was: the order, its lines, its deliveries,
    the stock moves and the outbox."""
    order = SalesOrder.objects.get(pk=order.pk)
    return (
        order.status,
        order.revision,
        order.approved_by_id,
        order.credit_override_reason,
        tuple(
            order.lines.order_by("line_no").values_list(
                "item_id", "quantity", "unit_price", "delivered_quantity", "closed_quantity"
            )
        ),
        tuple(order.deliveries.order_by("pk").values_list("pk", "status", "revision")),
        StockMove.objects.count(),
        Event.objects.count(),
    )
