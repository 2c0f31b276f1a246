"""Collections follow the ERP's invoice and payment events; dunning makes tasks for the account
owner; promises to pay; slipped promised dates; tickets with their SLA; a salesperson's day."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from common.errors import Conflict
from crm.models import Activity, PromiseToPay, Receivable, Ticket
from crm.selectors import my_day, overdue_by_customer, ticket_list
from crm.services.activities import (
    activity_complete,
    activity_create,
    ticket_create,
    ticket_resolve,
)
from crm.services.collections import dunning_run, promise_to_pay_create
from crm.tests.conftest import deliver_all
from erp_core.sales.models import SalesOrder
from erp_core.tests.factories import ItemFactory
from integration import topics
from integration.bus import publish
from integration.services import event_deliver

pytestmark = pytest.mark.django_db


def announce(topic, payload):
    with transaction.atomic():
        return publish(topic=topic, payload=payload)


def _invoice(customer, invoice_id, amount, due):
    announce(
        topics.invoice_posted,
        {
            "invoice_id": invoice_id,
            "partner_id": customer.pk,
            "amount": amount,
            "due_date": due.isoformat(),
        },
    )


def test_invoices_and_payments_from_the_erp_open_and_settle_receivables(account, customer):
    today = timezone.localdate()
    _invoice(customer, 1, "1000.00", today - dt.timedelta(days=20))
    _invoice(customer, 2, "500.00", today + dt.timedelta(days=10))
    deliver_all()
    deliver_all()  # redelivery changes nothing
    assert Receivable.objects.count() == 2
    announce(
        topics.payment_received, {"payment_id": 9, "partner_id": customer.pk, "amount": "1200.00"}
    )
    deliver_all()
    first, second = Receivable.objects.order_by("invoice_id")
    assert first.open_amount == Decimal("0.00")
    assert second.open_amount == Decimal("300.00")
    assert overdue_by_customer(user=None) == []


def test_dunning_moves_overdue_invoices_through_stages_with_a_task_each(account, customer, seller):
    today = timezone.localdate()
    _invoice(customer, 1, "1000.00", today - dt.timedelta(days=20))
    deliver_all()
    assert dunning_run(today=today) == 1
    receivable = Receivable.objects.get()
    assert receivable.dunning_stage == Receivable.Dunning.SECOND
    task = Activity.objects.get(reason=Activity.Reason.DUNNING)
    assert task.owner == seller and task.reason_args["stage"] == 2
    assert dunning_run(today=today) == 0  # once per stage
    assert dunning_run(today=today + dt.timedelta(days=15)) == 1
    assert Activity.objects.filter(reason=Activity.Reason.DUNNING).count() == 2
    rows = overdue_by_customer(user=seller, today=today)
    assert rows[0].overdue == Decimal("1000.00") and rows[0].account == account


def test_a_promise_to_pay_holds_dunning_and_is_kept_by_a_payment(account, customer, seller):
    today = timezone.localdate()
    _invoice(customer, 1, "800.00", today - dt.timedelta(days=5))
    deliver_all()
    receivable = Receivable.objects.get()
    promise = promise_to_pay_create(
        account=account,
        receivable=receivable,
        amount="800",
        promised_date=today + dt.timedelta(days=3),
        actor=seller,
    )
    assert dunning_run(today=today) == 0
    announce(
        topics.payment_received, {"payment_id": 5, "partner_id": customer.pk, "amount": "800.00"}
    )
    deliver_all()
    promise.refresh_from_db()
    assert promise.status == PromiseToPay.Status.KEPT


def test_a_broken_promise_makes_a_task(account, customer):
    promise = promise_to_pay_create(
        account=account, amount="10", promised_date=timezone.localdate()
    )
    dunning_run(today=timezone.localdate() + dt.timedelta(days=1))
    promise.refresh_from_db()
    assert promise.status == PromiseToPay.Status.BROKEN


def test_a_slipped_promised_date_gives_the_owner_a_task_once(
    account, customer, seller, warehouse, client
):
    order = SalesOrder.objects.create(
        number="SO-X-1", customer=customer, warehouse=warehouse, date=timezone.localdate()
    )
    event = announce(
        topics.schedule_changed,
        {
            "operations": [],
            "slipped_sales_orders": [
                {
                    "sales_order_id": order.pk,
                    "sales_order_line_id": 1,
                    "item_id": 1,
                    "promised_date": "2098-12-20",
                    "expected_date": "2099-01-02",
                },
                {
                    "sales_order_id": order.pk,
                    "sales_order_line_id": 2,
                    "item_id": 1,
                    "promised_date": "2098-12-20",
                    "expected_date": "2098-12-28",
                },
            ],
        },
    )
    deliver_all()
    task = Activity.objects.get(reason=Activity.Reason.PROMISE_SLIPPED)
    assert task.owner == seller and task.account == account
    assert "SO-X-1" in str(task.title) and "2099-01-02" in str(task.title)
    event_deliver(event_id=event.pk)
    assert Activity.objects.filter(reason=Activity.Reason.PROMISE_SLIPPED).count() == 1
    # The customer 360 page shows it.
    client.force_login(seller)
    page = client.get(f"/crm/accounts/{account.pk}/").content.decode()
    flagged = page[page.index('data-testid="slipped"') :].split('<div class="row g-4">')[0]
    assert "SO-X-1" in flagged and "2099-01-02" in flagged


def test_the_customer_360_page_flags_only_open_slipped_date_tasks(
    account, customer, warehouse, seller, client
):
    orders = [
        SalesOrder.objects.create(
            number=number, customer=customer, warehouse=warehouse, date=timezone.localdate()
        )
        for number in ("SO-OPEN-1", "SO-DONE-1")
    ]
    announce(
        topics.schedule_changed,
        {
            "operations": [],
            "slipped_sales_orders": [
                {
                    "sales_order_id": o.pk,
                    "promised_date": "2098-12-20",
                    "expected_date": "2099-01-02",
                }
                for o in orders
            ],
        },
    )
    deliver_all()
    (done,) = [
        a
        for a in Activity.objects.filter(reason=Activity.Reason.PROMISE_SLIPPED)
        if "SO-DONE-1" in a.title
    ]
    activity_complete(activity=done)
    client.force_login(seller)
    page = client.get(f"/crm/accounts/{account.pk}/").content.decode()
    flagged = page[page.index('data-testid="slipped"') :].split('<div class="row g-4">')[0]
    assert "SO-OPEN-1" in flagged and "SO-DONE-1" not in flagged


def test_tickets_get_an_sla_and_are_flagged_overdue(account, seller):
    item = ItemFactory()
    ticket = ticket_create(
        account=account, subject="Noisy gearbox", priority="urgent", item=item, lot_or_serial="SN-1"
    )
    assert ticket.owner == seller
    assert ticket.sla_due_at - ticket.opened_at == dt.timedelta(hours=4)
    assert ticket.number.startswith("TK-")
    Ticket.objects.filter(pk=ticket.pk).update(
        sla_due_at=timezone.now() - dt.timedelta(minutes=1),
        opened_at=timezone.now() - dt.timedelta(hours=5),
    )
    assert list(ticket_list(user=seller, overdue=True)) == [ticket]
    ticket_resolve(ticket=ticket, resolution="Bearing replaced")
    assert list(ticket_list(user=seller, overdue=True)) == []
    with pytest.raises(Conflict):
        ticket_resolve(ticket=ticket, resolution="again")


def test_my_day_lists_overdue_today_and_upcoming(account, seller):
    now = timezone.now()
    late = activity_create(
        kind="call",
        subject="Late",
        owner=seller,
        account=account,
        due_at=now - dt.timedelta(days=2),
    )
    activity_create(kind="visit", subject="Soon", owner=seller, due_at=now + dt.timedelta(days=2))
    day = my_day(user=seller)
    assert [a.subject for a in day["overdue"]] == ["Late"]
    assert [a.subject for a in day["upcoming"]] == ["Soon"]
    activity_complete(activity=late)
    assert my_day(user=seller)["overdue"] == []
