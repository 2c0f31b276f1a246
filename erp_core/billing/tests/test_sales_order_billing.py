"""A sales order's page shows how far it is invoiced and paid, with links to its invoices and
payments (billing's panel on the sales order page), in a few queries whatever their number."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from common.testing import staff_user
from erp_core.billing import selectors, services
from erp_core.billing.tests.factories import customer, item, payment, shipped_delivery
from erp_core.sales.tests.helpers import make_order
from erp_core.testing.books import seed_books
from erp_core.tests.factories import WarehouseFactory

pytestmark = pytest.mark.django_db


def _invoiced_order(partner, *, lines=(("10", "100"),)):
    """A shipped order whose delivery is invoiced and posted (10 × 100.00 + 13 % = 1,130.00)."""
    delivery = shipped_delivery(partner, [(item(), q, p) for q, p in lines])
    invoice = services.customer_invoice_create_from_deliveries(
        partner=partner, date=timezone.localdate(), deliveries=[delivery], actor=None
    )
    return delivery.sales_order, services.invoice_approve(invoice=invoice, actor=None)


def test_the_order_page_shows_invoiced_paid_and_open_with_links(client):
    seed_books()
    buyer = customer()
    order, invoice = _invoiced_order(buyer)
    paid = payment(buyer, "500", allocations=[(invoice, "500")], post=True)
    payment(buyer, "100", allocations=[(invoice, "100")])  # saved, not posted: not counted
    client.force_login(staff_user("Finance"))
    response = client.get(reverse("sales:order-detail", args=[order.pk]))
    body = response.content.decode()
    assert 'data-testid="order-billing"' in body
    assert 'data-testid="billing-invoiced">1,130.00<' in body
    assert 'data-testid="billing-paid">500.00<' in body
    assert 'data-testid="billing-open">630.00<' in body
    assert 'data-testid="billing-to-invoice">0.00<' in body
    assert reverse("billing:invoice-detail", args=[invoice.pk]) in body
    assert reverse("billing:payment-detail", args=[paid.pk]) in body


def test_sales_sees_the_payments_without_links_to_pages_it_may_not_open(client):
    seed_books()
    buyer = customer()
    order, invoice = _invoiced_order(buyer)
    paid = payment(buyer, "1130", allocations=[(invoice, "1130")], post=True)
    client.force_login(staff_user("Sales"))
    body = client.get(reverse("sales:order-detail", args=[order.pk])).content.decode()
    assert 'data-testid="billing-open">0.00<' in body
    assert paid.number in body
    assert reverse("billing:payment-detail", args=[paid.pk]) not in body
    assert reverse("billing:invoice-detail", args=[invoice.pk]) in body


def test_a_credit_note_counts_against_the_order():
    seed_books()
    buyer = customer()
    order, invoice = _invoiced_order(buyer)
    line = invoice.lines.get()
    note = services.credit_note_create(
        invoice=invoice,
        date=timezone.localdate(),
        lines=[{"credited_line": line, "quantity": D("2")}],
        actor=None,
    )
    services.invoice_approve(invoice=note, actor=None)
    billing = selectors.sales_order_billing(order=order, ordered=D("1130.00"))
    assert [doc.amount for doc in billing.documents] == [D("1130.00"), D("-226.00")]
    assert billing.invoiced == D("904.00")
    assert billing.to_invoice == D("226.00")
    assert billing.open == D("904.00")


def test_an_invoice_of_two_orders_counts_each_order_its_part():
    seed_books()
    buyer = customer()
    first = shipped_delivery(buyer, [(item(), "1", "100")])
    second = shipped_delivery(buyer, [(item(), "3", "100")])
    invoice = services.customer_invoice_create_from_deliveries(
        partner=buyer, date=timezone.localdate(), deliveries=[first, second], actor=None
    )
    invoice = services.invoice_approve(invoice=invoice, actor=None)
    payment(buyer, "226", allocations=[(invoice, "226")], post=True)  # half of 452.00
    one = selectors.sales_order_billing(order=first.sales_order, ordered=D("113.00"))
    three = selectors.sales_order_billing(order=second.sales_order, ordered=D("339.00"))
    assert (one.invoiced, one.paid, one.open) == (D("113.00"), D("56.50"), D("56.50"))
    assert (three.invoiced, three.paid, three.open) == (D("339.00"), D("169.50"), D("169.50"))


def test_the_billing_panel_reads_in_two_queries_whatever_the_documents(
    django_assert_num_queries,
):
    seed_books()
    buyer = customer()
    delivery = shipped_delivery(buyer, [(item(), "1", "10") for _ in range(3)])
    invoices = []
    for line in delivery.lines.order_by("line_no"):  # one invoice per line, each paid twice
        invoice = services.customer_invoice_create_from_deliveries(
            partner=buyer, date=timezone.localdate(), lines=[{"delivery_line": line}], actor=None
        )
        invoices.append(services.invoice_approve(invoice=invoice, actor=None))
    for invoice in invoices:
        for _ in range(2):
            payment(buyer, "5", allocations=[(invoice, "5")], post=True)
    with django_assert_num_queries(2):
        billing = selectors.sales_order_billing(order=delivery.sales_order, ordered=D("33.90"))
        documents, payments = billing.documents, billing.payments
        assert billing.paid == D("30.00")
    assert len(documents) == 3 and len(payments) == 6
    assert billing.invoiced == D("33.90")


def test_a_saved_order_has_no_billing_panel(client):
    seed_books()
    order = make_order(customer(), WarehouseFactory(), [(item(), 1)])
    client.force_login(staff_user("Finance"))
    body = client.get(reverse("sales:order-detail", args=[order.pk])).content.decode()
    assert 'data-testid="order-billing"' not in body
