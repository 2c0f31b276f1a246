"""WMS's check for ``manage.py reconcile``: invariant 1, quants equal the ERP's balances.

The invariant holds once events are delivered: what WMS announced and the ERP has not booked
yet (an event still in the outbox) is added to the ERP's side before comparing.
"""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from erp_core.ledger.reconcile import Breach
from erp_core.models import Item, Warehouse
from erp_core.purchasing.models import PurchaseOrderLine
from erp_core.stock.models import StockBalance
from integration.models import Event
from wms import selectors
from wms.models import ExpectedReceipt
from wms.services.common import figure

ZERO = Decimal("0")


_UNDELIVERED = (Event.Status.PENDING, Event.Status.RETRYING)


def undelivered_effects() -> dict[tuple[int, int], Decimal]:
    """Per (item, warehouse), what WMS events not yet delivered will change in the ERP."""
    effects: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    events = Event.objects.filter(
        status__in=_UNDELIVERED,
        topic__in=("wms.stock_moved", "wms.receipt_completed", "wms.count_completed"),
    ).only("topic", "payload")
    receipts = []
    for event in events:
        payload = event.payload
        if event.topic == "wms.stock_moved":
            quantity = Decimal(payload["quantity"])
            if payload.get("from_warehouse_id") is not None:
                effects[(payload["item_id"], payload["from_warehouse_id"])] -= quantity
            if payload.get("to_warehouse_id") is not None:
                effects[(payload["item_id"], payload["to_warehouse_id"])] += quantity
        elif event.topic == "wms.count_completed":
            for line in payload["lines"]:
                effects[(line["item_id"], payload["warehouse_id"])] += Decimal(line["quantity"])
        else:
            receipts.append(payload)
    if receipts:
        warehouses = dict(
            ExpectedReceipt.objects.filter(pk__in=[p["receipt_id"] for p in receipts]).values_list(
                "pk", "warehouse_id"
            )
        )
        line_ids = [line["purchase_order_line_id"] for p in receipts for line in p["lines"]]
        items = dict(PurchaseOrderLine.objects.filter(pk__in=line_ids).values_list("pk", "item_id"))
        for payload in receipts:
            warehouse_id = warehouses.get(payload["receipt_id"])
            for line in payload["lines"]:
                item_id = items.get(line["purchase_order_line_id"])
                if warehouse_id is not None and item_id is not None:
                    effects[(item_id, warehouse_id)] += Decimal(line["quantity"])
    return effects


def check_quants_match_erp_balances() -> list[Breach]:
    """Invariant 1: for every item × warehouse WMS runs, the sum of the quants equals the ERP's
    stock balance with what undelivered WMS events will book (so: once events are delivered)."""
    warehouses = selectors.live_warehouse_ids()
    if not warehouses:
        return []
    quants = selectors.quant_totals(warehouse_ids=warehouses)
    erp = {
        (row["item_id"], row["warehouse_id"]): row["quantity"]
        for row in StockBalance.objects.filter(warehouse_id__in=warehouses).values(
            "item_id", "warehouse_id", "quantity"
        )
    }
    for key, quantity in undelivered_effects().items():
        if key[1] in warehouses:
            erp[key] = erp.get(key, ZERO) + quantity
    keys = sorted(key for key in quants.keys() | erp.keys()
                  if quants.get(key, ZERO) != erp.get(key, ZERO))  # fmt: skip
    if not keys:
        return []
    items = Item.objects.in_bulk({item_id for item_id, _wh in keys})
    codes = dict(Warehouse.objects.filter(pk__in=warehouses).values_list("pk", "code"))
    return [
        Breach(
            check="wms_quants",
            message=_("%(item)s in %(warehouse)s: bins hold %(wms)s, the ERP books %(erp)s.")
            % {
                "item": items[item_id].code if item_id in items else item_id,
                "warehouse": codes.get(warehouse_id, warehouse_id),
                "wms": figure(quants.get((item_id, warehouse_id), ZERO)),
                "erp": figure(erp.get((item_id, warehouse_id), ZERO)),
            },
        )
        for item_id, warehouse_id in keys
    ]


WMS_CHECKS = [check_quants_match_erp_balances]
