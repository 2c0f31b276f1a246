"""The stock ledger's demo step: opening stock of the bought items, and one issue of steel to
the workshop."""

from decimal import Decimal

from erp_core.demo import DEMO_ITEMS
from erp_core.models import Item, Warehouse
from erp_core.stock.models import StockMove
from erp_core.stock.services import (
    OPENING_SOURCE,
    OpeningLine,
    Source,
    stock_issue,
    stock_opening_balance_post,
)

OPENING_REFERENCE = "OB-DEMO"


def stock_step() -> dict[str, int]:
    """Opening stock of the bought items in the raw-material warehouse (an opening balance
    document), and one issue of steel.

    Booked through the stock services, so each move has its valuation and journal entry.
    """
    warehouse = Warehouse.objects.get(code="WH-RM")
    booked = 0
    bought = list(
        Item.objects.filter(
            code__in=[row[0] for row in DEMO_ITEMS if row[5] == "buy" and row[4] != "service"]
        ).order_by("code")
    )
    # The opening stock is its own document: Dr the categories' inventory accounts, Cr 4190
    # 期初余额 (never 1401 材料采购, which only a supplier's bill clears). Steel was bought in
    # two lots, the second above its standard cost.
    fresh = [item for item in bought if not StockMove.objects.filter(item=item).exists()]
    if fresh:
        lines = []
        for item in fresh:
            lines.append(
                OpeningLine(
                    item=item, quantity=Decimal(500), unit_cost=item.standard_cost or Decimal(1)
                )
            )
            if item.code == "RM-STEEL":
                lines.append(
                    OpeningLine(
                        item=item,
                        quantity=Decimal(300),
                        unit_cost=item.standard_cost * Decimal("1.08"),
                    )
                )
        reference = OPENING_REFERENCE
        if StockMove.objects.filter(source_type=OPENING_SOURCE, source_id=reference).exists():
            reference = f"{OPENING_REFERENCE}-{StockMove.objects.count()}"
        booked += len(
            stock_opening_balance_post(warehouse=warehouse, reference=reference, lines=lines)
        )
        steel = next((item for item in fresh if item.code == "RM-STEEL"), None)
        if steel is not None:
            # Steel taken by the workshop for its own upkeep, on no production order: an issue
            # to manufacturing overhead (机物料消耗, Dr 5101), which the month-end close clears.
            stock_issue(
                item=steel,
                warehouse=warehouse,
                quantity=Decimal(120),
                reason=StockMove.Reason.ISSUE,
                source=Source(type="demo", id="workshop"),
            )
            booked += 1
    return {"stock moves": booked}
