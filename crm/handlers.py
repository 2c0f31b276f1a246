"""Receivers of other modules' topics for CRM: the ERP's registered customers, confirmed
orders, posted (and unposted) invoices and credit notes, received payments and slipped promised
dates; the shop floor's lots made and consumed and the warehouse's shipped lots, for the trace
of a service ticket."""

import datetime as dt
from collections.abc import Callable

from crm.models import Quote
from crm.services.accounts import account_bind_partner
from crm.services.collections import (
    credit_note_record,
    payment_apply,
    posting_withdraw,
    promised_dates_slipped,
    receivable_record,
)
from crm.services.pipeline import opportunity_win
from crm.services.trace import traced_inputs_record, traced_output_record, traced_shipment_record
from erp_core.sales.selectors import sales_order_list
from integration import topics
from integration.models import Event
from integration.receivers import on


@on(topics.customer_registered, name="crm.bind_customer")
def bind_customer(event: Event) -> None:
    """The ERP registered the customer of an account: bind them."""
    account_bind_partner(
        account_id=event.payload["crm_account_id"], partner_id=event.payload["partner_id"]
    )


@on(topics.sales_order_confirmed, name="crm.win_opportunity")
def win_opportunity(event: Event) -> None:
    """The order of an accepted quote is confirmed: its opportunity is won."""
    order = sales_order_list().filter(pk=event.payload["sales_order_id"]).first()
    if order is None or order.crm_quote_id is None:
        return
    quote = Quote.objects.filter(pk=order.crm_quote_id).first()
    if quote is not None and quote.opportunity_id is not None:
        opportunity_win(opportunity_id=quote.opportunity_id)


@on(topics.invoice_posted, name="crm.receivable_from_invoice")
def receivable_from_invoice(event: Event) -> None:
    """A posted customer invoice is followed up until it is paid."""
    payload = event.payload
    receivable_record(
        invoice_id=payload["invoice_id"],
        partner_id=payload["partner_id"],
        amount=payload["amount"],
        due_date=dt.date.fromisoformat(payload["due_date"]),
        posted_at=event.occurred_at,
    )


@on(topics.credit_note_posted, name="crm.credit_from_credit_note")
def credit_from_credit_note(event: Event) -> None:
    """A posted credit note lowers what its invoice is owed."""
    payload = event.payload
    credit_note_record(
        credit_note_id=payload["credit_note_id"],
        invoice_id=payload["invoice_id"],
        partner_id=payload["partner_id"],
        amount=payload["amount"],
        posted_at=event.occurred_at,
    )


@on(topics.invoice_unposted, name="crm.withdraw_posting")
def withdraw_posting(event: Event) -> None:
    """An invoice (or credit note) whose posting the ERP took back counts no more."""
    posting_withdraw(invoice_id=event.payload["invoice_id"])


@on(topics.payment_received, name="crm.apply_payment")
def apply_payment(event: Event) -> None:
    """A received payment pays the customer's open invoices, oldest due first."""
    payload = event.payload
    payment_apply(
        payment_id=payload["payment_id"],
        partner_id=payload["partner_id"],
        amount=payload["amount"],
        received_at=event.occurred_at,
    )


@on(topics.schedule_changed, name="crm.flag_slipped_promises")
def flag_slipped_promises(event: Event) -> None:
    """Orders whose promised date slipped get a task for their account's owner."""
    slipped = event.payload.get("slipped_sales_orders") or []
    if slipped:
        promised_dates_slipped(event_id=str(event.pk), slipped=slipped)


def _trace(
    record: Callable[..., object],
    event: Event,
    *,
    fields: tuple[str, ...],
    optional: tuple[str, ...] = (),
    at: str = "",
) -> None:
    """Hand a genealogy fact to its trace service: the payload's ``fields`` (and ``optional``
    ones, None when absent) as keyword arguments, and the event's time as ``at``."""
    payload = event.payload
    arguments = {name: payload[name] for name in fields}
    arguments.update({name: payload.get(name) for name in optional})
    if at:
        arguments[at] = event.occurred_at
    record(**arguments)


@on(topics.output_reported, name="crm.trace_output_lot")
def trace_output_lot(event: Event) -> None:
    """A lot the shop floor made: which production order, item and day (and serial numbers)."""
    _trace(
        traced_output_record,
        event,
        fields=("work_order_id", "production_order_id", "item_id", "quantity"),
        optional=("lot_number", "serials"),
        at="reported_at",
    )


@on(topics.materials_consumed, name="crm.trace_input_lots")
def trace_input_lots(event: Event) -> None:
    """The material lots a work order consumed: the input lots of what it makes."""
    _trace(traced_inputs_record, event, fields=("work_order_id", "lines"))


@on(topics.shipment_dispatched, name="crm.trace_shipped_lots")
def trace_shipped_lots(event: Event) -> None:
    """The lots and serial numbers a shipment took to a customer."""
    _trace(
        traced_shipment_record,
        event,
        fields=("shipment_id", "sales_order_id", "lines"),
        at="shipped_at",
    )
