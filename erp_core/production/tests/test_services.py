"""Production order services: the snapshot, the status flow and every refused step."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from common.errors import Conflict
from common.testing import staff_user
from erp_core.ledger.models import JournalEntry
from erp_core.masterdata import services as erp_services
from erp_core.production import services
from erp_core.production.models import ProductionOrder, ProductionTimeBooking
from erp_core.production.selectors import SOURCE_TYPE, production_order_stock_moves
from erp_core.stock.models import StockBalance, StockMove
from integration.models import Event

pytestmark = pytest.mark.django_db
Status = ProductionOrder.Status


def _snapshot(order: ProductionOrder) -> dict:
    return {
        "materials": list(
            order.materials.order_by("line_no").values_list(
                "component__code", "quantity_required", "planned_unit_cost"
            )
        ),
        "operations": list(
            order.operations.order_by("sequence").values_list(
                "sequence", "work_center_id", "planned_hours", "machine_rate", "labour_rate"
            )
        ),
    }


def _state(order: ProductionOrder) -> tuple:
    """What a refused step must leave untouched."""
    order.refresh_from_db()
    return (
        order.status,
        order.revision,
        order.quantity_produced,
        order.output_value,
        _snapshot(order),
        StockMove.objects.count(),
        JournalEntry.objects.count(),
        Event.objects.count(),
    )


# --- Creation and the snapshot -----------------------------------------------------------------


def test_create_numbers_the_order_and_snapshots_bom_and_routing(plant):
    order = plant.order("10")
    assert order.number.startswith(f"MO-{timezone.localdate().year}-")
    assert order.status == Status.DRAFT
    assert order.get_status_display() == "Planned"
    assert (order.bom, order.routing) == (plant.bom, plant.routing)
    materials = {row.component: row for row in order.materials.all()}
    # 2 shafts each; housings with 10 % scrap; the phantom kit replaced by its grease.
    assert materials[plant.shaft].quantity_required == D("20")
    assert materials[plant.housing].quantity_required == D("11")
    assert materials[plant.grease].quantity_required == D("5")
    assert materials[plant.grease].via_phantom == plant.kit
    assert plant.kit not in materials
    assert all(row.is_planned for row in materials.values())
    operation = order.operations.get()
    assert (operation.setup_hours, operation.run_hours_per_unit) == (D("0.5"), D("0.1"))
    assert operation.planned_hours == D("1.5")
    assert order.planned_cost == D("460.00")


def test_create_takes_the_versions_valid_on_the_order_date(plant):
    erp_services.bom_update(bom=plant.bom, valid_to=timezone.localdate() - timedelta(days=1))
    newer = erp_services.bom_create(
        item=plant.gearbox,
        version="2",
        valid_from=timezone.localdate(),
        lines=[{"component": plant.shaft, "quantity_per": D("3")}],
    )
    order = plant.order("2")
    assert order.bom == newer
    assert list(order.materials.values_list("component", "quantity_required")) == [
        (plant.shaft.pk, D("6"))
    ]


@pytest.mark.parametrize(
    ("field", "value", "message_field"),
    [
        ("quantity", D("0"), "quantity"),
        ("quantity", D("-1"), "quantity"),
        ("item", "bought", "item"),
        ("item", "service", "item"),
        ("due_date", "yesterday", "due_date"),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(plant, field, value, message_field):
    kwargs = {
        "item": plant.gearbox,
        "quantity": D("1"),
        "due_date": timezone.localdate() + timedelta(days=3),
        "warehouse": plant.finished,
    }
    if value == "bought":
        value = plant.bought
    elif value == "service":
        value = plant.bought
        value.item_type = "service"
        value.make_or_buy = "make"
        value.save()
    elif value == "yesterday":
        value = timezone.localdate() - timedelta(days=1)
    kwargs[field] = value
    with pytest.raises(ValidationError) as error:
        services.production_order_create(**kwargs)
    assert message_field in error.value.message_dict
    assert ProductionOrder.objects.count() == 0


def test_create_refuses_an_item_without_a_valid_bom(plant):
    erp_services.bom_update(bom=plant.bom, is_active=False)
    with pytest.raises(ValidationError) as error:
        plant.order()
    assert "bom" in error.value.message_dict
    assert ProductionOrder.objects.count() == 0


def test_create_refuses_a_bom_of_another_item(plant):
    kit_bom = plant.kit.boms.get()
    with pytest.raises(ValidationError) as error:
        plant.order(bom=kit_bom)
    assert "bom" in error.value.message_dict


def test_editing_a_planned_order_rebuilds_the_snapshot(plant):
    order = plant.order("10")
    erp_services.bom_update(
        bom=plant.bom, lines=[{"component": plant.shaft, "quantity_per": D("4")}]
    )
    order = services.production_order_update(
        order=order, quantity=D("5"), expected_revision=order.revision
    )
    assert order.revision == 2
    assert list(order.materials.values_list("component", "quantity_required")) == [
        (plant.shaft.pk, D("20"))
    ]
    assert order.operations.get().planned_hours == D("1")


def test_a_released_order_keeps_its_snapshot_when_bom_routing_and_rates_change(plant):
    order = plant.released("10")
    before = _snapshot(order)
    erp_services.bom_update(bom=plant.bom, lines=[{"component": plant.oil, "quantity_per": D("7")}])
    erp_services.routing_update(
        routing=plant.routing,
        operations=[{"work_center": plant.line, "setup_minutes": D("90")}],
    )
    plant.line.machine_rate_per_hour = D("999.00")
    plant.line.save()
    order.refresh_from_db()
    assert _snapshot(order) == before
    assert order.planned_cost == D("460.00")


def test_release_copies_the_work_center_rates(plant):
    order = plant.order("10")
    plant.line.labour_rate_per_hour = D("60.00")
    plant.line.save()
    order = services.production_order_release(order=order, actor=None)
    assert order.operations.get().labour_rate == D("60.00")
    assert order.planned_cost == D("475.00")  # 265.00 + 1.5 h × 140.00


def test_edit_is_refused_once_released_or_with_a_stale_revision(plant):
    order = plant.order("10")
    stale = order.revision
    services.production_order_update(order=order, memo="rush")
    with pytest.raises(Conflict) as error:
        services.production_order_update(order=order, quantity=D("3"), expected_revision=stale)
    assert error.value.code == "stale_update"
    released = services.production_order_release(order=order, actor=None)
    before = _state(released)
    with pytest.raises(Conflict) as error:
        services.production_order_update(order=released, quantity=D("3"))
    assert error.value.code == "invalid_status"
    assert _state(released) == before


def test_edit_refuses_unknown_fields(plant):
    order = plant.order()
    with pytest.raises(ValidationError):
        services.production_order_update(order=order, status="done")


# --- Release, unrelease, void ------------------------------------------------------------------


def test_release_publishes_the_declared_payload(plant, django_capture_on_commit_callbacks):
    order = plant.order("10")
    with django_capture_on_commit_callbacks():
        order = services.production_order_release(order=order, actor=None)
    assert order.status == Status.RELEASED
    assert order.approved_at is not None
    event = Event.objects.get(topic="erp.production_order_released")
    assert event.payload == {
        "production_order_id": order.pk,
        "item_id": plant.gearbox.pk,
        "quantity": "10.000000",
        "due_date": order.due_date.isoformat(),
    }


def test_unrelease_goes_back_to_planned_while_nothing_was_booked(plant):
    order = plant.released()
    order = services.production_order_unrelease(order=order, actor=None)
    assert order.status == Status.DRAFT
    assert order.approved_by is None
    event = Event.objects.get(topic="erp.production_order_unreleased")
    assert event.payload == {"production_order_id": order.pk, "item_id": order.item_id}
    # ...and once planned it can be edited and voided.
    services.production_order_update(order=order, memo="later")
    order = services.production_order_void(order=order, actor=None, reason="Not needed")
    assert order.status == Status.VOIDED
    assert order.void_reason == "Not needed"


def test_unrelease_is_refused_once_something_was_consumed(plant):
    order = plant.released()
    services.production_order_consume(order=order, item=plant.shaft, quantity=D("1"))
    before = _state(order)
    with pytest.raises(Conflict) as error:
        services.production_order_unrelease(order=order, actor=None)
    assert error.value.code == "invalid_status"
    assert _state(order) == before


def test_unrelease_is_refused_when_scrap_alone_was_reported(plant):
    order = plant.released()
    # Force the status back to released to prove the activity check itself.
    services.production_order_report_output(order=order, quantity=D("0"), scrap_quantity=D("1"))
    ProductionOrder.objects.filter(pk=order.pk).update(status=Status.RELEASED)
    with pytest.raises(Conflict) as error:
        services.production_order_unrelease(order=order, actor=None)
    assert error.value.code == "has_downstream"


@pytest.mark.parametrize("step", ["released", "in_progress", "done", "closed", "voided"])
def test_void_is_refused_unless_planned(plant, step):
    order = _order_in(plant, step)
    before = _state(order)
    with pytest.raises(Conflict):
        services.production_order_void(order=order, actor=None, reason="x")
    assert _state(order) == before


def test_void_needs_a_reason(plant):
    order = plant.order()
    with pytest.raises(ValidationError):
        services.production_order_void(order=order, actor=None, reason="  ")
    order.refresh_from_db()
    assert order.status == Status.DRAFT


def _order_in(plant, step: str) -> ProductionOrder:
    """An order brought to ``step`` through the services."""
    order = plant.order("2")
    if step == "draft":
        return order
    if step == "voided":
        return services.production_order_void(order=order, actor=None, reason="x")
    order = services.production_order_release(order=order, actor=None)
    if step == "released":
        return order
    services.production_order_consume(order=order, item=plant.shaft, quantity=D("4"))
    order.refresh_from_db()
    if step == "in_progress":
        return order
    order = services.production_order_report_output(order=order, quantity=D("2"))
    if step == "done":
        return order
    return services.production_order_close(order=order, actor=None)


@pytest.mark.parametrize(
    ("step", "service"),
    [
        ("draft", "unrelease"),
        ("in_progress", "release"),
        ("in_progress", "unrelease"),
        ("done", "release"),
        ("done", "complete"),
        ("closed", "release"),
        ("closed", "complete"),
        ("closed", "close"),
        ("voided", "release"),
        ("draft", "complete"),
        ("draft", "close"),
        ("released", "close"),
        ("in_progress", "close"),
        ("voided", "close"),
    ],
)
def test_refused_transitions_are_409_and_change_nothing(plant, step, service):
    order = _order_in(plant, step)
    before = _state(order)
    with pytest.raises(Conflict) as error:
        getattr(services, f"production_order_{service}")(order=order, actor=None)
    assert error.value.code == "invalid_status"
    assert _state(order) == before


@pytest.mark.parametrize("step", ["draft", "closed", "voided"])
def test_nothing_is_booked_on_an_order_that_is_not_running(plant, step):
    order = _order_in(plant, step)
    before = _state(order)
    with pytest.raises(Conflict):
        services.production_order_consume(order=order, item=plant.shaft, quantity=D("1"))
    with pytest.raises(Conflict):
        services.production_order_report_output(order=order, quantity=D("1"))
    operation = order.operations.get()
    with pytest.raises(Conflict):
        services.production_order_book_time(order=order, operation=operation, labour_hours=D("1"))
    assert _state(order) == before


def test_the_whole_flow_planned_to_closed(plant):
    order = plant.order("2")
    assert order.status == Status.DRAFT
    order = services.production_order_release(order=order, actor=None)
    assert order.status == Status.RELEASED
    services.production_order_consume(order=order, item=plant.shaft, quantity=D("4"))
    order.refresh_from_db()
    assert order.status == Status.IN_PROGRESS
    order = services.production_order_report_output(order=order, quantity=D("1"))
    assert order.status == Status.IN_PROGRESS
    order = services.production_order_report_output(order=order, quantity=D("1"))
    assert order.status == Status.DONE
    # A late report on a done order is taken only with a supervisor's override.
    services.production_order_consume(
        order=order,
        item=plant.housing,
        quantity=D("1"),
        override_reason="housing issued late",
        actor=staff_user("Planner"),
    )
    order = services.production_order_close(order=order, actor=None)
    assert order.status == Status.CLOSED
    assert order.closed_at is not None


def test_time_booked_first_starts_the_order_and_complete_makes_it_done(plant):
    order = plant.released()
    services.production_order_book_time(
        order=order, operation=order.operations.get(), machine_hours=D("1")
    )
    order.refresh_from_db()
    assert order.status == Status.IN_PROGRESS
    order = services.production_order_complete(order=order, actor=None)
    assert order.status == Status.DONE


# --- Consumption, output and time post to WIP --------------------------------------------------


def _balanced(entry: JournalEntry) -> bool:
    totals = entry.lines.aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return totals["debit"] == totals["credit"] and totals["debit"] > 0


def test_consumption_issues_stock_into_wip_linked_to_the_order(plant):
    order = plant.released()
    row = services.production_order_consume(order=order, item=plant.shaft, quantity=D("3"))
    assert (row.quantity_consumed, row.consumed_value) == (D("3"), D("30.00"))
    move = production_order_stock_moves(order=order).get()
    assert (move.source_type, move.source_id) == (SOURCE_TYPE, str(order.pk))
    assert move.reason == StockMove.Reason.PRODUCTION_CONSUMPTION
    assert move.warehouse == plant.stores
    assert StockBalance.objects.get(item=plant.shaft, warehouse=plant.stores).quantity == 97
    entry = move.journal_entry
    assert _balanced(entry)
    lines = {line.account.code: (line.debit, line.credit) for line in entry.lines.all()}
    assert lines == {"500101": (D("30.00"), D("0")), "1405": (D("0"), D("30.00"))}


def test_consuming_a_component_outside_the_snapshot_adds_an_unplanned_row(plant):
    order = plant.released()
    row = services.production_order_consume(order=order, item=plant.oil, quantity=D("2"))
    assert not row.is_planned
    assert row.quantity_required == 0
    assert row.line_no == 4
    assert row.consumed_value == D("6.00")


def test_consumption_beyond_stock_is_refused_and_writes_nothing(plant):
    order = plant.released()
    before = _state(order)
    with pytest.raises(ValidationError):
        services.production_order_consume(order=order, item=plant.shaft, quantity=D("1000"))
    assert _state(order) == before
    assert not order.materials.filter(quantity_consumed__gt=0).exists()


@pytest.mark.parametrize("quantity", [D("0"), D("-2"), D("NaN")])
def test_consumption_refuses_a_quantity_not_above_zero(plant, quantity):
    order = plant.released()
    with pytest.raises(ValidationError):
        services.production_order_consume(order=order, item=plant.shaft, quantity=quantity)
    assert StockMove.objects.filter(source_type=SOURCE_TYPE).count() == 0


def test_an_order_does_not_consume_its_own_item(plant):
    order = plant.released()
    with pytest.raises(ValidationError):
        services.production_order_consume(order=order, item=plant.gearbox, quantity=D("1"))


def test_output_is_received_out_of_wip_at_standard(plant):
    order = plant.released("10")
    order = services.production_order_report_output(
        order=order, quantity=D("3"), scrap_quantity=D("1")
    )
    assert (order.quantity_produced, order.quantity_scrapped) == (D("3"), D("1"))
    assert order.output_value == D("138.00")
    move = production_order_stock_moves(order=order).get()
    assert move.reason == StockMove.Reason.PRODUCTION_OUTPUT
    assert move.warehouse == plant.finished
    assert _balanced(move.journal_entry)
    lines = {
        line.account.code: (line.debit, line.credit) for line in move.journal_entry.lines.all()
    }
    assert lines == {"1405": (D("138.00"), D("0")), "500101": (D("0"), D("138.00"))}


def test_output_refuses_nothing_reported_or_negative(plant):
    order = plant.released()
    for quantity, scrap in ((D("0"), D("0")), (D("-1"), D("0")), (D("1"), D("-1"))):
        with pytest.raises(ValidationError):
            services.production_order_report_output(
                order=order, quantity=quantity, scrap_quantity=scrap
            )
    order.refresh_from_db()
    assert order.quantity_produced == 0
    assert order.status == Status.RELEASED


def test_time_is_posted_on_the_production_journal(plant):
    order = plant.released()
    operation = order.operations.get()
    booking = services.production_order_book_time(
        order=order, operation=operation, machine_hours=D("1.5"), labour_hours=D("2")
    )
    assert (booking.machine_amount, booking.labour_amount) == (D("120.00"), D("100.00"))
    entry = booking.journal_entry
    assert entry.journal.code == "PRD"
    assert _balanced(entry)
    lines = {line.account.code: (line.debit, line.credit) for line in entry.lines.all()}
    assert lines == {
        "500103": (D("120.00"), D("0")),
        "5101": (D("0"), D("120.00")),
        "500102": (D("100.00"), D("0")),
        "2211": (D("0"), D("100.00")),
    }
    operation.refresh_from_db()
    assert (operation.actual_machine_hours, operation.actual_labour_hours) == (D("1.5"), D("2"))


def test_time_with_the_same_event_is_booked_once(plant):
    order = plant.released()
    operation = order.operations.get()
    event_id = "0b7d1c1e-6a57-4a3b-9c55-0d4f3a0f9a11"
    for _ in range(2):
        services.production_order_book_time(
            order=order, operation=operation, labour_hours=D("1"), source_event_id=event_id
        )
    assert ProductionTimeBooking.objects.count() == 1
    operation.refresh_from_db()
    assert operation.actual_labour_hours == D("1")


def test_time_refuses_another_orders_operation_and_no_hours(plant):
    order = plant.released()
    other = plant.released()
    with pytest.raises(ValidationError):
        services.production_order_book_time(
            order=order, operation=other.operations.get(), labour_hours=D("1")
        )
    with pytest.raises(ValidationError):
        services.production_order_book_time(order=order, operation=order.operations.get())
    assert ProductionTimeBooking.objects.count() == 0
