"""MRP runs against the database: what is loaded, planned and saved, the refusal of a second
run, firming and releasing in bulk, net change after a sales order, shortages published."""

import datetime as dt
from decimal import Decimal as D
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.errors import Conflict, NotFound
from erp_core.planning import services
from erp_core.planning.models import (
    ExceptionMessage,
    Forecast,
    MrpRun,
    PlannedOrder,
    PlannedOrderPeg,
    Shortage,
)
from erp_core.planning.promise import available_to_promise
from erp_core.production.models import ProductionOrder
from erp_core.purchasing.models import PurchaseRequisitionLine
from erp_core.sales.models import SalesOrderLine
from erp_core.sales.tests.helpers import make_order
from integration.models import Event

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def run_mrp():
    run = services.mrp_run_start(actor=None)
    return services.mrp_run_execute(run=run)


def by_item(item):
    return list(PlannedOrder.objects.filter(item=item).order_by("due_date"))


@pytest.fixture
def lead_times(plant):
    """Shafts take 3 days to buy, housings 20 (longer than the order's lead time)."""
    plant.shaft.purchase_lead_time_days = 3
    plant.shaft.save()
    plant.housing.purchase_lead_time_days = 20
    plant.housing.save()
    return plant


def test_a_run_nets_a_sales_order_through_the_bom_and_pegs_it(lead_times, customer):
    plant = lead_times
    order = make_order(
        customer,
        plant.finished,
        [(plant.gearbox, 80)],
        approve=True,
        requested_date=today() + dt.timedelta(days=14),
    )
    run = run_mrp()
    assert run.status == MrpRun.Status.DONE and run.progress == 100
    (gearboxes,) = by_item(plant.gearbox)
    assert (gearboxes.kind, gearboxes.quantity) == (PlannedOrder.Kind.MAKE, D(80))
    assert gearboxes.due_date == today() + dt.timedelta(days=14)
    peg = gearboxes.pegs.get()
    assert peg.sales_order_line == order.lines.get()
    # 2 shafts each, 100 in stock: 160 − 100 = 60, bought from the gearbox start
    (shafts,) = by_item(plant.shaft)
    assert (shafts.kind, shafts.quantity, shafts.due_date) == (
        PlannedOrder.Kind.BUY,
        D(60),
        gearboxes.start_date,
    )
    assert shafts.pegs.get().parent == gearboxes
    # the phantom kit is never planned; its grease is: 0.5 × 80 = 40 < 100 in stock
    assert by_item(plant.kit) == [] and by_item(plant.grease) == []
    # housings: 80 × 1.1 scrap = 88 < 100 in stock
    assert by_item(plant.housing) == []


