"""A dispatched shipment is invoiced at once: the service behind the receiver."""

from decimal import Decimal as D

import pytest

from common.errors import NotFound
from erp_core.billing import services
from erp_core.billing.models import Invoice
from erp_core.billing.tests.factories import customer, item, shipped_delivery
from erp_core.ledger.services import company_settings_update
from erp_core.sales.models import Delivery

pytestmark = pytest.mark.django_db


def _shipped(event_id: str) -> Delivery:
    delivery = shipped_delivery(customer(), [(item(), "4", "250")])
    Delivery.objects.filter(pk=delivery.pk).update(source_event_id=event_id)
    return delivery


def test_the_delivery_of_a_shipment_is_invoiced_and_posted(books):
    delivery = _shipped("evt-1")
    invoice = services.customer_invoice_from_shipment(event_id="evt-1")
    assert invoice.status == Invoice.Status.APPROVED
    assert invoice.partner_id == delivery.customer_id
    assert invoice.date == delivery.date
    assert invoice.gross_amount == D("1130.00")
    assert invoice.lines.get().delivery_line.delivery_id == delivery.pk
    assert invoice.memo == delivery.shipment_reference  # no text in the poster's language
    # Everything shipped is invoiced now: a second call issues nothing more.
    assert services.customer_invoice_from_shipment(event_id="evt-1") is None
    assert Invoice.objects.count() == 1


def test_a_shipment_without_a_booked_delivery_is_refused_not_skipped(books):
    # The receiver runs after sales booked the delivery; a missing one is an error to see.
    with pytest.raises(NotFound):
        services.customer_invoice_from_shipment(event_id="evt-unknown")
    assert Invoice.objects.count() == 0


def test_a_company_that_invoices_by_hand_gets_no_invoice(books):
    company_settings_update(invoice_on_shipment=False)
    _shipped("evt-2")
    assert services.customer_invoice_from_shipment(event_id="evt-2") is None
    assert Invoice.objects.count() == 0
