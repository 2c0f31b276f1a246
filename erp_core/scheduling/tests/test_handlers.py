"""The receiver of ``mes.machine_state_changed`` and the promises a schedule finds slipped."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import transaction
from django.utils import timezone

from erp_core.sales.models import SalesOrderLine
from erp_core.sales.tests.helpers import make_order
from erp_core.scheduling import handlers
from erp_core.scheduling.models import PromiseSlip, Resource, Schedule, ScheduledOperation
from erp_core.scheduling.services import ScheduleError, schedule_run
from erp_core.tests.factories import PartnerFactory, TaxCodeFactory
from integration import topics
from integration.bus import AlreadyHandled, publish
from integration.models import Event

pytestmark = pytest.mark.django_db


def _machine_event(machine_id, center, state, at) -> Event:
    with transaction.atomic():
        return publish(
            topic=topics.machine_state_changed,
            payload={
                "machine_id": machine_id,
                "work_center_id": center.pk,
                "state": state,
                "changed_at": at.isoformat(),
            },
        )


def test_a_machine_down_event_replans_once_and_publishes_what_moved(shop):
    shop.released("2")
    now = timezone.now()
    for machine_id in (31, 32):
        handlers.machine_state_changed(_machine_event(machine_id, shop.drill, "idle", now))
    assert set(Resource.objects.values_list("machine_id", flat=True)) == {31, 32}
    schedule_run(seconds=D("0.3"))
    on_31 = ScheduledOperation.objects.filter(schedule__is_current=True, resource__machine_id=31)
    down = _machine_event(31, shop.drill, "down", now + dt.timedelta(seconds=1))
    handlers.machine_state_changed(down)
    with pytest.raises(AlreadyHandled):
        handlers.machine_state_changed(down)
    current = Schedule.objects.get(is_current=True)
    assert current.reason == Schedule.Reason.MACHINE_DOWN
    assert not on_31.exists()
    assert Schedule.objects.filter(reason=Schedule.Reason.MACHINE_DOWN).count() == 1
    published = Event.objects.filter(topic="erp.schedule_changed").order_by("-occurred_at")[0]
    assert all(entry.get("machine_id") != 31 for entry in published.payload["operations"])


def test_a_report_of_an_unknown_work_center_is_refused(shop):
    event = _machine_event(5, shop.drill, "down", timezone.now())
    event.payload["work_center_id"] = 987654
    with pytest.raises(ScheduleError):
        handlers.machine_state_changed(event)
    assert not Resource.objects.exists()


def test_a_line_promised_before_the_schedule_can_make_it_is_flagged_and_moved(shop):
    shop.bracket.vat = TaxCodeFactory(code="V13", rate=D("0.13"))
    shop.bracket.list_price = D("10.00")
    shop.bracket.save()
    customer = PartnerFactory(kind="customer")
    today = timezone.localdate()
    order = make_order(
        customer, shop.stores, [(shop.bracket, 30, "10.00")], approve=True, promised_date=today
    )
    shop.released("30", due_in_days=0)  # 16 h of sawing, then 30 h of drilling on two drills
    schedule = schedule_run(seconds=D("0.3"))
    slip = PromiseSlip.objects.get(schedule=schedule)
    line = SalesOrderLine.objects.get(order=order)
    assert slip.sales_order_line_id == line.pk
    assert slip.promised_date == today
    assert slip.expected_date > today
    assert line.promised_date == slip.expected_date
    published = Event.objects.filter(topic="erp.schedule_changed").order_by("-occurred_at")[0]
    (entry,) = published.payload["slipped_sales_orders"]
    assert entry["sales_order_line_id"] == line.pk
    assert entry["expected_date"] == slip.expected_date.isoformat()
