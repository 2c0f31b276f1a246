"""Sales order services: save, prices, confirm, unconfirm, void, close, cancel and their events."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from common.errors import Conflict
from common.testing import staff_user
from erp_core.models import Item, Partner
from erp_core.sales import services
from erp_core.sales.models import SalesOrder
from erp_core.sales.tests.helpers import deliver, make_order, put_stock, snapshot, today
from erp_core.tests.factories import ItemFactory, PartnerFactory, WarehouseFactory
from integration.models import Event

pytestmark = pytest.mark.django_db


def events(topic: str) -> list[Event]:
    """The outbox rows of ``topic``, oldest first."""
    return list(Event.objects.filter(topic=topic).order_by("occurred_at"))


# --- Save --------------------------------------------------------------------------------------


def test_create_numbers_the_order_and_prices_its_lines(customer, warehouse, item):
    order = make_order(customer, warehouse, [(item, "3")])
    assert order.number.startswith(f"SO-{today().year}-")
    assert order.status == SalesOrder.Status.DRAFT
    line = order.lines.get()
    assert line.unit_price == Decimal("100.00")
    assert line.tax_code == item.vat
    assert line.tax_rate == Decimal("0.13")
    assert (line.net_amount, line.tax_amount, line.gross_amount) == (
        Decimal("300.00"),
        Decimal("39.00"),
        Decimal("339.00"),
    )
    assert order.payment_terms_days == customer.payment_terms_days


def test_a_given_unit_price_and_discount_win(customer, warehouse, item):
    order = services.sales_order_create(
        customer=customer,
        warehouse=warehouse,
        date=today(),
        lines=[
            {
                "item": item,
                "quantity": Decimal("2"),
                "unit_price": Decimal("80"),
                "discount_percent": Decimal("10"),
            }
        ],
    )
    line = order.lines.get()
    assert line.unit_price == Decimal("80")
    assert line.net_amount == Decimal("144.00")
    assert line.gross_amount == Decimal("162.72")


def test_two_orders_get_consecutive_numbers(customer, warehouse, item):
    first = make_order(customer, warehouse, [(item, 1)])
    second = make_order(customer, warehouse, [(item, 1)])
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": Decimal("0")}, "lines"),
        ({"quantity": Decimal("-1")}, "lines"),
        ({"quantity": "abc"}, "lines"),
        ({"unit_price": Decimal("-1")}, "lines"),
        ({"discount_percent": Decimal("101")}, "lines"),
    ],
)
def test_bad_lines_are_refused_and_nothing_is_written(customer, warehouse, item, change, field):
    with pytest.raises(ValidationError) as caught:
        services.sales_order_create(
            customer=customer,
            warehouse=warehouse,
            date=today(),
            lines=[{"item": item, "quantity": Decimal("1"), **change}],
        )
    assert field in caught.value.message_dict
    assert SalesOrder.objects.count() == 0


def test_an_order_without_lines_is_refused(customer, warehouse):
    with pytest.raises(ValidationError):
        services.sales_order_create(customer=customer, warehouse=warehouse, date=today(), lines=[])
    assert SalesOrder.objects.count() == 0


def test_a_supplier_or_inactive_customer_cannot_order(warehouse, item):
    supplier = PartnerFactory(kind=Partner.Kind.SUPPLIER)
    inactive = PartnerFactory(is_active=False)
    for partner in (supplier, inactive):
        with pytest.raises(ValidationError) as caught:
            make_order(partner, warehouse, [(item, 1)])
        assert "customer" in caught.value.message_dict
    assert SalesOrder.objects.count() == 0


def test_inactive_items_and_warehouses_are_refused(customer, warehouse, item):
    item.is_active = False
    item.save()
    with pytest.raises(ValidationError):
        make_order(customer, warehouse, [(item, 1)])
    closed = WarehouseFactory(is_active=False)
    other = ItemFactory(item_type=Item.ItemType.FINISHED_GOOD)
    with pytest.raises(ValidationError):
        make_order(customer, closed, [(other, 1)])
    assert SalesOrder.objects.count() == 0


def test_update_replaces_lines_and_counts_a_revision(customer, warehouse, item, other_item):
    order = make_order(customer, warehouse, [(item, 1)])
    order = services.sales_order_update(
        order=order,
        lines=[{"item": other_item, "quantity": Decimal("4")}],
        memo="call first",
        expected_revision=1,
    )
    order.refresh_from_db()
    assert order.revision == 2
    assert order.memo == "call first"
    assert list(order.lines.values_list("item_id", "quantity")) == [(other_item.pk, Decimal("4"))]


def test_a_stale_update_is_409_and_changes_nothing(customer, warehouse, item, other_item):
    order = make_order(customer, warehouse, [(item, 1)])
    services.sales_order_update(order=order, memo="first")
    before = snapshot(order)
    with pytest.raises(Conflict) as caught:
        services.sales_order_update(
            order=order,
            lines=[{"item": other_item, "quantity": Decimal("9")}],
            expected_revision=1,
        )
    assert caught.value.code == "stale_update"
    assert snapshot(order) == before


def test_a_confirmed_order_cannot_be_updated(customer, warehouse, item):
    order = make_order(customer, warehouse, [(item, 1)], approve=True)
    before = snapshot(order)
    with pytest.raises(Conflict) as caught:
        services.sales_order_update(order=order, memo="late")
    assert caught.value.code == "invalid_status"
    assert snapshot(order) == before


def test_dates_before_the_order_are_refused(customer, warehouse, item):
    with pytest.raises(ValidationError):
        make_order(customer, warehouse, [(item, 1)], promised_date=today() - timedelta(days=1))


# --- Confirm -----------------------------------------------------------------------------------


def test_confirm_publishes_what_to_deliver(customer, warehouse, item, other_item):
    promised = today() + timedelta(days=10)
    order = make_order(
        customer, warehouse, [(item, 2), (other_item, "1.5")], promised_date=promised
    )
    user = staff_user("Sales")
    order = services.sales_order_approve(order=order, actor=user)
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.APPROVED
    assert order.approved_by == user
    (event,) = events("erp.sales_order_confirmed")
    lines = list(order.lines.order_by("line_no"))
    assert event.payload == {
        "sales_order_id": order.pk,
        "customer_id": customer.pk,
        "promised_date": promised.isoformat(),
        "lines": [
            {
                "sales_order_line_id": lines[0].pk,
                "item_id": item.pk,
                "quantity": str(lines[0].quantity),
                "promised_date": promised.isoformat(),
            },
            {
                "sales_order_line_id": lines[1].pk,
                "item_id": other_item.pk,
                "quantity": str(lines[1].quantity),
                "promised_date": promised.isoformat(),
            },
        ],
    }
    assert Decimal(event.payload["lines"][1]["quantity"]) == Decimal("1.5")


def test_confirm_publishes_after_commit(
    customer, warehouse, item, django_capture_on_commit_callbacks
):
    order = make_order(customer, warehouse, [(item, 1)])
    with django_capture_on_commit_callbacks() as callbacks:
        services.sales_order_approve(order=order, actor=None)
    assert len(callbacks) == 1


def test_service_lines_are_not_sent_to_the_warehouse(customer, warehouse, item):
    service = ItemFactory(item_type=Item.ItemType.SERVICE, list_price=Decimal("30"))
    order = make_order(customer, warehouse, [(item, 1), (service, 1)], approve=True)
    (event,) = events("erp.sales_order_confirmed")
    assert [row["item_id"] for row in event.payload["lines"]] == [item.pk]
    assert order.lines.count() == 2


def test_confirming_twice_is_409_and_publishes_once(customer, warehouse, item):
    order = make_order(customer, warehouse, [(item, 1)], approve=True)
    before = snapshot(order)
    with pytest.raises(Conflict):
        services.sales_order_approve(order=order, actor=None)
    assert snapshot(order) == before
    assert len(events("erp.sales_order_confirmed")) == 1


def test_a_stale_confirmation_is_409(customer, warehouse, item):
    order = make_order(customer, warehouse, [(item, 1)])
    services.sales_order_update(order=order, memo="x")
    before = snapshot(order)
    with pytest.raises(Conflict):
        services.sales_order_approve(order=order, actor=None, expected_revision=1)
    assert snapshot(order) == before


# --- Unconfirm, void ---------------------------------------------------------------------------


def test_unconfirm_returns_to_draft_and_publishes_the_cancellation(customer, warehouse, item):
    order = make_order(customer, warehouse, [(item, 3)], approve=True)
    order = services.sales_order_unapprove(order=order, actor=None)
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.DRAFT
    assert order.approved_by is None
    (event,) = events("erp.sales_order_cancelled")
    line = order.lines.get()
    assert event.payload == {
        "sales_order_id": order.pk,
        "customer_id": customer.pk,
        "lines": [
            {"sales_order_line_id": line.pk, "item_id": item.pk, "quantity": str(line.quantity)}
        ],
    }
    # Saved again, it can be changed and confirmed again.
    services.sales_order_update(order=order, lines=[{"item": item, "quantity": Decimal("2")}])
    services.sales_order_approve(order=order, actor=None)
    assert len(events("erp.sales_order_confirmed")) == 2


def test_unconfirm_is_refused_once_a_delivery_exists(customer, warehouse, item):
    order = make_order(customer, warehouse, [(item, 3)], approve=True)
    deliver(order, {order.lines.get(): 1}, ship=False)
    before = snapshot(order)
    with pytest.raises(Conflict) as caught:
        services.sales_order_unapprove(order=order, actor=None)
    assert caught.value.code == "has_downstream"
    assert snapshot(order) == before


def test_unconfirm_of_a_draft_is_409(customer, warehouse, item):
    order = make_order(customer, warehouse, [(item, 1)])
    before = snapshot(order)
    with pytest.raises(Conflict):
        services.sales_order_unapprove(order=order, actor=None)
    assert snapshot(order) == before


def test_void_a_draft_keeps_its_number_and_reason(customer, warehouse, item):
    order = make_order(customer, warehouse, [(item, 1)])
    services.sales_order_void(order=order, actor=None, reason="duplicate")
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.VOIDED
    assert order.void_reason == "duplicate"
    assert order.number


def test_void_needs_a_reason_and_a_draft(customer, warehouse, item):
    draft = make_order(customer, warehouse, [(item, 1)])
    before = snapshot(draft)
    with pytest.raises(ValidationError):
        services.sales_order_void(order=draft, actor=None, reason="  ")
    assert snapshot(draft) == before
    confirmed = make_order(customer, warehouse, [(item, 1)], approve=True)
    before = snapshot(confirmed)
    with pytest.raises(Conflict):
        services.sales_order_void(order=confirmed, actor=None, reason="no")
    assert snapshot(confirmed) == before


def test_a_voided_order_cannot_be_confirmed(customer, warehouse, item):
    order = make_order(customer, warehouse, [(item, 1)])
    services.sales_order_void(order=order, actor=None, reason="gone")
    before = snapshot(order)
    with pytest.raises(Conflict):
        services.sales_order_approve(order=order, actor=None)
    assert snapshot(order) == before


# --- Partial deliveries, close, cancel ---------------------------------------------------------


def test_partial_deliveries_then_close_releases_the_rest(books, customer, warehouse, item):
    put_stock(item, warehouse)
    order = make_order(customer, warehouse, [(item, 10)], approve=True)
    line = order.lines.get()
    deliver(order, {line: 4})
    deliver(order, {line: 3})
    line.refresh_from_db()
    assert line.delivered_quantity == Decimal("7")
    assert line.open_quantity == Decimal("3")
    services.sales_order_close(order=order, actor=None)
    order.refresh_from_db()
    line.refresh_from_db()
    assert order.status == SalesOrder.Status.CLOSED
    assert order.closed_at is not None
    assert line.closed_quantity == Decimal("3")
    assert line.open_quantity == 0
    (event,) = events("erp.sales_order_cancelled")
    assert event.payload["lines"] == [
        {"sales_order_line_id": line.pk, "item_id": item.pk, "quantity": "3.000000"}
    ]


def test_closing_a_fully_delivered_order_publishes_nothing(books, customer, warehouse, item):
    put_stock(item, warehouse)
    order = make_order(customer, warehouse, [(item, 2)], approve=True)
    deliver(order, {order.lines.get(): 2})
    services.sales_order_close(order=order, actor=None)
    assert events("erp.sales_order_cancelled") == []


def test_close_is_refused_while_a_delivery_is_saved_but_not_shipped(customer, warehouse, item):
    order = make_order(customer, warehouse, [(item, 2)], approve=True)
    deliver(order, {order.lines.get(): 1}, ship=False)
    before = snapshot(order)
    with pytest.raises(Conflict) as caught:
        services.sales_order_close(order=order, actor=None)
    assert caught.value.code == "has_draft_delivery"
    assert snapshot(order) == before


def test_close_of_a_draft_is_409(customer, warehouse, item):
    order = make_order(customer, warehouse, [(item, 2)])
    before = snapshot(order)
    with pytest.raises(Conflict):
        services.sales_order_close(order=order, actor=None)
    assert snapshot(order) == before


def test_cancel_publishes_the_cancellation(
    customer, warehouse, item, django_capture_on_commit_callbacks
):
    order = make_order(customer, warehouse, [(item, 5)], approve=True)
    with django_capture_on_commit_callbacks() as callbacks:
        services.sales_order_cancel(order=order, actor=None)
    assert len(callbacks) == 1
    order.refresh_from_db()
    assert order.status == SalesOrder.Status.CANCELLED
    line = order.lines.get()
    assert line.closed_quantity == line.quantity
    (event,) = events("erp.sales_order_cancelled")
    assert event.payload["lines"][0]["sales_order_line_id"] == line.pk
    assert Decimal(event.payload["lines"][0]["quantity"]) == Decimal("5")


def test_cancel_is_refused_once_something_was_delivered(books, customer, warehouse, item):
    put_stock(item, warehouse)
    order = make_order(customer, warehouse, [(item, 5)], approve=True)
    deliver(order, {order.lines.get(): 1})
    before = snapshot(order)
    with pytest.raises(Conflict):
        services.sales_order_cancel(order=order, actor=None)
    assert snapshot(order) == before


def test_closed_and_cancelled_orders_accept_no_further_step(customer, warehouse, item):
    cancelled = make_order(customer, warehouse, [(item, 1)], approve=True)
    services.sales_order_cancel(order=cancelled, actor=None)
    closed = make_order(customer, warehouse, [(item, 1)], approve=True)
    services.sales_order_close(order=closed, actor=None)
    for order in (cancelled, closed):
        before = snapshot(order)
        for step in (
            services.sales_order_approve,
            services.sales_order_unapprove,
            services.sales_order_close,
            services.sales_order_cancel,
        ):
            with pytest.raises(Conflict):
                step(order=order, actor=None)
        with pytest.raises(Conflict):
            services.sales_order_void(order=order, actor=None, reason="x")
        assert snapshot(order) == before
