"""Collections follow an invoice posted again with another amount, credit notes and postings
taken back; a service ticket's lot is traced through the genealogy CRM learns from the shop
floor's and the warehouse's events; a promised date moved earlier makes no task."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from crm import handlers
from crm.models import Activity, PaymentReceipt, Receivable, TracedLot, TracedSerial
from crm.selectors import receivable_list, ticket_trace
from crm.services.activities import ticket_create
from crm.tests.conftest import deliver_all
from erp_core.models import Partner
from erp_core.sales.models import SalesOrder, SalesOrderLine
from erp_core.tests.factories import ItemFactory, PartnerFactory
from integration import topics
from integration.bus import publish

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


def announce(topic, payload) -> None:
    with transaction.atomic():
        publish(topic=topic, payload=payload)
    deliver_all()


def invoice(customer, invoice_id: int, amount: str, due: dt.date = TODAY) -> None:
    announce(
        topics.invoice_posted,
        {
            "invoice_id": invoice_id,
            "partner_id": customer.pk,
            "amount": amount,
            "due_date": due.isoformat(),
        },
    )


def open_amounts() -> dict[int, Decimal]:
    return dict(Receivable.objects.values_list("invoice_id", "open_amount"))


def test_an_invoice_posted_again_with_a_new_amount_is_followed_with_it(account, customer):
    invoice(customer, 1, "1000.00")
    announce(topics.payment_received, {"payment_id": 7, "partner_id": customer.pk, "amount": "400"})
    assert open_amounts() == {1: Decimal("600.00")}
    announce(topics.invoice_unposted, {"invoice_id": 1, "partner_id": customer.pk})
    assert open_amounts() == {1: Decimal("0.00")}
    assert list(receivable_list(partner_id=customer.pk)) == []
    assert PaymentReceipt.objects.get(payment_id=7).unapplied == Decimal("400.00")
    # Posted again for less than was paid: settled, and the rest waits for the next invoice.
    invoice(customer, 1, "300.00", due=TODAY + dt.timedelta(days=5))
    row = Receivable.objects.get(invoice_id=1)
    assert (row.invoiced, row.amount, row.open_amount) == (Decimal("300.00"),) * 2 + (0,)
    assert row.due_date == TODAY + dt.timedelta(days=5)
    assert PaymentReceipt.objects.get(payment_id=7).unapplied == Decimal("100.00")
    invoice(customer, 2, "500.00")
    assert open_amounts() == {1: Decimal("0.00"), 2: Decimal("400.00")}
    # Posted again for more: the payment no longer covers it.
    announce(topics.invoice_unposted, {"invoice_id": 1, "partner_id": customer.pk})
    invoice(customer, 1, "1200.00")
    assert open_amounts() == {1: Decimal("800.00"), 2: Decimal("500.00")}
    assert PaymentReceipt.objects.get(payment_id=7).unapplied == 0


def test_a_credit_note_lowers_what_its_invoice_owes_until_taken_back(account, customer):
    invoice(customer, 1, "1000.00")
    announce(topics.payment_received, {"payment_id": 7, "partner_id": customer.pk, "amount": "200"})
    credit = {"credit_note_id": 5, "invoice_id": 1, "partner_id": customer.pk, "amount": "300"}
    announce(topics.credit_note_posted, credit)
    row = Receivable.objects.get(invoice_id=1)
    assert (row.amount, row.open_amount) == (Decimal("700.00"), Decimal("500.00"))
    # Credited past what was left open: the payment's surplus waits for the next invoice.
    announce(topics.invoice_unposted, {"invoice_id": 5, "partner_id": customer.pk})
    announce(topics.credit_note_posted, {**credit, "amount": "900"})
    assert open_amounts() == {1: Decimal("0.00")}
    assert PaymentReceipt.objects.get(payment_id=7).unapplied == Decimal("100.00")
    announce(topics.invoice_unposted, {"invoice_id": 5, "partner_id": customer.pk})
    assert open_amounts() == {1: Decimal("800.00")}
    assert PaymentReceipt.objects.get(payment_id=7).unapplied == 0


def test_a_credit_note_that_comes_before_its_invoice_waits_for_it(account, customer):
    credit = {"credit_note_id": 6, "invoice_id": 3, "partner_id": customer.pk, "amount": "100"}
    announce(topics.credit_note_posted, credit)
    invoice(customer, 4, "50.00")
    assert open_amounts() == {4: Decimal("50.00")}  # not paid by a credit of another invoice
    invoice(customer, 3, "500.00")
    row = Receivable.objects.get(invoice_id=3)
    assert (row.amount, row.open_amount) == (Decimal("400.00"), Decimal("400.00"))


def test_a_promised_date_moved_earlier_makes_no_task(account, customer, warehouse):
    order = SalesOrder.objects.create(
        number="SO-E-1", customer=customer, warehouse=warehouse, date=timezone.localdate()
    )
    line = {"sales_order_id": order.pk, "sales_order_line_id": 1, "item_id": 1}
    announce(
        topics.schedule_changed,
        {
            "operations": [],
            "slipped_sales_orders": [
                {**line, "promised_date": "2098-12-20", "expected_date": "2098-12-10"}
            ],
        },
    )
    assert not Activity.objects.filter(reason=Activity.Reason.PROMISE_SLIPPED).exists()


def received(receiver, topic, payload) -> None:
    """The event as one CRM receiver gets it (the ERP's own receivers are not the point)."""
    with transaction.atomic():
        event = publish(topic=topic, payload=payload)
    receiver(event)


@pytest.fixture
def made_and_shipped(account, customer, warehouse):
    """Lot FG-L1 of a gearbox made by production order 77 from steel lot ST-9, shipped to our
    customer (serial SN-1) and to another one."""
    gearbox, steel = ItemFactory(code="GB"), ItemFactory(code="ST")
    received(
        handlers.trace_input_lots,
        topics.materials_consumed,
        {
            "work_order_id": 31,
            "production_order_id": 77,
            "lines": [
                {"item_id": steel.pk, "quantity": "4", "lot_number": "ST-9"},
                {"item_id": steel.pk, "quantity": "1"},
            ],
        },
    )
    for quantity in ("6", "4"):
        received(
            handlers.trace_output_lot,
            topics.output_reported,
            {
                "work_order_id": 31,
                "production_order_id": 77,
                "item_id": gearbox.pk,
                "quantity": quantity,
                "scrap_quantity": "0",
                "lot_number": "FG-L1",
            },
        )
    other = PartnerFactory(kind=Partner.Kind.CUSTOMER, name="Other Works")
    for number, partner, lots in (
        ("SO-T-1", customer, [{"lot_number": "FG-L1", "serial": "SN-1", "quantity": "1"}]),
        ("SO-T-2", other, [{"lot_number": "FG-L1", "quantity": "3"}]),
    ):
        order = SalesOrder.objects.create(
            number=number, customer=partner, warehouse=warehouse, date=TODAY
        )
        line = SalesOrderLine.objects.create(
            order=order, line_no=1, item=gearbox, quantity=Decimal("5"), unit_price=Decimal("1")
        )
        received(
            handlers.trace_shipped_lots,
            topics.shipment_dispatched,
            {
                "shipment_id": order.pk,
                "sales_order_id": order.pk,
                "lines": [{"sales_order_line_id": line.pk, "quantity": "5", "lots": lots}],
            },
        )
    return {"gearbox": gearbox, "steel": steel, "other": other}


def test_a_ticket_traces_its_lot_to_the_order_its_inputs_and_other_customers(
    account, made_and_shipped, django_assert_max_num_queries
):
    lot = TracedLot.objects.get()
    assert (lot.number, lot.quantity, lot.production_order_id, lot.work_order_id) == (
        "FG-L1",
        Decimal("10"),
        77,
        31,
    )
    for value in ("FG-L1", "SN-1"):
        ticket = ticket_create(account=account, subject="Noise", lot_or_serial=value)
        with django_assert_max_num_queries(6):
            (trace,) = ticket_trace(ticket=ticket)
        assert trace.lot == lot and trace.item == made_and_shipped["gearbox"]
        assert [(i.item.code, i.lot_number, i.quantity) for i in trace.inputs] == [
            ("ST", "ST-9", Decimal("4"))
        ]
        assert len(trace.shipments) == 2
        assert [s.customer.name for s in trace.other_customers] == ["Other Works"]
    nothing = ticket_create(account=account, subject="Leak", lot_or_serial="UNKNOWN")
    assert ticket_trace(ticket=nothing) == []


def test_a_serial_shipped_without_a_lot_is_traced_to_its_order_inputs_and_customers(
    account, customer, warehouse, seller, client, django_assert_max_num_queries
):
    """Serial SN-7 was made in lot FG-S1 by production order 88 from steel lot ST-7 and shipped
    alone (no lot) to our customer; SN-X, never seen on the shop floor, went to another one."""
    gearbox, steel = ItemFactory(code="GBS"), ItemFactory(code="STS")
    received(
        handlers.trace_input_lots,
        topics.materials_consumed,
        {
            "work_order_id": 41,
            "production_order_id": 88,
            "lines": [{"item_id": steel.pk, "quantity": "2", "lot_number": "ST-7"}],
        },
    )
    made = {
        "work_order_id": 41,
        "production_order_id": 88,
        "item_id": gearbox.pk,
        "quantity": "2",
        "scrap_quantity": "0",
        "lot_number": "FG-S1",
        "serials": ["SN-7", "SN-8"],
    }
    received(handlers.trace_output_lot, topics.output_reported, made)
    other = PartnerFactory(kind=Partner.Kind.CUSTOMER, name="Serial Elsewhere")
    for number, partner, serial in (("SO-S-1", customer, "SN-7"), ("SO-S-2", other, "SN-X")):
        order = SalesOrder.objects.create(
            number=number, customer=partner, warehouse=warehouse, date=TODAY
        )
        line = SalesOrderLine.objects.create(
            order=order, line_no=1, item=gearbox, quantity=Decimal("1"), unit_price=Decimal("1")
        )
        received(
            handlers.trace_shipped_lots,
            topics.shipment_dispatched,
            {
                "shipment_id": order.pk,
                "sales_order_id": order.pk,
                "lines": [
                    {
                        "sales_order_line_id": line.pk,
                        "quantity": "1",
                        "lots": [{"serial": serial, "quantity": "1"}],
                    }
                ],
            },
        )
    lot = TracedLot.objects.get(number="FG-S1")
    assert sorted(TracedSerial.objects.filter(lot=lot).values_list("serial", flat=True)) == [
        "SN-7",
        "SN-8",
    ]
    ticket = ticket_create(account=account, subject="Rattle", lot_or_serial="SN-7")
    with django_assert_max_num_queries(6):
        (trace,) = ticket_trace(ticket=ticket)
    assert (trace.serial, trace.number, trace.lot, trace.item) == ("SN-7", "FG-S1", lot, gearbox)
    assert [(i.lot_number, i.quantity) for i in trace.inputs] == [("ST-7", Decimal("2"))]
    assert [s.sales_order.number for s in trace.shipments] == ["SO-S-1"]
    assert trace.other_customers == []
    alone = ticket_create(account=account, subject="Rattle", lot_or_serial="SN-X")
    (trace,) = ticket_trace(ticket=alone)
    assert (trace.serial, trace.number, trace.lot, trace.inputs) == ("SN-X", "", None, [])
    assert [s.customer.name for s in trace.other_customers] == ["Serial Elsewhere"]
    client.force_login(seller)
    page = client.get(f"/crm/tickets/{ticket.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = page.content.decode()
    assert page.status_code == 200 and "GBS 的序列号 SN-7" in body and "生产于批次 FG-S1" in body
    # Made but not shipped yet: the order that made it is known all the same.
    unshipped = ticket_create(account=account, subject="Rattle", lot_or_serial="SN-8")
    (trace,) = ticket_trace(ticket=unshipped)
    assert (trace.lot, trace.shipments) == (lot, [])
