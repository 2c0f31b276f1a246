"""Purchasing services: the only code that changes requisitions, orders and receipts.

Each service is keyword-only and typed and runs in one transaction: a refusal
(``ValidationError`` for bad input, ``common.errors.Conflict`` for a state that forbids it,
``NotFound``) writes nothing.
"""

from erp_core.purchasing.services.orders import (
    purchase_order_acknowledge,
    purchase_order_approve,
    purchase_order_cancel,
    purchase_order_close,
    purchase_order_create,
    purchase_order_create_from_requisitions,
    purchase_order_is_received,
    purchase_order_unapprove,
    purchase_order_update,
    purchase_order_void,
    receipt_limit,
)
from erp_core.purchasing.services.receipts import (
    purchase_receipt_approve,
    purchase_receipt_create,
    purchase_receipt_record_from_wms,
    purchase_receipt_refuse_if_operated,
    purchase_receipt_unapprove,
    purchase_receipt_update,
    purchase_receipt_void,
)
from erp_core.purchasing.services.requisitions import (
    purchase_requisition_approve,
    purchase_requisition_create,
    purchase_requisition_unapprove,
    purchase_requisition_update,
    purchase_requisition_void,
)

__all__ = [
    "purchase_order_acknowledge",
    "purchase_order_approve",
    "purchase_order_cancel",
    "purchase_order_close",
    "purchase_order_create",
    "purchase_order_create_from_requisitions",
    "purchase_order_is_received",
    "purchase_order_unapprove",
    "purchase_order_update",
    "purchase_order_void",
    "purchase_receipt_approve",
    "purchase_receipt_create",
    "purchase_receipt_record_from_wms",
    "purchase_receipt_refuse_if_operated",
    "purchase_receipt_unapprove",
    "purchase_receipt_update",
    "purchase_receipt_void",
    "purchase_requisition_approve",
    "purchase_requisition_create",
    "purchase_requisition_unapprove",
    "purchase_requisition_update",
    "purchase_requisition_void",
    "receipt_limit",
]
