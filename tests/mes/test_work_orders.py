"""Work orders from the ERP's releases, queues, the operations' rules, over-reporting, and the
ERP giving way to MES — services against the database, events delivered as the worker would."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from common.errors import Conflict
from erp_core import registry
from erp_core.models import UnitOfMeasure
from erp_core.production import services as production
from erp_core.production.models import ProductionOrder, ProductionTimeBooking
from integration import topics
from integration.bus import publish
from integration.models import Event
from mes.models import (
    LotConsumption,
    Machine,
    OperationOverride,
    OperationReport,
    OperationRun,
    WorkOperation,
    WorkOrder,
)
from mes.selectors_work import machine_queue, production_order_operator
from mes.services import operations as ops
from mes.services.work_orders import work_order_stage
from tests.mes.conftest import deliver

pytestmark = pytest.mark.django_db


def _events(topic) -> int:
    return Event.objects.filter(topic=topic.name).count()


def _first(work_order: WorkOrder) -> WorkOperation:
    return work_order.operations.order_by("sequence").first()


# --- work orders from the ERP -----------------------------------------------------------------


def test_a_release_makes_the_work_order_queued_on_the_machines_of_its_work_centers(plant):
    order = plant.released(plant.bracket, "10")
    work_order = WorkOrder.objects.get(production_order=order)
    operations = list(work_order.operations.order_by("sequence"))
    assert [(op.sequence, op.machine, op.status) for op in operations] == [
        (operations[0].sequence, plant.saw, "waiting"),
        (operations[1].sequence, plant.welder, "waiting"),
    ]
    assert [op.production_order_operation for op in operations] == list(
        order.operations.order_by("sequence")
    )
    assert work_order.quantity == D("10") and work_order.item == plant.bracket
    # Delivered twice: still one work order.
    event = Event.objects.get(topic=topics.production_order_released.name)
    from mes.handlers import work_order_from_release

    with pytest.raises(Exception):  # noqa: B017 - AlreadyHandled
        work_order_from_release(event)
    assert WorkOrder.objects.count() == 1


def test_an_order_on_a_work_center_without_a_machine_stays_with_the_erp(plant):
    Machine.objects.filter(pk=plant.welder.pk).update(is_active=False)
    order = plant.released(plant.bracket)
    assert not WorkOrder.objects.filter(production_order=order).exists()
    assert production_order_operator(order.pk) is None
    # The ERP takes its reports itself.
    production.production_order_consume(order=order, item=plant.steel, quantity=D("2"))


def test_unreleasing_drops_the_work_order(plant):
    order = plant.released(plant.bracket)
    assert WorkOrder.objects.filter(production_order=order).exists()
    with transaction.atomic():
        production.production_order_unrelease(order=order, actor=None)
    deliver()
    assert not WorkOrder.objects.filter(production_order=order).exists()
    assert not WorkOperation.objects.exists()


def test_the_queue_follows_the_due_date_then_the_schedule(plant):
    late = plant.work_order(plant.frame, "2")
    ProductionOrder.objects.filter(pk=late.production_order_id).update(
        due_date=timezone.localdate() + timedelta(days=20)
    )
    WorkOrder.objects.filter(pk=late.pk).update(due_date=timezone.localdate() + timedelta(days=20))
    early = plant.work_order(plant.bracket, "5")
    queue = [op.work_order_id for op in machine_queue(machine=plant.welder)]
    assert queue == [early.pk, late.pk]
    # The schedule puts the frame first, on a second welder.
    second = Machine.objects.create(work_center=plant.weld, code="WLD-B", name="Welder B")
    frame_op = _first(late)
    start = timezone.now() + timedelta(hours=1)
    with transaction.atomic():
        publish(
            topic=topics.schedule_changed,
            payload={
                "operations": [
                    {
                        "production_order_operation_id": frame_op.production_order_operation_id,
                        "machine_id": second.pk,
                        "start": start.isoformat(),
                        "end": (start + timedelta(hours=2)).isoformat(),
                    },
                    {"production_order_operation_id": 999_999, "start": start.isoformat()},
                ]
            },
        )
    deliver()
    frame_op.refresh_from_db()
    assert frame_op.machine == second and frame_op.planned_start == start
    assert [op.pk for op in machine_queue(machine=second)] == [frame_op.pk]
    assert late.pk not in [op.work_order_id for op in machine_queue(machine=plant.welder)]


def test_a_malformed_schedule_is_refused_and_changes_nothing(plant):
    work_order = plant.work_order(plant.bracket)
    with transaction.atomic():
        publish(topic=topics.schedule_changed, payload={"operations": [{"start": "soon"}]})
    with pytest.raises(AssertionError, match="production_order_operation_id"):
        deliver()
    assert _first(work_order).planned_start is None


# --- the rules of an operation ----------------------------------------------------------------


def test_the_first_operation_waits_for_its_material_and_the_second_for_the_first(plant, operator):
    work_order = plant.work_order(plant.bracket)
    cut, weld = work_order.operations.order_by("sequence")
    with pytest.raises(Conflict) as refused:
        ops.operation_start(operation=cut, actor=operator)
    assert refused.value.code == "material_not_staged"
    work_order_stage(work_order=work_order, actor=operator)
    with pytest.raises(Conflict) as refused:
        ops.operation_start(operation=weld, actor=operator)
    assert refused.value.code == "predecessor_not_done"
    ops.operation_start(operation=cut, actor=operator)
    ops.operation_finish(operation=cut, actor=operator)
    ops.operation_start(operation=weld, actor=operator)
    weld.refresh_from_db()
    assert weld.status == "running"
    assert not OperationOverride.objects.exists()
    with pytest.raises(Conflict):
        work_order_stage(work_order=work_order, actor=operator)  # staged already


def test_a_supervisor_overrides_with_a_reason_which_is_logged(plant, operator, supervisor):
    work_order = plant.work_order(plant.bracket)
    cut, weld = work_order.operations.order_by("sequence")
    # The operator may not override.
    with pytest.raises(PermissionDenied):
        ops.operation_start(operation=cut, actor=operator, override_reason="urgent")
    assert OperationRun.objects.count() == 0
    ops.operation_start(operation=cut, actor=supervisor, override_reason="material at the line")
    ops.operation_start(operation=weld, actor=supervisor, override_reason="overlap the batch")
    logged = {
        (o.operation_id, o.rule, o.reason, o.overridden_by_id)
        for o in OperationOverride.objects.all()
    }
    assert logged == {
        (cut.pk, "material", "material at the line", supervisor.pk),
        (weld.pk, "predecessor", "overlap the batch", supervisor.pk),
    }


def test_a_machine_runs_one_operation_and_not_while_down(plant, operator):
    first = plant.work_order(plant.bracket)
    second = plant.work_order(plant.bracket)
    for work_order in (first, second):
        work_order_stage(work_order=work_order, actor=operator)
    ops.operation_start(operation=_first(first), actor=operator)
    with pytest.raises(Conflict) as refused:
        ops.operation_start(operation=_first(second), actor=operator)
    assert refused.value.code == "machine_busy"
    ops.operation_pause(operation=_first(first), actor=operator)
    Machine.objects.filter(pk=plant.saw.pk).update(state=Machine.State.DOWN)
    with pytest.raises(Conflict) as refused:
        ops.operation_resume(operation=_first(first), actor=operator)
    assert refused.value.code == "machine_unavailable"
    with pytest.raises(ValidationError):
        ops.operation_start(operation=_first(second), machine=plant.welder, actor=operator)


def test_the_status_flow_refuses_what_does_not_follow(plant, operator):
    work_order = plant.work_order(plant.bracket)
    work_order_stage(work_order=work_order, actor=operator)
    cut = _first(work_order)
    for action in (ops.operation_pause, ops.operation_resume, ops.operation_finish):
        with pytest.raises(Conflict):
            action(operation=cut, actor=operator)
    with pytest.raises(Conflict):
        ops.operation_report(operation=cut, quantity_good="1", actor=operator)
    ops.operation_start(operation=cut, actor=operator)
    with pytest.raises(Conflict):
        ops.operation_start(operation=cut, actor=operator)
    ops.operation_pause(operation=cut, actor=operator)
    ops.operation_resume(operation=cut, actor=operator)
    ops.operation_finish(operation=cut, actor=operator)
    runs = list(OperationRun.objects.filter(operation=cut))
    assert len(runs) == 2 and all(run.ended_at for run in runs)


# --- reports, over-reporting, bad input ----------------------------------------------------------


def _running(plant, operator, item, quantity="10") -> WorkOperation:
    work_order = plant.work_order(item, quantity)
    work_order_stage(work_order=work_order, actor=operator)
    operation = work_order.operations.order_by("-sequence").first()
    for op in work_order.operations.order_by("sequence"):
        ops.operation_start(operation=op, actor=operator)
        if op.pk != operation.pk:
            ops.operation_finish(operation=op, actor=operator)
    return WorkOperation.objects.get(pk=operation.pk)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"quantity_good": "0", "quantity_scrap": "0"}, "quantity_good"),
        ({"quantity_good": "-1"}, "quantity_good"),
        ({"quantity_good": "abc"}, "quantity_good"),
        ({"quantity_good": 1.5}, "quantity_good"),
        ({"quantity_good": "1.1234567"}, "quantity_good"),
        ({"quantity_good": "2000000000"}, "quantity_good"),
        ({"quantity_scrap": "1"}, "scrap_reason"),
        ({"quantity_scrap": "1", "scrap_reason": "bored"}, "scrap_reason"),
        ({"quantity_good": "1", "lot_number": "L" * 65}, "lot_number"),
    ],
)
def test_a_bad_report_is_refused_and_writes_nothing(plant, operator, fields, field):
    operation = _running(plant, operator, plant.frame)
    before = (_events(topics.output_reported), OperationReport.objects.count())
    with pytest.raises(ValidationError) as refused:
        ops.operation_report(operation=operation, actor=operator, **fields)
    assert field in refused.value.message_dict
    assert (_events(topics.output_reported), OperationReport.objects.count()) == before
    operation.refresh_from_db()
    assert operation.quantity_good == 0 and operation.quantity_scrap == 0


def test_a_report_of_half_a_piece_is_refused_when_the_unit_counts_whole_pieces(plant, operator):
    UnitOfMeasure.objects.filter(pk=plant.frame.unit_id).update(decimals=0)
    plant.frame.refresh_from_db()
    operation = _running(plant, operator, plant.frame)
    with pytest.raises(ValidationError) as refused:
        ops.operation_report(operation=operation, quantity_good="1.5", actor=operator)
    assert "whole" in refused.value.message_dict["quantity_good"][0]
    assert _events(topics.output_reported) == 0
    ops.operation_report(operation=operation, quantity_good="1", actor=operator)
    assert _events(topics.output_reported) == 1


def test_over_reporting_beyond_the_tolerance_is_refused_as_the_erp_refuses_it(plant, operator):
    plant.frame.output_tolerance_percent = D("10")
    plant.frame.save(update_fields=["output_tolerance_percent"])
    operation = _running(plant, operator, plant.frame, "10")
    ops.operation_report(operation=operation, quantity_good="11", actor=operator)  # at the limit
    with pytest.raises(ValidationError) as refused:
        ops.operation_report(operation=operation, quantity_good="0.000001", actor=operator)
    assert "at most 11" in refused.value.message_dict["quantity_good"][0]
    operation.refresh_from_db()
    assert operation.quantity_good == D("11")
    assert _events(topics.output_reported) == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"item": "NOPE", "lot_number": "L1", "quantity": "1"}, "item"),
        ({"lot_number": "L1", "quantity": "1", "item": "bolt_not_material"}, "item"),
        ({"item": "steel", "lot_number": " ", "quantity": "1"}, "lot_number"),
        ({"item": "steel", "lot_number": "L1", "quantity": "0"}, "quantity"),
        ({"item": "steel", "lot_number": "L1", "quantity": "x"}, "quantity"),
        ({"item": "steel", "lot_number": "L" * 65, "quantity": "1"}, "lot_number"),
    ],
)
def test_a_bad_scan_is_refused_and_writes_nothing(plant, operator, fields, field):
    operation = _running(plant, operator, plant.bracket)
    names = {"steel": plant.steel.code, "bolt_not_material": plant.bolt.code}
    fields = {**fields, "item": names.get(fields["item"], fields["item"])}
    with pytest.raises(ValidationError) as refused:
        ops.operation_consume(operation=operation, actor=operator, **fields)
    assert field in refused.value.message_dict
    assert LotConsumption.objects.count() == 0
    assert _events(topics.materials_consumed) == 0


# --- MES reports, the ERP books ---------------------------------------------------------------


def test_the_shop_floor_reports_reach_the_erp_order(plant, operator):
    operation = _running(plant, operator, plant.bracket, "10")
    order = operation.work_order.production_order
    ops.operation_consume(
        operation=operation, item=plant.steel.code, lot_number="STEEL-1", quantity="20",
        actor=operator,
    )  # fmt: skip
    OperationRun.objects.filter(operation=operation, ended_at__isnull=True).update(
        started_at=timezone.now() - timedelta(minutes=90)
    )
    ops.operation_report(
        operation=operation, quantity_good="9", quantity_scrap="1", scrap_reason="setup",
        lot_number="BR-1", actor=operator,
    )  # fmt: skip
    ops.operation_finish(operation=operation, actor=operator)
    deliver()
    order.refresh_from_db()
    assert order.quantity_produced == D("9") and order.quantity_scrapped == D("1")
    assert order.materials.get(component=plant.steel).quantity_consumed == D("20")
    booking = ProductionTimeBooking.objects.get(
        order=order, operation=operation.production_order_operation
    )
    assert D("1.49") < booking.machine_hours <= D("1.51")
    assert booking.labour_hours == booking.machine_hours
    operation.work_order.refresh_from_db()
    assert operation.work_order.status == "done"


def test_nothing_more_is_reported_once_the_erp_order_is_done(plant, operator):
    operation = _running(plant, operator, plant.frame, "2")
    ops.operation_report(operation=operation, quantity_good="2", actor=operator)
    deliver()
    assert ProductionOrder.objects.get(pk=operation.work_order.production_order_id).status == "done"
    with pytest.raises(Conflict) as refused:
        ops.operation_consume(
            operation=operation, item=plant.bolt.code, lot_number="B1", quantity="1", actor=operator
        )
    assert refused.value.code == "order_not_open"
    # The time of the run is still booked on the done order: it was spent.
    ops.operation_finish(operation=operation, actor=operator)
    deliver()


# --- the ERP gives way ------------------------------------------------------------------------


def test_with_mes_on_the_erp_refuses_its_own_reports_and_with_mes_off_takes_them(plant):
    order = plant.released(plant.bracket)
    operation = order.operations.order_by("sequence").first()
    refusals = [
        lambda: production.production_order_consume(order=order, item=plant.steel, quantity=D("1")),
        lambda: production.production_order_report_output(order=order, quantity=D("1")),
        lambda: production.production_order_book_time(
            order=order, operation=operation, machine_hours=D("1")
        ),
    ]
    for refused in refusals:
        with pytest.raises(Conflict) as error:
            refused()
        assert error.value.code == "reported_by_shop_floor"
        assert "MES" in str(error.value)
    order.refresh_from_db()
    assert order.status == "released" and order.quantity_produced == 0
    registry.unregister_production_operator(production_order_operator)
    try:
        for taken in refusals:
            taken()
    finally:
        registry.register_production_operator(production_order_operator)
    order.refresh_from_db()
    assert order.quantity_produced == D("1")
