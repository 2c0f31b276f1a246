"""Billing services: the only code that changes invoices, bills, credit notes and payments.

Each service is keyword-only and typed and runs in one transaction; a refusal
(``ValidationError`` for bad input, ``common.errors.Conflict`` for a state that forbids it)
writes nothing.
"""

from erp_core.billing.services.grir import grir_accrual_post
from erp_core.billing.services.invoices import (
    credit_note_create,
    customer_invoice_create_from_deliveries,
    invoice_approve,
    invoice_create,
    invoice_unapprove,
    invoice_update,
    invoice_void,
    supplier_bill_create_from_receipts,
)
from erp_core.billing.services.payments import (
    allocation_remove,
    payment_allocate,
    payment_approve,
    payment_create,
    payment_unapprove,
    payment_update,
    payment_void,
)
from erp_core.billing.services.shipments import customer_invoice_from_shipment

__all__ = [
    "allocation_remove",
    "credit_note_create",
    "customer_invoice_create_from_deliveries",
    "customer_invoice_from_shipment",
    "grir_accrual_post",
    "invoice_approve",
    "invoice_create",
    "invoice_unapprove",
    "invoice_update",
    "invoice_void",
    "payment_allocate",
    "payment_approve",
    "payment_create",
    "payment_unapprove",
    "payment_update",
    "payment_void",
    "supplier_bill_create_from_receipts",
]