def test_a_need_within_the_lead_time_is_a_shortage_published_with_its_order(
    lead_times, customer, django_capture_on_commit_callbacks
):
    plant = lead_times
    order = make_order(
        customer,
        plant.finished,
        [(plant.gearbox, 200)],
        approve=True,
        requested_date=today() + dt.timedelta(days=10),
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = run_mrp()
    shortage = Shortage.objects.get(item=plant.housing)
    assert shortage.quantity == D(200) * D("1.1") - D(100)
    assert shortage.sales_order_ids == [order.pk]
    assert run.shortage_count == Shortage.objects.count()
    event = Event.objects.get(topic="erp.shortage_detected", payload__item_id=plant.housing.pk)
    assert event.payload["sales_order_ids"] == [order.pk]
    assert event.payload["quantity"] == str(shortage.quantity)
    assert PlannedOrder.objects.get(item=plant.housing).is_short


def test_a_second_run_is_refused_while_one_is_queued(plant):
    services.mrp_run_start(actor=None)
    with pytest.raises(Conflict):
        services.mrp_run_start(actor=None)
    assert MrpRun.objects.count() == 1


def test_a_new_run_replaces_planned_orders_and_keeps_firm_ones(lead_times, customer):
    plant = lead_times
    make_order(
        customer,
        plant.finished,
        [(plant.gearbox, 80)],
        approve=True,
        requested_date=today() + dt.timedelta(days=14),
    )
    run_mrp()
    (gearboxes,) = by_item(plant.gearbox)
    services.planned_orders_firm(ids=[gearboxes.pk], actor=None)
    run_mrp()
    assert by_item(plant.gearbox) == [gearboxes]  # kept, and nothing planned on top of it
    gearboxes.refresh_from_db()
    assert gearboxes.status == PlannedOrder.Status.FIRM
    assert gearboxes.pegs.get().kind == PlannedOrderPeg.Kind.SALES_LINE
    # its shafts are still planned from it
    assert by_item(plant.shaft)[0].pegs.get().parent == gearboxes
    assert PlannedOrder.objects.filter(status=PlannedOrder.Status.PLANNED).count() == 1


def test_release_makes_a_requisition_and_a_production_order(lead_times, customer):
    plant = lead_times
    make_order(
        customer,
        plant.finished,
        [(plant.gearbox, 80)],
        approve=True,
        requested_date=today() + dt.timedelta(days=14),
    )
    run_mrp()
    ids = list(PlannedOrder.objects.values_list("pk", flat=True))
    released = services.planned_orders_release(ids=ids, actor=None, warehouse=plant.finished)
    assert {o.status for o in released} == {PlannedOrder.Status.RELEASED}
    shafts = PlannedOrder.objects.get(item=plant.shaft)
    line = PurchaseRequisitionLine.objects.get(pk=shafts.requisition_line_id)
    assert (line.item, line.quantity) == (plant.shaft, D(60))
    gearboxes = PlannedOrder.objects.get(item=plant.gearbox)
    production = ProductionOrder.objects.get(pk=gearboxes.production_order_id)
    assert (production.item, production.quantity, production.status) == (
        plant.gearbox,
        D(80),
        ProductionOrder.Status.DRAFT,
    )
    # the next run counts them as supply: nothing new is planned
    run_mrp()
    assert not PlannedOrder.objects.filter(status=PlannedOrder.Status.PLANNED).exists()
    with pytest.raises(Conflict) as refused:
        services.planned_orders_release(ids=ids, actor=None)
    assert refused.value.code == "planned_order_released"
    with pytest.raises(Conflict) as refused:
        services.planned_orders_firm(ids=ids, actor=None)
    assert refused.value.code == "planned_order_released"


def test_release_refuses_unknown_ids_and_writes_nothing(plant):
    with pytest.raises(NotFound):
        services.planned_orders_release(ids=[999999], actor=None)
    with pytest.raises(ValidationError):
        services.planned_orders_firm(ids=[], actor=None)


def test_open_supply_gets_exception_messages(plant, customer):
    production = plant.order("5")  # due in a week, nothing needs it
    run_mrp()
    message = ExceptionMessage.objects.get(supply_id=production.pk)
    assert (message.kind, message.supply_number) == (
        ExceptionMessage.Kind.CANCEL,
        production.number,
    )


def test_a_forecast_is_planned_less_the_orders_of_its_period(plant, customer):
    start = today() + dt.timedelta(days=20)
    forecast = services.forecast_create(
        item=plant.gearbox,
        period_start=start,
        period_end=start + dt.timedelta(days=6),
        quantity=D(50),
    )
    make_order(
        customer,
        plant.finished,
        [(plant.gearbox, 30)],
        approve=True,
        requested_date=start + dt.timedelta(days=2),
    )
    run_mrp()
    kinds = sorted(
        (p.kind, p.quantity)
        for p in PlannedOrderPeg.objects.filter(planned_order__item=plant.gearbox)
    )
    assert kinds == [("forecast", D(20)), ("sales_line", D(30))]
    assert PlannedOrderPeg.objects.get(kind="forecast").forecast == forecast


def test_forecast_bad_input_is_refused(plant):
    start = today()
    with pytest.raises(ValidationError):
        services.forecast_create(
            item=plant.gearbox,
            period_start=start,
            period_end=start - dt.timedelta(days=1),
            quantity=D(5),
        )
    with pytest.raises(ValidationError):
        services.forecast_create(
            item=plant.gearbox, period_start=start, period_end=start, quantity="-1"
        )
    assert not Forecast.objects.exists()


@pytest.mark.parametrize(
    ("days", "taken"), [(1830, True), (1831, False), (-366, True), (-367, False)]
)
def test_a_forecast_starts_within_five_years_ahead_and_one_back(plant, days, taken):
    start = today() + dt.timedelta(days=days)
    create = partial(
        services.forecast_create, item=plant.gearbox, period_start=start, period_end=start
    )
    if taken:
        create(quantity=D(5))
        assert Forecast.objects.filter(period_start=start).exists()
    else:
        with pytest.raises(ValidationError) as refused:
            create(quantity=D(5))
        assert "period_start" in refused.value.message_dict
        assert not Forecast.objects.exists()


def test_a_confirmed_sales_order_replans_its_items_by_net_change(
    lead_times, customer, django_capture_on_commit_callbacks
):
    plant = lead_times
    run_mrp()
    assert not PlannedOrder.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        make_order(
            customer,
            plant.finished,
            [(plant.gearbox, 80)],
            approve=True,
            requested_date=today() + dt.timedelta(days=14),
        )
    net = MrpRun.objects.filter(kind=MrpRun.Kind.NET_CHANGE).get()
    assert net.status == MrpRun.Status.DONE
    assert by_item(plant.gearbox)[0].quantity == D(80)
    assert by_item(plant.shaft)[0].quantity == D(60)
    # the gearbox and the three items below it (the phantom kit is not planned), not every item
    assert net.items_planned == 4


def test_available_to_promise_counts_the_free_planned_supply_after_a_run(plant):
    plant.gearbox.lot_sizing = "fixed"
    plant.gearbox.fixed_order_qty = D(50)
    plant.gearbox.save()
    services.forecast_create(
        item=plant.gearbox,
        period_start=today() + dt.timedelta(days=10),
        period_end=today() + dt.timedelta(days=16),
        quantity=D(20),
    )
    assert (
        available_to_promise(item_id=plant.gearbox.pk, quantity=D(10), on_date=today()).date is None
    )
    run_mrp()
    (order,) = by_item(plant.gearbox)  # 50 planned for 20 forecast: 30 free
    answer = available_to_promise(item_id=plant.gearbox.pk, quantity=D(30), on_date=today())
    assert (answer.date, answer.basis) == (order.due_date, "planned_supply")
    too_much = available_to_promise(item_id=plant.gearbox.pk, quantity=D(31), on_date=today())
    assert too_much.date is None


def _plan_snapshot():
    """The stored plan by content (not ids): orders, and pegs by their order's content."""
    key = {
        o.pk: (o.item_id, o.kind, o.status, o.quantity, o.start_date, o.due_date, o.is_short)
        for o in PlannedOrder.objects.all()
    }
    pegs = sorted(
        (key[p.planned_order_id], p.kind, p.quantity, p.need_date, p.sales_order_line_id,
         key.get(p.parent_id))
        for p in PlannedOrderPeg.objects.all()
    )  # fmt: skip
    exceptions = sorted(
        ExceptionMessage.objects.values_list("kind", "item_id", "supply_id", "quantity")
    )
    return sorted(key.values()), pegs, exceptions


def test_net_change_writes_only_what_changed_and_plans_like_a_full_run(lead_times, customer):
    plant = lead_times
    order = make_order(
        customer,
        plant.finished,
        [(plant.gearbox, 80), (plant.bought, 30)],
        approve=True,
        requested_date=today() + dt.timedelta(days=14),
    )
    run_mrp()
    orders = dict(PlannedOrder.objects.values_list("pk", "run_id"))
    pegs = set(PlannedOrderPeg.objects.values_list("pk", flat=True))
    assert len(orders) == 3  # gearboxes, shafts, the bought item

    # nothing changed: nothing is rewritten
    net = services.mrp_net_change(item_ids=[plant.gearbox.pk])
    assert net.status == MrpRun.Status.DONE and net.planned_order_count == 2
    assert dict(PlannedOrder.objects.values_list("pk", "run_id")) == orders
    assert set(PlannedOrderPeg.objects.values_list("pk", flat=True)) == pegs

    # 10 more gearboxes: their orders change, the bought item's (outside the set) is kept
    line = order.lines.get(item=plant.gearbox)
    SalesOrderLine.objects.filter(pk=line.pk).update(quantity=D(90))
    bought = PlannedOrder.objects.get(item=plant.bought)
    services.mrp_net_change(item_ids=[plant.gearbox.pk])
    assert by_item(plant.gearbox)[0].quantity == D(90)
    assert by_item(plant.shaft)[0].quantity == D(80)  # 2 × 90 − 100 in stock
    assert PlannedOrder.objects.get(item=plant.bought) == bought
    after_net_change = _plan_snapshot()
    run_mrp()
    assert _plan_snapshot() == after_net_change
