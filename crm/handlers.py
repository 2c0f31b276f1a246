"""Receivers of other modules' topics for CRM: the ERP's registered customers, confirmed
orders, posted invoices, received payments and slipped promised dates."""

import datetime as dt

from crm.models import Quote
from crm.services.accounts import account_bind_partner
from crm.services.collections import payment_apply, promised_dates_slipped, receivable_record
from crm.services.pipeline import opportunity_win
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
