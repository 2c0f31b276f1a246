"""Delivery services: save, ship (stock move + COGS), over-delivery, void, no take-back."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from common.errors import Conflict
from erp_core.documents.sources import source_labels
from erp_core.ledger.models import JournalEntry
from erp_core.models import Item
from erp_core.sales import services
from erp_core.sales.models import Delivery, SalesOrder
from erp_core.sales.tests.helpers import deliver, make_order, put_stock, snapshot, today
from erp_core.stock.models import StockBalance, StockMove
from erp_core.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(books, customer, warehouse, item) -> SalesOrder:
    """A confirmed order of 10 with 100 in stock at 40.00 each."""
    put_stock(item, warehouse, quantity="100", unit_cost="40")
    return make_order(customer, warehouse, [(item, 10)], approve=True)


def test_create_numbers_a_draft_delivery(order):
    delivery = deliver(order, {order.lines.get(): 4}, ship=False)
    assert delivery.number.startswith(f"DN-{today().year}-")
    assert delivery.status == Delivery.Status.DRAFT
    assert delivery.customer_id == order.customer_id
    assert delivery.warehouse_id == order.warehouse_id
    line = delivery.lines.get()
    assert (line.item_id, line.quantity, line.stock_move) == (
        order.lines.get().item_id,
        Decimal("4"),
        None,
    )


def test_shipping_issues_the_stock_and_posts_cost_of_goods_sold(order, item, warehouse):
    delivery = deliver(order, {order.lines.get(): 4})
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.APPROVED
    line = delivery.lines.get()
    move = line.stock_move
    assert move.reason == StockMove.Reason.SHIPMENT
    assert move.quantity == Decimal("-4")
    assert move.value == Decimal("-160.00")
    assert move.source_type == "sales.delivery"
    assert move.source_id == str(delivery.pk)
    assert StockBalance.objects.get(item=item, warehouse=warehouse).quantity == Decimal("96")
    entry = JournalEntry.objects.get(lines__account__code="6401")
    amounts = {(row.account.code, row.debit, row.credit) for row in entry.lines.all()}
    assert ("6401", Decimal("160.00"), Decimal("0.00")) in amounts
    assert ("1405", Decimal("0.00"), Decimal("160.00")) in amounts
    assert order.lines.get().delivered_quantity == Decimal("4")


def test_over_delivery_is_refused_on_create(order):
    before = snapshot(order)
    with pytest.raises(ValidationError) as caught:
        deliver(order, {order.lines.get(): 11}, ship=False)
    assert "lines" in caught.value.message_dict
    assert snapshot(order) == before


def test_over_delivery_is_refused_on_ship_when_another_shipped_first(order):
    line = order.lines.get()
    first = deliver(order, {line: 8}, ship=False)
    second = deliver(order, {line: 8}, ship=False)
    services.delivery_approve(delivery=first, actor=None)
    before = snapshot(order)
    with pytest.raises(ValidationError):
        services.delivery_approve(delivery=second, actor=None)
    assert snapshot(order) == before
    assert Delivery.objects.get(pk=second.pk).status == Delivery.Status.DRAFT


def test_a_delivery_beyond_stock_on_hand_is_refused_and_writes_nothing(
    books, customer, warehouse, item
):
    put_stock(item, warehouse, quantity="2")
    order = make_order(customer, warehouse, [(item, 5)], approve=True)
    delivery = deliver(order, {order.lines.get(): 5}, ship=False)
    before = snapshot(order)
    with pytest.raises(ValidationError):
        services.delivery_approve(delivery=delivery, actor=None)
    assert snapshot(order) == before


def test_an_unconfirmed_order_cannot_be_delivered(customer, warehouse, item):
    draft = make_order(customer, warehouse, [(item, 1)])
    with pytest.raises(Conflict):
        deliver(draft, {draft.lines.get(): 1}, ship=False)
    assert Delivery.objects.count() == 0


def test_a_line_of_another_order_or_twice_is_refused(order, customer, warehouse, item):
    other = make_order(customer, warehouse, [(item, 1)], approve=True)
    with pytest.raises(ValidationError):
        deliver(order, {other.lines.get(): 1}, ship=False)
    line = order.lines.get()
    with pytest.raises(ValidationError):
        services.delivery_create(
            sales_order=order,
            lines=[
                {"sales_order_line": line, "quantity": Decimal("1")},
                {"sales_order_line": line, "quantity": Decimal("1")},
            ],
            date=today(),
        )
    assert Delivery.objects.count() == 0


def test_zero_or_negative_quantities_are_refused(order):
    for quantity in ("0", "-1"):
        with pytest.raises(ValidationError):
            deliver(order, {order.lines.get(): quantity}, ship=False)
    assert Delivery.objects.count() == 0


def test_update_a_draft_and_refuse_a_stale_one(order):
    line = order.lines.get()
    delivery = deliver(order, {line: 2}, ship=False)
    services.delivery_update(
        delivery=delivery, lines=[{"sales_order_line": line, "quantity": Decimal("3")}], memo="m"
    )
    delivery.refresh_from_db()
    assert delivery.revision == 2
    assert delivery.lines.get().quantity == Decimal("3")
    with pytest.raises(Conflict) as caught:
        services.delivery_update(delivery=delivery, memo="stale", expected_revision=1)
    assert caught.value.code == "stale_update"
    delivery.refresh_from_db()
    assert delivery.memo == "m"


def test_a_shipped_delivery_is_not_taken_back_or_voided_or_shipped_again(order):
    delivery = deliver(order, {order.lines.get(): 2})
    before = snapshot(order)
    with pytest.raises(Conflict) as caught:
        services.delivery_unapprove(delivery=delivery, actor=None)
    assert caught.value.code == "shipped"
    assert "stock adjustment" in caught.value.message
    with pytest.raises(Conflict):
        services.delivery_void(delivery=delivery, actor=None, reason="oops")
    with pytest.raises(Conflict):
        services.delivery_approve(delivery=delivery, actor=None)
    with pytest.raises(Conflict):
        services.delivery_update(delivery=delivery, memo="late")
    assert snapshot(order) == before


def test_void_a_draft_delivery(order):
    delivery = deliver(order, {order.lines.get(): 2}, ship=False)
    services.delivery_void(delivery=delivery, actor=None, reason="wrong truck")
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.VOIDED
    assert delivery.void_reason == "wrong truck"
    # A voided delivery does not hold the order: it may be unconfirmed again.
    services.sales_order_unapprove(order=order, actor=None)


def test_a_delivery_of_a_closed_order_cannot_ship(order):
    line = order.lines.get()
    delivery = deliver(order, {line: 2}, ship=False)
    services.delivery_void(delivery=delivery, actor=None, reason="x")
    services.sales_order_close(order=order, actor=None)
    with pytest.raises(Conflict):
        deliver(order, {line: 1}, ship=False)


def test_service_lines_are_delivered_without_a_stock_move(books, customer, warehouse, item):
    put_stock(item, warehouse)
    service = ItemFactory(item_type=Item.ItemType.SERVICE, list_price=Decimal("30"))
    order = make_order(customer, warehouse, [(item, 1), (service, 1)], approve=True)
    lines = list(order.lines.order_by("line_no"))
    delivery = deliver(order, {lines[0]: 1, lines[1]: 1})
    moves = dict(delivery.lines.values_list("item_id", "stock_move"))
    assert moves[item.pk] is not None
    assert moves[service.pk] is None
    assert StockMove.objects.filter(item=service).count() == 0
    lines[1].refresh_from_db()
    assert lines[1].delivered_quantity == Decimal("1")


def test_the_shipments_entry_and_move_name_the_delivery_in_the_readers_language(order):
    delivery = deliver(order, {order.lines.get(): 4})
    entry = JournalEntry.objects.get(source_type="sales.delivery", source_id=delivery.pk)
    assert entry.memo == "" and entry.memo_kind == "stock_shipment"
    assert entry.memo_args["document"] == delivery.number
    code = order.lines.get().item.code
    pair = ("sales.delivery", str(delivery.pk))
    with translation.override("zh-hans"):
        assert entry.memo_display == f"发货 {delivery.number}：{code} -4"
        assert source_labels([pair])[pair] == f"发货单 {delivery.number}"
    with translation.override("en"):
        assert entry.memo_display == f"Shipment {delivery.number}: {code} -4"
        assert source_labels([pair])[pair] == f"Delivery {delivery.number}"


@pytest.mark.parametrize(
    ("language", "words"), [("zh-hans", "库存仅有"), ("en", "on hand")], ids=["zh", "en"]
)
def test_shipping_more_than_stock_answers_in_the_readers_language(
    books, customer, warehouse, language, words
):
    from django.test import Client

    from common.testing import staff_user

    good = ItemFactory(item_type=Item.ItemType.FINISHED_GOOD, list_price=Decimal("100.00"))
    put_stock(good, warehouse, quantity="5", unit_cost="40")
    order = make_order(customer, warehouse, [(good, 1500)], approve=True)
    delivery = deliver(order, {order.lines.get(): 1500}, ship=False)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(staff_user("Warehouse"))
    response = client.post(
        f"/api/v1/erp/deliveries/{delivery.pk}/approve/",
        {"revision": delivery.revision},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    text = response.content.decode()
    assert good.code in text and warehouse.code in text and words in text
    assert "1,500" in text and "1500.000000" not in text and "Move " not in text
    page = client.post(
        f"/sales/deliveries/{delivery.pk}/ship/", {"revision": delivery.revision}, follow=True
    )
    assert good.code in page.content.decode() and words in page.content.decode()
