"""WMS's check for ``manage.py reconcile``: invariant 1, quants equal the ERP's balances."""

from decimal import Decimal

from django.utils.translation import gettext as _

from erp_core.ledger.reconcile import Breach
from erp_core.models import Item, Warehouse
from erp_core.stock.models import StockBalance
from wms import selectors
from wms.services.common import figure

ZERO = Decimal("0")


def check_quants_match_erp_balances() -> list[Breach]:
    """Invariant 1: for every item × warehouse WMS runs, the sum of the quants equals the ERP's
    stock balance (once events are delivered)."""
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
