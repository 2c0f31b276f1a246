"""Production's demo step: ten SF-FRAME made from stock in WH-RM, timed, reported and closed;
five FG-GEARBOX released."""

from datetime import timedelta
from decimal import Decimal

from erp_core.demo import DEMO_TAG, demo_context, demo_memo
from erp_core.production.models import ProductionOrder
from erp_core.production.services import (
    production_order_book_time,
    production_order_close,
    production_order_complete,
    production_order_consume,
    production_order_create,
    production_order_release,
    production_order_report_output,
)


def production_step() -> dict[str, int]:
    """Ten SF-FRAME made from stock in WH-RM, timed, reported and closed; a FG-GEARBOX released."""
    if ProductionOrder.objects.filter(memo__startswith=DEMO_TAG).exists():
        return {"production orders": 0}
    context = demo_context()
    planner, shopfloor = context.users.get("planner"), context.users.get("shopfloor")
    raw = context.warehouses["WH-RM"]
    order = production_order_create(
        item=context.items["SF-FRAME"],
        quantity=Decimal(10),
        date=context.day,
        start_date=context.day,
        due_date=context.today + timedelta(days=7),
        warehouse=raw,
        component_warehouse=raw,
        memo=demo_memo("机架生产"),
        actor=planner,
    )
    order = production_order_release(order=order, actor=planner)
    for material in order.materials.select_related("component").order_by("line_no"):
        production_order_consume(
            order=order,
            item=material.component,
            quantity=material.quantity_required,
            actor=shopfloor,
        )
    for operation in order.operations.order_by("sequence"):
        hours = operation.planned_hours.quantize(Decimal("0.01"))
        production_order_book_time(
            order=order,
            operation=operation,
            machine_hours=hours,
            labour_hours=hours + Decimal("0.50"),
            actor=shopfloor,
        )
    order = production_order_report_output(order=order, quantity=Decimal(10), actor=shopfloor)
    if order.status != ProductionOrder.Status.DONE:
        order = production_order_complete(order=order, actor=planner)
    production_order_close(order=order, actor=context.users.get("finance"))
    gearbox = production_order_create(
        item=context.items["FG-GEARBOX"],
        quantity=Decimal(5),
        date=context.day,
        due_date=context.today + timedelta(days=14),
        warehouse=context.warehouses["WH-FG"],
        component_warehouse=raw,
        memo=demo_memo("减速机生产"),
        actor=planner,
    )
    production_order_release(order=gearbox, actor=planner)
    return {"production orders": 2}
