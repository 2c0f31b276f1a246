"""The stock ledger's demo step: opening stock of the bought items, and one issue of steel to
the workshop."""

from decimal import Decimal

from erp_core.demo import DEMO_ITEMS
from erp_core.models import Item, Warehouse
from erp_core.stock.models import StockMove
from erp_core.stock.services import Source, stock_issue, stock_receipt


def stock_step() -> dict[str, int]:
    """Opening stock of the bought items in the raw-material warehouse, and one issue of steel.

    Booked through the stock services, so each move has its valuation and journal entry.
    """
    warehouse = Warehouse.objects.get(code="WH-RM")
    booked = 0
    bought = Item.objects.filter(
        code__in=[row[0] for row in DEMO_ITEMS if row[5] == "buy" and row[4] != "service"]
    ).order_by("code")
    for item in bought:
        if StockMove.objects.filter(item=item).exists():
            continue
        stock_receipt(
            item=item,
            warehouse=warehouse,
            quantity=Decimal(500),
            unit_cost=item.standard_cost or Decimal(1),
            source=Source(type="demo", id="opening"),
        )
        booked += 1
        if item.code == "RM-STEEL":
            stock_receipt(
                item=item,
                warehouse=warehouse,
                quantity=Decimal(300),
                unit_cost=item.standard_cost * Decimal("1.08"),
                source=Source(type="demo", id="purchase"),
            )
            # Steel taken by the workshop for its own upkeep, on no production order: an issue
            # to manufacturing overhead (机物料消耗, Dr 5101), which the month-end close clears.
            stock_issue(
                item=item,
                warehouse=warehouse,
                quantity=Decimal(120),
                reason=StockMove.Reason.ISSUE,
                source=Source(type="demo", id="workshop"),
            )
            booked += 2
    return {"stock moves": booked}
