"""The services of sales: the only code that changes price lists, orders and deliveries."""

from erp_core.sales.services._common import CreditOverrideForbidden
from erp_core.sales.services.deliveries import (
    delivery_approve,
    delivery_create,
    delivery_refuse_if_operated,
    delivery_unapprove,
    delivery_update,
    delivery_void,
)
from erp_core.sales.services.inbound import (
    customer_from_crm_account,
    delivery_from_shipment,
    sales_order_from_quote,
)
from erp_core.sales.services.orders import (
    OVERRIDE_PERMISSION,
    sales_order_approve,
    sales_order_cancel,
    sales_order_close,
    sales_order_create,
    sales_order_unapprove,
    sales_order_update,
    sales_order_void,
)
from erp_core.sales.services.prices import price_list_create, price_list_update
from erp_core.sales.services.promises import sales_order_line_promise_move

__all__ = [
    "OVERRIDE_PERMISSION",
    "CreditOverrideForbidden",
    "customer_from_crm_account",
    "delivery_approve",
    "delivery_create",
    "delivery_from_shipment",
    "delivery_refuse_if_operated",
    "delivery_unapprove",
    "delivery_update",
    "delivery_void",
    "price_list_create",
    "price_list_update",
    "sales_order_approve",
    "sales_order_cancel",
    "sales_order_close",
    "sales_order_create",
    "sales_order_from_quote",
    "sales_order_line_promise_move",
    "sales_order_unapprove",
    "sales_order_update",
    "sales_order_void",
]
