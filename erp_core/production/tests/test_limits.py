"""The limits of shop-floor reports: output past the quantity and its tolerance, any report on
a done order, hours past the work center's calendar — refused unless a supervisor overrides
with a reason, which is kept on the booking and in the order's history."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from common.errors import Conflict
from common.testing import staff_user
from erp_core.ledger.selectors import company_settings
from erp_core.production import services
from erp_core.production.models import ProductionOrder
from tests.test_extreme_numbers import EXTREMES

Status = ProductionOrder.Status


def _produced(order) -> D:
    return ProductionOrder.objects.get(pk=order.pk).quantity_produced


def test_output_past_the_companys_tolerance_is_refused_and_nothing_is_written(plant):
    order = plant.released("10")  # the company's default tolerance: 10 %
    with pytest.raises(ValidationError) as refused:
        services.production_order_report_output(order=order, quantity=D("11.000001"))
    assert "11" in str(refused.value) and "10" in str(refused.value)
    assert _produced(order) == 0
    order = services.production_order_report_output(order=order, quantity=D("11"))
    assert order.quantity_produced == D("11")


def test_the_items_tolerance_comes_before_the_companys(plant):
    company = company_settings()
    company.production_output_tolerance_percent = D("50")
    company.save()
    plant.gearbox.output_tolerance_percent = D("0")
    plant.gearbox.save()
    order = plant.released("10")
    with pytest.raises(ValidationError):
        services.production_order_report_output(order=order, quantity=D("10.5"))
    services.production_order_report_output(order=order, quantity=D("10"))


def test_a_million_pieces_on_an_order_for_five_are_refused(plant):
    order = plant.released("5")
    with pytest.raises(ValidationError):
        services.production_order_report_output(order=order, quantity=D("1000000"))
    assert _produced(order) == 0


def test_any_report_on_a_done_order_is_refused_without_an_override(plant):
    order = plant.released("10")
    services.production_order_report_output(order=order, quantity=D("10"))
    order.refresh_from_db()
    assert order.status == Status.DONE
    operation = order.operations.get()
    with pytest.raises(Conflict) as refused:
        services.production_order_report_output(order=order, quantity=D("1"))
    assert refused.value.code == "order_done"
    with pytest.raises(Conflict):
        services.production_order_consume(order=order, item=plant.shaft, quantity=D("1"))
    with pytest.raises(Conflict):
        services.production_order_book_time(order=order, operation=operation, machine_hours=D("1"))
    assert _produced(order) == D("10")
    assert not order.time_bookings.exists()


def test_a_closed_order_takes_no_report_even_with_an_override(plant):
    order = plant.released("10")
    ProductionOrder.objects.filter(pk=order.pk).update(status=Status.CLOSED)
    with pytest.raises(Conflict):
        services.production_order_report_output(
            order=order,
            quantity=D("1"),
            override_reason="counted again",
            actor=staff_user("Planner"),
        )


def test_a_supervisor_overrides_with_a_reason_kept_on_the_booking_and_in_history(plant):
    supervisor = staff_user("Planner")
    order = plant.released("10")
    services.production_order_report_output(order=order, quantity=D("10"))
    order = services.production_order_report_output(
        order=order, quantity=D("5"), override_reason="extra lot for stock", actor=supervisor
    )
    assert order.quantity_produced == D("15")
    assert order.history.filter(history_change_reason__contains="extra lot for stock").exists()
    booking = services.production_order_book_time(
        order=order,
        operation=order.operations.get(),
        machine_hours=D("1"),
        override_reason="rework after done",
        actor=supervisor,
    )
    assert booking.override_reason == "rework after done"


def test_an_override_without_the_permission_is_refused(plant):
    order = plant.released("10")
    with pytest.raises(PermissionDenied):
        services.production_order_report_output(
            order=order,
            quantity=D("50"),
            override_reason="trust me",
            actor=staff_user("Shop floor"),
        )
    assert _produced(order) == 0


def test_hours_past_the_work_centers_calendar_are_refused(plant):
    # One machine, one 8-hour shift, released today: 8 hours so far.
    order = plant.released("10")
    operation = order.operations.get()
    services.production_order_book_time(order=order, operation=operation, machine_hours=D("8"))
    with pytest.raises(ValidationError) as refused:
        services.production_order_book_time(
            order=order, operation=operation, machine_hours=D("0.01")
        )
    assert "8" in str(refused.value)
    with pytest.raises(ValidationError):
        services.production_order_book_time(
            order=order, operation=operation, labour_hours=D("99999999999")
        )
    assert order.time_bookings.count() == 1


def test_an_event_beyond_the_limits_is_refused_never_overridden(plant):
    order = plant.released("5")
    with pytest.raises(ValidationError):
        services.production_order_output_reported(
            production_order_id=order.pk,
            item_id=order.item_id,
            quantity="1000000",
            scrap_quantity="0",
        )
    assert _produced(order) == 0


# --- Extreme numbers: accepted and fitting, or refused with nothing written --------------------


def _fed(call, value, order) -> None:
    before = (
        ProductionOrder.objects.get(pk=order.pk).quantity_produced,
        order.time_bookings.count(),
        order.materials.aggregate(total=Sum("quantity_consumed"))["total"],
    )
    try:
        with transaction.atomic():
            call(value)
    except ValidationError:
        after = (
            ProductionOrder.objects.get(pk=order.pk).quantity_produced,
            order.time_bookings.count(),
            order.materials.aggregate(total=Sum("quantity_consumed"))["total"],
        )
        assert after == before, value


def test_extreme_numbers_on_every_production_input_are_taken_or_refused_cleanly(plant):
    order = plant.released("10")
    operation = order.operations.get()
    inputs = (
        lambda v: services.production_order_report_output(order=order, quantity=v),
        lambda v: services.production_order_report_output(
            order=order, quantity=D("0"), scrap_quantity=v
        ),
        lambda v: services.production_order_consume(order=order, item=plant.shaft, quantity=v),
        lambda v: services.production_order_book_time(
            order=order, operation=operation, machine_hours=v
        ),
        lambda v: services.production_order_book_time(
            order=order, operation=operation, labour_hours=v
        ),
        lambda v: services.production_order_create(
            item=plant.gearbox,
            quantity=v,
            due_date=timezone.localdate() + timedelta(days=7),
            warehouse=plant.finished,
            component_warehouse=plant.stores,
            actor=None,
        ),
    )
    for call in inputs:
        for value in EXTREMES:
            _fed(call, value, order)
