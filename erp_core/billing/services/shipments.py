"""Invoicing a shipment the moment WMS dispatches it (DESIGN.md: on ``wms.shipment_dispatched``
the ERP posts the delivery and cost of goods sold and issues the invoice)."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from common.errors import NotFound
from erp_core.billing.models import Invoice
from erp_core.billing.services.invoices import (
    customer_invoice_create_from_deliveries,
    invoice_approve,
)
from erp_core.documents.models import APPROVED
from erp_core.ledger.selectors import company_settings
from erp_core.sales.models import Delivery


@transaction.atomic
def customer_invoice_from_shipment(*, event_id: str) -> Invoice | None:
    """Issue and post the invoice of the delivery booked for the shipment event ``event_id``.

    Nothing when the company invoices by hand (``invoice_on_shipment`` off) or when everything
    shipped was invoiced already. Its receiver comes after sales' receiver of the shipment, so
    the delivery is booked by then; a missing one is refused (NotFound). Any refusal (a closed
    period…) writes nothing and leaves the event failing, visible on the event log, until it is
    fixed and replayed.
    """
    if not company_settings().invoice_on_shipment:
        return None
    delivery = Delivery.objects.filter(source_event_id=event_id).first()
    if delivery is None:
        raise NotFound(
            _("No delivery is booked for shipment event %(event)s yet.") % {"event": event_id}
        )
    uninvoiced = delivery.lines.filter(invoiced_quantity__lt=F("quantity")).exists()
    if delivery.status != APPROVED or not uninvoiced:
        return None
    invoice = customer_invoice_create_from_deliveries(
        partner=delivery.customer,
        date=delivery.date,
        deliveries=[delivery],
        # The shipment's reference, a value the same in every language (its lines name the
        # delivery).
        memo=delivery.shipment_reference,
        actor=None,
    )
    return invoice_approve(invoice=invoice, actor=None)
