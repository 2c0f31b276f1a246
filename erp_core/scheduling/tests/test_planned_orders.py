"""Firm planned orders in the schedule, and each order waiting for its components."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from common.testing import api_client, staff_user
from erp_core.planning.models import MrpRun, PlannedOrder, PlannedOrderPeg, SupplyPeg
from erp_core.planning.services import mrp_run_execute, mrp_run_start, planned_orders_release
from erp_core.purchasing.tests.helpers import placed_order, supplier_factory
from erp_core.scheduling import selectors
from erp_core.scheduling.loader import materials_available
from erp_core.scheduling.models import ScheduleChange, ScheduledOperation
from erp_core.scheduling.services import schedule_run
from integration.models import Event

pytestmark = pytest.mark.django_db


def _run() -> MrpRun:
    return MrpRun.objects.create(
        kind=MrpRun.Kind.REGENERATIVE, status=MrpRun.Status.DONE, plan_date=timezone.localdate()
    )


def _planned(shop, run, *, kind=PlannedOrder.Kind.MAKE, status=PlannedOrder.Status.FIRM, **kw):
    today = timezone.localdate()
    values = {
        "item": shop.bracket,
        "quantity": D("2"),
        "start_date": today,
        "due_date": today + dt.timedelta(days=7),
    }
    values.update(kw)
    return PlannedOrder.objects.create(run=run, kind=kind, status=status, **values)


def test_a_firm_planned_order_is_scheduled_from_its_routing_and_keeps_its_places_once_released(
    shop, django_assert_max_num_queries
):
    run = _run()
    firm = _planned(shop, run)
    _planned(shop, run, status=PlannedOrder.Status.PLANNED)  # not firm: not scheduled
    origin = timezone.now()
    first = schedule_run(seconds=D("0.2"), origin=origin)
    rows = list(ScheduledOperation.objects.filter(schedule=first).order_by("sequence"))
    assert [(row.planned_order_id, row.operation_id) for row in rows] == [(firm.pk, None)] * 2
    cut, drill = rows
    assert cut.work_center_id == shop.saw.pk and cut.end - cut.start == dt.timedelta(minutes=120)
    assert drill.start >= cut.end and drill.work_center_id == shop.drill.pk
    # Nothing on the shop floor follows a planned order yet: nothing to announce.
    assert not Event.objects.filter(topic="erp.schedule_changed").exists()
    before = {row.sequence: (row.machine_label, row.start, row.end) for row in rows}

    (released,) = planned_orders_release(ids=[firm.pk], actor=None, warehouse=shop.stores)
    order = released.production_order
    shown = selectors.scheduled_operation_list().first()
    assert shown.order_number == order.number  # the current plan shows the new order at once
    client = api_client(staff_user("Planner"))
    with django_assert_max_num_queries(8):
        listed = client.get("/api/v1/erp/scheduled-operations/").json()["results"]
    assert [(row["planned_order"], row["production_order"]) for row in listed] == [
        (firm.pk, order.pk)
    ] * 2

    second = schedule_run(seconds=D("0.2"), origin=origin)
    after = {
        row.operation.sequence: (row.machine_label, row.start, row.end)
        for row in ScheduledOperation.objects.filter(schedule=second).select_related(
            "operation", "work_center"
        )
    }
    assert after == before
    assert (
        ScheduledOperation.objects.filter(schedule=second, planned_order__isnull=False).count() == 0
    )
    assert second.moved_count == 0
    assert not ScheduleChange.objects.filter(schedule=second).exists()


def test_an_order_waits_for_the_components_mrp_plans_to_bring(shop):
    order = shop.released("2")
    firm = _planned(shop, _run())
    today = timezone.localdate()
    steel_for_order = _planned(
        shop, firm.run, kind=PlannedOrder.Kind.BUY, status=PlannedOrder.Status.PLANNED,
        item=shop.steel, due_date=today + dt.timedelta(days=3),
    )  # fmt: skip
    steel_for_firm = _planned(
        shop, firm.run, kind=PlannedOrder.Kind.BUY, status=PlannedOrder.Status.PLANNED,
        item=shop.steel, due_date=today + dt.timedelta(days=5),
    )  # fmt: skip
    PlannedOrderPeg.objects.create(
        planned_order=steel_for_order, kind=PlannedOrderPeg.Kind.PRODUCTION_ORDER,
        quantity=D("2"), need_date=today, production_order=order,
    )  # fmt: skip
    PlannedOrderPeg.objects.create(
        planned_order=steel_for_firm, kind=PlannedOrderPeg.Kind.PLANNED_ORDER,
        quantity=D("2"), need_date=today, parent=firm,
    )  # fmt: skip
    schedule = schedule_run(seconds=D("0.2"))
    zone = timezone.get_current_timezone()
    first_starts = {}
    for row in ScheduledOperation.objects.filter(schedule=schedule):
        key = row.planned_order_id or "order"
        first_starts[key] = min(first_starts.get(key, row.start), row.start)
    day = lambda offset: timezone.make_aware(  # noqa: E731
        dt.datetime.combine(today + dt.timedelta(days=offset), dt.time(0)), zone
    )
    assert first_starts["order"] >= day(3)
    assert first_starts[firm.pk] >= day(5)


def test_an_order_waits_for_a_late_purchase_order_mrp_pegged_to_its_components(
    shop, django_assert_num_queries
):
    order = shop.released("2")
    today = timezone.localdate()
    purchase = placed_order(
        supplier=supplier_factory(), warehouse=shop.stores, item=shop.steel, quantity="2",
        expected_date=today + dt.timedelta(days=10),
    )  # fmt: skip
    other = shop.released("1")  # its steel is on the same purchase order: none left for it
    mrp_run_execute(run=mrp_run_start(actor=None))
    assert SupplyPeg.objects.filter(
        supply_id=purchase.lines.get().pk, production_order=order
    ).exists()

    with django_assert_num_queries(1):  # the planned orders' and open supply's pegs at once
        available = materials_available(
            production_order_ids=[order.pk, other.pk], planned_order_ids=[]
        )
    assert available[order.pk] == today + dt.timedelta(days=10)

    schedule = schedule_run(seconds=D("0.2"))
    first = ScheduledOperation.objects.filter(schedule=schedule, operation__order=order).order_by(
        "start"
    )[0]
    zone = timezone.get_current_timezone()
    assert first.start >= timezone.make_aware(
        dt.datetime.combine(today + dt.timedelta(days=10), dt.time(0)), zone
    )
