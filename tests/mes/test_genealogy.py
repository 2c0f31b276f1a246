"""Lot genealogy across two production levels: steel → bracket → frame, backward from the
frame's lot and forward from the steel's, to the customer the frame shipped to."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from erp_core.sales.tests.helpers import make_order
from erp_core.tests.factories import PartnerFactory
from integration import topics
from integration.bus import publish
from integration.models import Event
from mes.handlers import lots_shipped
from mes.models import LotShipment, ProductionLot
from mes.selectors_work import lot_backward, lot_customers, lot_forward
from mes.services import operations as ops
from mes.services.work_orders import work_order_stage
from tests.mes.conftest import deliver

pytestmark = pytest.mark.django_db


def _run(plant, operator, item, quantity, *, consume, output_lot):
    """Run every operation of a fresh work order: the lots consumed on the first, the good
    output into ``output_lot`` on the last; the events delivered."""
    work_order = plant.work_order(item, quantity)
    work_order_stage(work_order=work_order, actor=operator)
    operations = list(work_order.operations.order_by("sequence"))
    for index, operation in enumerate(operations):
        ops.operation_start(operation=operation, actor=operator)
        if index == 0:
            for consumed, lot, amount in consume:
                ops.operation_consume(
                    operation=operation, item=consumed.code, lot_number=lot, quantity=amount,
                    actor=operator,
                )  # fmt: skip
        if index == len(operations) - 1:
            ops.operation_report(
                operation=operation, quantity_good=quantity, lot_number=output_lot, actor=operator
            )
        ops.operation_finish(operation=operation, actor=operator)
    deliver()
    return work_order


@pytest.fixture
def made(plant, operator):
    """Bracket lot BR-A from steel lot ST-A; frame lot FR-A from BR-A and bolt lot BO-A."""
    bracket = _run(plant, operator, plant.bracket, "10",
                   consume=[(plant.steel, "ST-A", "20")], output_lot="BR-A")  # fmt: skip
    frame = _run(plant, operator, plant.frame, "5",
                 consume=[(plant.bracket, "BR-A", "10"), (plant.bolt, "BO-A", "20")],
                 output_lot="FR-A")  # fmt: skip
    lots = {lot.number: lot for lot in ProductionLot.objects.all()}
    return bracket, frame, lots


def _numbers(node) -> dict:
    return {child.lot.number: (child.quantity, _numbers(child)) for child in node.children}


def test_backward_from_the_frame_lot_reaches_the_steel_across_two_levels(
    made, django_assert_max_num_queries
):
    bracket, frame, lots = made
    assert lots["FR-A"].work_order == frame and lots["FR-A"].quantity_made == D("5")
    assert lots["BR-A"].work_order == bracket and lots["ST-A"].work_order is None
    with django_assert_max_num_queries(6):
        tree = lot_backward(lot=lots["FR-A"])
    assert _numbers(tree) == {
        "BR-A": (D("10"), {"ST-A": (D("20"), {})}),
        "BO-A": (D("20"), {}),
    }
    assert _numbers(lot_backward(lot=lots["ST-A"])) == {}


def test_forward_from_the_steel_lot_reaches_the_frame_and_its_customer(
    plant, made, django_assert_max_num_queries
):
    _bracket, _frame, lots = made
    customer = PartnerFactory()
    sales_order = make_order(customer, plant.stores, [(plant.frame, "3", "100")])
    line = sales_order.lines.get()
    with transaction.atomic():
        event = publish(
            topic=topics.shipment_dispatched,
            payload={
                "shipment_id": 77,
                "sales_order_id": sales_order.pk,
                "lines": [
                    {
                        "sales_order_line_id": line.pk,
                        "quantity": "3",
                        "lots": [
                            {"lot_number": "FR-A", "quantity": "2"},
                            {"lot_number": "FR-UNKNOWN", "quantity": "1"},
                        ],
                    }
                ],
            },
        )
    lots_shipped(Event.objects.get(pk=event.pk))
    with pytest.raises(Exception):  # noqa: B017 - AlreadyHandled: applied once
        lots_shipped(Event.objects.get(pk=event.pk))
    shipment = LotShipment.objects.get()
    assert (shipment.lot, shipment.customer, shipment.quantity) == (lots["FR-A"], customer, D("2"))
    with django_assert_max_num_queries(8):
        tree = lot_forward(lot=lots["ST-A"])
        customers = lot_customers(tree)
    assert _numbers(tree) == {"BR-A": (D("10"), {"FR-A": (D("5"), {})})}
    assert customers == [customer]
    frame_node = tree.children[0].children[0]
    assert [s.shipment_id for s in frame_node.shipments] == [77]
    # The bolt went into the frame too, and so to the same customer.
    assert lot_customers(lot_forward(lot=lots["BO-A"])) == [customer]


def test_a_lot_another_work_order_made_is_not_made_again(plant, operator, made):
    _bracket, _frame, lots = made
    work_order = plant.work_order(plant.bracket, "1")
    work_order_stage(work_order=work_order, actor=operator)
    cut, weld = work_order.operations.order_by("sequence")
    ops.operation_start(operation=cut, actor=operator)
    ops.operation_finish(operation=cut, actor=operator)
    ops.operation_start(operation=weld, actor=operator)
    with pytest.raises(ValidationError) as refused:
        ops.operation_report(operation=weld, quantity_good="1", lot_number="BR-A", actor=operator)
    assert "lot_number" in refused.value.message_dict
    assert lots["BR-A"].quantity_made == D("10")


def test_the_last_operation_reports_the_serial_numbers_of_its_units(plant, operator):
    work_order = plant.work_order(plant.frame, "2")
    work_order_stage(work_order=work_order, actor=operator)
    *earlier, last = work_order.operations.order_by("sequence")
    for operation in earlier:
        ops.operation_start(operation=operation, actor=operator)
        ops.operation_finish(operation=operation, actor=operator)
    ops.operation_start(operation=last, actor=operator)
    for serials in (["SN-A"], ["SN-A", "SN-A"], ["SN-A", ""]):
        with pytest.raises(ValidationError) as refused:
            ops.operation_report(operation=last, quantity_good="2", serials=serials, actor=operator)
        assert "serials" in refused.value.message_dict
    ops.operation_report(
        operation=last, quantity_good="2", lot_number="FR-S", serials=[" SN-A", "SN-B"],
        actor=operator,
    )  # fmt: skip
    event = Event.objects.filter(topic=topics.output_reported.name).latest("occurred_at", "pk")
    assert (event.payload["lot_number"], event.payload["serials"]) == ("FR-S", ["SN-A", "SN-B"])


def test_a_serial_number_is_kept_with_its_report_and_made_once(plant, operator):
    from mes.models import OperationReport, OutputSerial

    def last_running(quantity: str):
        work_order = plant.work_order(plant.frame, quantity)
        work_order_stage(work_order=work_order, actor=operator)
        *earlier, last = work_order.operations.order_by("sequence")
        for operation in earlier:
            ops.operation_start(operation=operation, actor=operator)
            ops.operation_finish(operation=operation, actor=operator)
        ops.operation_start(operation=last, actor=operator)
        return last

    first = last_running("2")
    report = ops.operation_report(operation=first, quantity_good="2", lot_number="FR-1",
                                  serials=["SN-1", "SN-2"], actor=operator)  # fmt: skip
    assert sorted(report.serials.values_list("number", "lot__number")) == [
        ("SN-1", "FR-1"), ("SN-2", "FR-1"),
    ]  # fmt: skip
    ops.operation_finish(operation=first, actor=operator)
    second = last_running("1")
    reports, serials = OperationReport.objects.count(), OutputSerial.objects.count()
    with pytest.raises(ValidationError) as refused:
        ops.operation_report(operation=second, quantity_good="1", serials=["SN-2"], actor=operator)
    assert "SN-2" in refused.value.message_dict["serials"][0]
    assert (OperationReport.objects.count(), OutputSerial.objects.count()) == (reports, serials)
