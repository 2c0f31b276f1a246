"""Purchase requisitions: numbering, the status flow and its refusals, ordering from them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.errors import Conflict
from erp_core.purchasing import services
from erp_core.purchasing.models import PurchaseOrder, PurchaseRequisition
from erp_core.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def _requisition(item, quantity="8", **kwargs):
    return services.purchase_requisition_create(
        date=timezone.localdate(),
        lines=[{"item": item, "quantity": Decimal(quantity), **kwargs}],
    )


def _approved(item, quantity="8", **kwargs):
    requisition = _requisition(item, quantity, **kwargs)
    return services.purchase_requisition_approve(requisition=requisition, actor=None)


def _snapshot(requisition: PurchaseRequisition) -> tuple:
    requisition = PurchaseRequisition.objects.get(pk=requisition.pk)
    lines = list(requisition.lines.values_list("item_id", "quantity", "ordered_quantity"))
    return requisition.status, requisition.revision, lines


def test_create_takes_the_next_number_and_numbers_the_lines(item):
    first = _requisition(item)
    second = services.purchase_requisition_create(
        date=timezone.localdate(),
        lines=[{"item": item, "quantity": "1"}, {"item": item.pk, "quantity": Decimal("2")}],
    )
    year = timezone.localdate().year
    assert first.number == f"PR-{year}-000001"
    assert second.number == f"PR-{year}-000002"
    assert list(second.lines.values_list("line_no", "quantity")) == [
        (1, Decimal("1")),
        (2, Decimal("2")),
    ]
    assert first.status == PurchaseRequisition.Status.DRAFT


@pytest.mark.parametrize(
    "line",
    [
        {"quantity": "0"},
        {"quantity": "-1"},
        {"quantity": "abc"},
        {"quantity": 1.5},
        {"item": 999999},
        {"needed_by": "2026-01-01"},
        {"unknown": 1},
    ],
)
def test_bad_lines_are_refused_and_nothing_is_written(item, line):
    data = {"item": item, "quantity": Decimal("1"), **line}
    with pytest.raises(ValidationError):
        services.purchase_requisition_create(date=timezone.localdate(), lines=[data])
    assert PurchaseRequisition.objects.count() == 0


def test_a_requisition_needs_lines():
    with pytest.raises(ValidationError):
        services.purchase_requisition_create(date=timezone.localdate(), lines=[])
    assert PurchaseRequisition.objects.count() == 0


def test_an_inactive_item_is_refused():
    item = ItemFactory(is_active=False)
    with pytest.raises(ValidationError):
        _requisition(item)


def test_approve_then_unapprove_then_void(item):
    requisition = _requisition(item)
    requisition = services.purchase_requisition_approve(requisition=requisition, actor=None)
    assert requisition.status == "approved"
    assert requisition.approved_at is not None
    requisition = services.purchase_requisition_unapprove(requisition=requisition, actor=None)
    assert requisition.status == "draft"
    assert requisition.approved_at is None
    requisition = services.purchase_requisition_void(
        requisition=requisition, actor=None, reason="not needed"
    )
    assert requisition.status == "voided"
    assert requisition.void_reason == "not needed"


def test_approving_twice_is_a_conflict_and_changes_nothing(item):
    requisition = _approved(item)
    before = _snapshot(requisition)
    with pytest.raises(Conflict):
        services.purchase_requisition_approve(requisition=requisition, actor=None)
    assert _snapshot(requisition) == before


def test_an_approved_requisition_is_not_voided_or_changed(item):
    requisition = _approved(item)
    before = _snapshot(requisition)
    with pytest.raises(Conflict):
        services.purchase_requisition_void(requisition=requisition, actor=None, reason="x")
    with pytest.raises(Conflict):
        services.purchase_requisition_update(
            requisition=requisition, lines=[{"item": item, "quantity": "3"}]
        )
    assert _snapshot(requisition) == before


def test_void_needs_a_reason(item):
    requisition = _requisition(item)
    with pytest.raises(ValidationError):
        services.purchase_requisition_void(requisition=requisition, actor=None, reason=" ")
    assert _snapshot(requisition)[0] == "draft"


def test_update_replaces_the_lines_and_counts_a_revision(item):
    requisition = _requisition(item)
    updated = services.purchase_requisition_update(
        requisition=requisition,
        expected_revision=requisition.revision,
        memo="more",
        lines=[{"item": item, "quantity": "3"}, {"item": item, "quantity": "4"}],
    )
    assert updated.revision == requisition.revision + 1
    assert updated.memo == "more"
    assert list(updated.lines.values_list("quantity", flat=True)) == [
        Decimal("3"),
        Decimal("4"),
    ]


def test_a_stale_update_is_a_conflict_and_changes_nothing(item):
    requisition = _requisition(item)
    services.purchase_requisition_update(requisition=requisition, memo="first")
    before = _snapshot(requisition)
    with pytest.raises(Conflict) as excinfo:
        services.purchase_requisition_update(
            requisition=requisition,
            expected_revision=requisition.revision,
            lines=[{"item": item, "quantity": "99"}],
        )
    assert excinfo.value.code == "stale_update"
    assert _snapshot(requisition) == before


def test_ordering_the_whole_requisition_marks_it_ordered(supplier, warehouse, item):
    requisition = _approved(item, "8", needed_by=timezone.localdate() + dt.timedelta(days=30))
    line = requisition.lines.get()
    order = services.purchase_order_create_from_requisitions(
        requisition_lines=[line], supplier=supplier, warehouse=warehouse
    )
    order_line = order.lines.get()
    # 8 raised to a whole multiple of 5 (the item's order multiple), above its minimum of 5.
    assert order_line.quantity == Decimal("10")
    assert order_line.requisition_line == line
    assert order_line.expected_date == line.needed_by
    line.refresh_from_db()
    assert line.ordered_quantity == Decimal("10")
    requisition.refresh_from_db()
    assert requisition.status == PurchaseRequisition.Status.ORDERED


def test_a_partly_ordered_requisition_stays_approved(supplier, warehouse, item):
    requisition = _approved(item, "20")
    line = requisition.lines.get()
    services.purchase_order_create_from_requisitions(
        requisition_lines=[{"requisition_line": line, "quantity": Decimal("10")}],
        supplier=supplier,
        warehouse=warehouse,
    )
    requisition.refresh_from_db()
    assert requisition.status == "approved"
    line.refresh_from_db()
    assert line.ordered_quantity == Decimal("10")


def test_unapprove_is_refused_while_an_order_was_made_from_it(supplier, warehouse, item):
    requisition = _approved(item, "20")
    line = requisition.lines.get()
    order = services.purchase_order_create_from_requisitions(
        requisition_lines=[{"requisition_line": line, "quantity": Decimal("10")}],
        supplier=supplier,
        warehouse=warehouse,
    )
    before = _snapshot(requisition)
    with pytest.raises(Conflict) as excinfo:
        services.purchase_requisition_unapprove(requisition=requisition, actor=None)
    assert excinfo.value.code == "has_downstream"
    assert order.number in str(excinfo.value)
    assert _snapshot(requisition) == before


def test_voiding_the_order_gives_the_quantity_back(supplier, warehouse, item):
    requisition = _approved(item, "10")
    line = requisition.lines.get()
    order = services.purchase_order_create_from_requisitions(
        requisition_lines=[line], supplier=supplier, warehouse=warehouse
    )
    requisition.refresh_from_db()
    assert requisition.status == "ordered"
    services.purchase_order_void(order=order, actor=None, reason="wrong supplier")
    line.refresh_from_db()
    requisition.refresh_from_db()
    assert line.ordered_quantity == 0
    assert requisition.status == "approved"
    services.purchase_requisition_unapprove(requisition=requisition, actor=None)


def test_a_fully_ordered_line_is_not_ordered_again(supplier, warehouse, item):
    requisition = _approved(item, "10")
    line = requisition.lines.get()
    services.purchase_order_create_from_requisitions(
        requisition_lines=[{"requisition_line": line, "quantity": Decimal("5")}],
        supplier=supplier,
        warehouse=warehouse,
    )
    services.purchase_order_create_from_requisitions(
        requisition_lines=[{"requisition_line": line, "quantity": Decimal("5")}],
        supplier=supplier,
        warehouse=warehouse,
    )
    count = PurchaseOrder.objects.count()
    with pytest.raises(Conflict):
        services.purchase_order_create_from_requisitions(
            requisition_lines=[line], supplier=supplier, warehouse=warehouse
        )
    assert PurchaseOrder.objects.count() == count


def test_a_draft_requisition_is_not_ordered(supplier, warehouse, item):
    requisition = _requisition(item)
    with pytest.raises(Conflict):
        services.purchase_order_create_from_requisitions(
            requisition_lines=[requisition.lines.get()], supplier=supplier, warehouse=warehouse
        )
    assert PurchaseOrder.objects.count() == 0


def test_editing_an_order_keeps_its_requisition_links(supplier, warehouse, item):
    requisition = _approved(item, "10")
    line = requisition.lines.get()
    order = services.purchase_order_create_from_requisitions(
        requisition_lines=[line], supplier=supplier, warehouse=warehouse
    )
    services.purchase_order_update(
        order=order,
        lines=[{"item": item, "quantity": Decimal("15"), "requisition_line": line.pk}],
    )
    line.refresh_from_db()
    requisition.refresh_from_db()
    assert line.ordered_quantity == Decimal("15")
    assert requisition.status == "ordered"
    services.purchase_order_update(order=order, lines=[{"item": item, "quantity": "5"}])
    line.refresh_from_db()
    requisition.refresh_from_db()
    assert line.ordered_quantity == 0
    assert requisition.status == "approved"
