"""Outbound: outbound orders from confirmed sales orders, FEFO allocation, pick lists picked by
scan, packing and dispatch.

Locks are always taken in the same order, so that concurrent work never deadlocks: the pick
list, then the outbound order, then allocations (primary-key order), then quants (primary-key
order, by the stock primitives). Every quant change goes through ``wms.services.stock``: an
allocation reserves, a pick moves the reserved stock into the shipping bin (still reserved), a
dispatch removes it. None of them publishes ``wms.stock_moved``: the ERP books the shipment
once, from ``wms.shipment_dispatched``.
"""

from wms.services.outbound._common import shipping_bin_for
from wms.services.outbound.allocation import (
    allocatable_quants,
    outbound_order_allocate,
    outbound_order_release,
)
from wms.services.outbound.orders import (
    outbound_order_cancel_lines,
    outbound_order_from_sales_order,
    outbound_orders_adopt,
    warehouse_is_live,
)
from wms.services.outbound.picking import (
    pick_list_allocate,
    pick_list_create,
    pick_list_pick,
    pick_list_release,
    pick_list_short,
)
from wms.services.outbound.shipping import (
    package_create,
    shipment_create,
    shipment_dispatch,
)

__all__ = [
    "allocatable_quants",
    "outbound_order_allocate",
    "outbound_order_cancel_lines",
    "outbound_order_from_sales_order",
    "outbound_order_release",
    "outbound_orders_adopt",
    "package_create",
    "pick_list_allocate",
    "pick_list_create",
    "pick_list_pick",
    "pick_list_release",
    "pick_list_short",
    "shipment_create",
    "shipment_dispatch",
    "shipping_bin_for",
    "warehouse_is_live",
]
