"""Purchase orders: defaults, amounts, the status flow and its refusals, the placed event."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.errors import Conflict, NotFound
from common.testing import partner_user
from erp_core.models import Partner
from erp_core.purchasing import services
from erp_core.purchasing.models import PurchaseOrder, PurchaseOrderLine
from erp_core.purchasing.tests.helpers import (
    booked_receipt,
    draft_order,
    placed_order,
    supplier_factory,
)
from erp_core.tests.factories import PartnerFactory, TaxCodeFactory
from integration.models import Event

pytestmark = pytest.mark.django_db


def _snapshot(order: PurchaseOrder) -> tuple:
    order = PurchaseOrder.objects.get(pk=order.pk)
    lines = list(order.lines.values_list("item_id", "quantity", "unit_price", "received_quantity"))
    return order.status, order.revision, order.acknowledged_at, lines


def test_create_fills_the_defaults_and_the_amounts(supplier, warehouse, item):
    today = timezone.localdate()
    order = draft_order(
        supplier=supplier, warehouse=warehouse, item=item, quantity="10", unit_price=None
    )
    line = order.lines.get()
    assert order.number == f"PO-{today.year}-000001"
    assert line.unit_price == Decimal("10.00")  # no earlier order: the item's standard cost
    assert line.tax_code == item.vat
    assert line.tax_rate == Decimal("0.13")
    assert line.expected_date == today + dt.timedelta(days=7)
    assert order.expected_date == line.expected_date
    assert (line.net_amount, line.tax_amount, line.gross_amount) == (
        Decimal("100.00"),
        Decimal("13.00"),
        Decimal("113.00"),
    )
    assert order.payment_terms_days == supplier.payment_terms_days


def test_the_price_defaults_to_the_suppliers_last_placed_order(supplier, warehouse, item):
    placed_order(supplier=supplier, warehouse=warehouse, item=item, unit_price="11.20")
    draft_order(supplier=supplier, warehouse=warehouse, item=item, unit_price="99")  # a draft
    other = supplier_factory()
    placed_order(supplier=other, warehouse=warehouse, item=item, unit_price="7")
    order = draft_order(supplier=supplier, warehouse=warehouse, item=item, unit_price=None)
    assert order.lines.get().unit_price == Decimal("11.20")


def test_a_discount_and_an_explicit_vat_code_are_used(supplier, warehouse, item):
    vat6 = TaxCodeFactory(code="VAT6", name="VAT 6%", rate=Decimal("0.06"))
    order = services.purchase_order_create(
        supplier=supplier,
        date=timezone.localdate(),
        warehouse=warehouse,
        lines=[
            {
                "item": item,
                "quantity": Decimal("10"),
                "unit_price": Decimal("12.50"),
                "discount_percent": Decimal("10"),
                "tax_code": vat6,
            }
        ],
    )
    line = order.lines.get()
    assert line.net_unit_price == Decimal("11.25")
    assert (line.net_amount, line.tax_amount, line.gross_amount) == (
        Decimal("112.50"),
        Decimal("6.75"),
        Decimal("119.25"),
    )


def test_below_the_minimum_order_quantity_is_refused(supplier, warehouse, item):
    with pytest.raises(ValidationError) as excinfo:
        draft_order(supplier=supplier, warehouse=warehouse, item=item, quantity="4")
    assert "minimum order quantity 5" in str(excinfo.value)
    assert PurchaseOrder.objects.count() == 0
    assert PurchaseOrderLine.objects.count() == 0


@pytest.mark.parametrize(
    "partner_fields",
    [{"kind": Partner.Kind.CUSTOMER}, {"kind": Partner.Kind.SUPPLIER, "is_active": False}],
)
def test_only_an_active_supplier_is_ordered_from(warehouse, item, partner_fields):
    partner = PartnerFactory(**partner_fields)
    with pytest.raises(ValidationError):
        draft_order(supplier=partner, warehouse=warehouse, item=item)
    assert PurchaseOrder.objects.count() == 0


def test_a_partner_of_both_kinds_is_a_supplier(warehouse, item):
    order = draft_order(
        supplier=PartnerFactory(kind=Partner.Kind.BOTH), warehouse=warehouse, item=item
    )
    assert order.status == "draft"


@pytest.mark.parametrize(
    "fields",
    [
        {"over_receipt_tolerance": Decimal("-1")},
        {"under_receipt_tolerance": Decimal("100")},
        {"expected_date": dt.date(2000, 1, 1)},
        {"lines": []},
    ],
)
def test_bad_headers_are_refused(supplier, warehouse, item, fields):
    with pytest.raises(ValidationError):
        draft_order(supplier=supplier, warehouse=warehouse, item=item, **fields)
    assert PurchaseOrder.objects.count() == 0


def test_update_changes_a_draft_and_replaces_lines(supplier, warehouse, item):
    order = draft_order(supplier=supplier, warehouse=warehouse, item=item)
    updated = services.purchase_order_update(
        order=order,
        expected_revision=order.revision,
        memo="urgent",
        over_receipt_tolerance=Decimal("5"),
        lines=[{"item": item, "quantity": "20", "unit_price": "9"}],
    )
    assert updated.revision == order.revision + 1
    assert updated.memo == "urgent"
    assert updated.over_receipt_tolerance == Decimal("5")
    line = updated.lines.get()
    assert (line.quantity, line.net_amount) == (Decimal("20"), Decimal("180.00"))


def test_a_stale_update_is_409_and_changes_nothing(supplier, warehouse, item):
    order = draft_order(supplier=supplier, warehouse=warehouse, item=item)
    stale = order.revision
    services.purchase_order_update(order=order, memo="someone else")
    before = _snapshot(order)
    with pytest.raises(Conflict) as excinfo:
        services.purchase_order_update(
            order=order, expected_revision=stale, lines=[{"item": item, "quantity": "50"}]
        )
    assert excinfo.value.code == "stale_update"
    assert _snapshot(order) == before


def test_a_placed_order_is_not_changed(supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    before = _snapshot(order)
    with pytest.raises(Conflict):
        services.purchase_order_update(order=order, memo="late change")
    assert _snapshot(order) == before


def test_placing_publishes_the_event_with_the_lines(supplier, warehouse, item):
    order = draft_order(supplier=supplier, warehouse=warehouse, item=item)
    placed = services.purchase_order_approve(order=order, actor=None)
    assert placed.status == PurchaseOrder.Status.APPROVED
    event = Event.objects.get(topic="erp.purchase_order_placed")
    line = order.lines.get()
    assert event.payload == {
        "purchase_order_id": order.pk,
        "supplier_id": supplier.pk,
        "warehouse_id": warehouse.pk,
        "lines": [
            {
                "purchase_order_line_id": line.pk,
                "item_id": item.pk,
                "quantity": str(line.quantity),
                "expected_date": line.expected_date.isoformat(),
            }
        ],
    }


def test_placing_runs_its_delivery_after_commit(
    supplier, warehouse, item, django_capture_on_commit_callbacks
):
    order = draft_order(supplier=supplier, warehouse=warehouse, item=item)
    with django_capture_on_commit_callbacks() as callbacks:
        services.purchase_order_approve(order=order, actor=None)
    assert len(callbacks) == 1


def test_placing_twice_is_409_and_publishes_once(supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    with pytest.raises(Conflict):
        services.purchase_order_approve(order=order, actor=None)
    assert Event.objects.filter(topic="erp.purchase_order_placed").count() == 1


def test_an_order_to_a_supplier_deactivated_since_is_not_placed(supplier, warehouse, item):
    order = draft_order(supplier=supplier, warehouse=warehouse, item=item)
    Partner.objects.filter(pk=supplier.pk).update(is_active=False)
    with pytest.raises(ValidationError):
        services.purchase_order_approve(order=order, actor=None)
    assert _snapshot(order)[0] == "draft"
    assert not Event.objects.exists()


def test_unapprove_then_void(supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    order = services.purchase_order_unapprove(order=order, actor=None)
    assert order.status == "draft"
    order = services.purchase_order_void(order=order, actor=None, reason="duplicate")
    assert order.status == "voided"


def test_a_placed_order_is_not_voided(supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    before = _snapshot(order)
    with pytest.raises(Conflict):
        services.purchase_order_void(order=order, actor=None, reason="x")
    assert _snapshot(order) == before


def test_unapprove_is_refused_once_something_was_received(books, supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    booked_receipt(order=order, quantity="4")
    before = _snapshot(order)
    with pytest.raises(Conflict) as excinfo:
        services.purchase_order_unapprove(order=order, actor=None)
    assert excinfo.value.code == "has_downstream"
    assert _snapshot(order) == before


def test_unapprove_is_refused_with_a_saved_receipt(supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    services.purchase_receipt_create(
        purchase_order=order, lines=[{"order_line": order.lines.get(), "quantity": "1"}]
    )
    with pytest.raises(Conflict):
        services.purchase_order_unapprove(order=order, actor=None)


def test_the_supplier_acknowledges_once_with_confirmed_dates(supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    line = order.lines.get()
    user = partner_user(supplier)
    confirmed = timezone.localdate() + dt.timedelta(days=10)
    order = services.purchase_order_acknowledge(
        order=order,
        actor=user,
        supplier_reference="SO-778",
        lines=[{"order_line": line.pk, "confirmed_date": confirmed}],
    )
    assert order.acknowledged_by == user
    assert order.acknowledged_at is not None
    assert order.supplier_reference == "SO-778"
    line.refresh_from_db()
    assert line.confirmed_date == confirmed
    before = _snapshot(order)
    with pytest.raises(Conflict) as excinfo:
        services.purchase_order_acknowledge(order=order, actor=user)
    assert excinfo.value.code == "already_acknowledged"
    assert _snapshot(order) == before


def test_another_suppliers_user_cannot_acknowledge(supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    with pytest.raises(NotFound):
        services.purchase_order_acknowledge(order=order, actor=partner_user(supplier_factory()))
    assert _snapshot(order)[2] is None


def test_a_draft_is_not_acknowledged(supplier, warehouse, item, admin_user):
    order = draft_order(supplier=supplier, warehouse=warehouse, item=item)
    with pytest.raises(Conflict):
        services.purchase_order_acknowledge(order=order, actor=admin_user)


def test_acknowledging_a_line_of_another_order_is_refused(supplier, warehouse, item, admin_user):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    other = draft_order(supplier=supplier, warehouse=warehouse, item=item)
    with pytest.raises(ValidationError):
        services.purchase_order_acknowledge(
            order=order,
            actor=admin_user,
            lines=[{"order_line": other.lines.get().pk, "confirmed_date": timezone.localdate()}],
        )
    assert _snapshot(order)[2] is None


def test_unapprove_clears_the_acknowledgement(supplier, warehouse, item, admin_user):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    services.purchase_order_acknowledge(order=order, actor=admin_user, supplier_reference="R1")
    order = services.purchase_order_unapprove(order=order, actor=admin_user)
    assert order.acknowledged_at is None
    assert order.supplier_reference == ""


def test_cancel_a_placed_order_with_nothing_received(supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    order = services.purchase_order_cancel(order=order, actor=None, reason="price too high")
    assert order.status == "cancelled"
    assert order.cancelled_at is not None
    assert order.cancel_reason == "price too high"


def test_cancel_is_refused_once_something_was_received(books, supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    booked_receipt(order=order, quantity="4")
    before = _snapshot(order)
    with pytest.raises(Conflict):
        services.purchase_order_cancel(order=order, actor=None, reason="x")
    assert _snapshot(order) == before


def test_a_draft_is_not_cancelled_or_closed(supplier, warehouse, item):
    order = draft_order(supplier=supplier, warehouse=warehouse, item=item)
    with pytest.raises(Conflict):
        services.purchase_order_cancel(order=order, actor=None, reason="x")
    with pytest.raises(Conflict):
        services.purchase_order_close(order=order, actor=None)
    assert _snapshot(order)[0] == "draft"


def test_close_short_closes_a_partly_received_order(books, supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    booked_receipt(order=order, quantity="4")
    order = services.purchase_order_close(order=order, actor=None, reason="rest not needed")
    assert order.status == "closed"
    assert order.closed_at is not None
    with pytest.raises(Conflict):
        services.purchase_receipt_create(
            purchase_order=order, lines=[{"order_line": order.lines.get(), "quantity": "1"}]
        )


def _withdrawn(order: PurchaseOrder) -> list[dict]:
    """The lines of the ``erp.purchase_order_cancelled`` events of ``order``, in order."""
    events = Event.objects.filter(topic="erp.purchase_order_cancelled").order_by("occurred_at")
    return [
        line
        for event in events
        if event.payload["purchase_order_id"] == order.pk
        for line in event.payload["lines"]
    ]


def test_unplacing_cancelling_and_short_closing_tell_wms_what_not_to_expect(
    books, supplier, warehouse, item
):
    unplaced = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    services.purchase_order_unapprove(order=unplaced, actor=None)
    line = unplaced.lines.get()
    assert _withdrawn(unplaced) == [
        {"purchase_order_line_id": line.pk, "item_id": item.pk, "quantity": str(line.quantity)}
    ]

    cancelled = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    services.purchase_order_cancel(order=cancelled, actor=None, reason="price too high")
    assert _withdrawn(cancelled)[0]["quantity"] == str(cancelled.lines.get().quantity)

    closed = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    booked_receipt(order=closed, quantity="4")
    services.purchase_order_close(order=closed, actor=None)
    line = closed.lines.get()
    assert _withdrawn(closed) == [
        {"purchase_order_line_id": line.pk, "item_id": item.pk, "quantity": str(line.quantity - 4)}
    ]


def test_a_refused_cancel_publishes_nothing(books, supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    booked_receipt(order=order, quantity="4")
    with pytest.raises(Conflict):
        services.purchase_order_cancel(order=order, actor=None, reason="x")
    assert _withdrawn(order) == []


def test_close_with_nothing_received_says_cancel(supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    with pytest.raises(Conflict) as excinfo:
        services.purchase_order_close(order=order, actor=None)
    assert excinfo.value.code == "nothing_received"
    assert _snapshot(order)[0] == "approved"


def test_close_waits_for_a_saved_receipt(books, supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    booked_receipt(order=order, quantity="4")
    services.purchase_receipt_create(
        purchase_order=order, lines=[{"order_line": order.lines.get(), "quantity": "1"}]
    )
    with pytest.raises(Conflict) as excinfo:
        services.purchase_order_close(order=order, actor=None)
    assert excinfo.value.code == "has_draft_receipt"


def test_a_lead_time_past_the_calendars_end_is_a_field_error(supplier, warehouse, item):
    item.purchase_lead_time_days = 30
    item.save()
    with pytest.raises(ValidationError) as excinfo:
        draft_order(supplier=supplier, warehouse=warehouse, item=item, date=dt.date(9999, 12, 20))
    assert "date" in excinfo.value.message_dict
    assert not PurchaseOrder.objects.exists()
