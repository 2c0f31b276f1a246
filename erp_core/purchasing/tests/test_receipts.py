"""Purchase receipts: tolerances, booking into stock at the net price, the journal entry, and
the refused transitions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.errors import Conflict
from erp_core.ledger.models import JournalEntry
from erp_core.models import Item
from erp_core.purchasing import services
from erp_core.purchasing.models import PurchaseOrder, PurchaseReceipt, PurchaseReceiptLine
from erp_core.purchasing.tests.helpers import booked_receipt, draft_order, placed_order
from erp_core.stock.models import StockBalance, StockMove
from erp_core.tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def _receive(order, quantity, line=None):
    line = line or order.lines.order_by("line_no").first()
    return services.purchase_receipt_create(
        purchase_order=order, lines=[{"order_line": line, "quantity": Decimal(quantity)}]
    )


def _order_state(order):
    order = PurchaseOrder.objects.get(pk=order.pk)
    return order.status, list(order.lines.values_list("received_quantity", flat=True))


def test_a_receipt_books_stock_at_the_net_price_with_its_journal_entry(
    books, supplier, warehouse, item, admin_user
):
    order = services.purchase_order_approve(
        order=services.purchase_order_create(
            supplier=supplier,
            date=timezone.localdate(),
            warehouse=warehouse,
            lines=[
                {
                    "item": item,
                    "quantity": Decimal("10"),
                    "unit_price": Decimal("12.50"),
                    "discount_percent": Decimal("10"),
                }
            ],
        ),
        actor=admin_user,
    )
    receipt = booked_receipt(order=order, quantity="10", actor=admin_user)
    assert receipt.status == PurchaseReceipt.Status.APPROVED
    assert receipt.number.startswith("GR-")
    line = receipt.lines.get()
    assert line.unit_cost == Decimal("11.25")
    move = line.stock_move
    assert move.quantity == Decimal("10")
    assert move.unit_cost == Decimal("11.25")
    assert move.value == Decimal("112.50")
    assert (move.source_type, move.source_id) == ("purchasing.receipt", str(receipt.pk))
    balance = StockBalance.objects.get(item=item, warehouse=warehouse)
    assert balance.quantity == Decimal("10")
    entry = JournalEntry.objects.get(pk=move.journal_entry_id)
    lines = {row.account.code: (row.debit, row.credit) for row in entry.lines.all()}
    assert lines == {
        "1405": (Decimal("112.50"), Decimal("0.00")),
        "1401": (Decimal("0.00"), Decimal("112.50")),
    }
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.RECEIVED
    assert order.lines.get().received_quantity == Decimal("10")


def test_a_partial_receipt_leaves_the_order_placed(books, supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    booked_receipt(order=order, quantity="6")
    assert _order_state(order) == ("approved", [Decimal("6")])
    booked_receipt(order=order, quantity="4")
    assert _order_state(order) == ("received", [Decimal("10")])


def test_over_receipt_exactly_at_the_tolerance_is_allowed(books, supplier, warehouse, item):
    order = placed_order(
        supplier=supplier, warehouse=warehouse, item=item, over_receipt_tolerance=Decimal("10")
    )
    booked_receipt(order=order, quantity="6")
    booked_receipt(order=order, quantity="5")  # 11 = 10 × 1.10
    assert _order_state(order) == ("received", [Decimal("11")])


def test_one_unit_above_the_tolerance_is_refused_with_the_figures(books, supplier, warehouse, item):
    order = placed_order(
        supplier=supplier, warehouse=warehouse, item=item, over_receipt_tolerance=Decimal("10")
    )
    booked_receipt(order=order, quantity="6")
    receipts = PurchaseReceipt.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        _receive(order, "6")  # 12 > 11
    message = " ".join(excinfo.value.messages)
    for figure in ("6 received", "12", "11", "ordered 10", "10 %"):
        assert figure in message
    assert PurchaseReceipt.objects.count() == receipts
    assert _order_state(order) == ("approved", [Decimal("6")])


def test_booking_checks_the_limit_again_against_what_was_booked_since(
    books, supplier, warehouse, item
):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    first = _receive(order, "8")
    second = _receive(order, "8")  # each alone is within the order
    services.purchase_receipt_approve(receipt=first, actor=None)
    moves = StockMove.objects.count()
    with pytest.raises(ValidationError):
        services.purchase_receipt_approve(receipt=second, actor=None)
    assert StockMove.objects.count() == moves
    assert PurchaseReceipt.objects.get(pk=second.pk).status == "draft"
    assert _order_state(order) == ("approved", [Decimal("8")])


def test_without_tolerance_nothing_above_the_order_is_received(supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    with pytest.raises(ValidationError):
        _receive(order, "10.000001")
    assert not PurchaseReceipt.objects.exists()


def test_under_receipt_tolerance_counts_a_short_line_as_received(books, supplier, warehouse, item):
    order = placed_order(
        supplier=supplier,
        warehouse=warehouse,
        item=item,
        quantity="100",
        under_receipt_tolerance=Decimal("5"),
    )
    booked_receipt(order=order, quantity="94")
    assert _order_state(order)[0] == "approved"  # 94 < 95
    booked_receipt(order=order, quantity="1")
    assert _order_state(order) == ("received", [Decimal("95")])


def test_every_line_must_reach_its_tolerance(books, supplier, warehouse, item):
    other = ItemFactory(min_order_qty=Decimal("1"))
    order = placed_order(
        supplier=supplier,
        warehouse=warehouse,
        item=item,
        lines=[
            {"item": item, "quantity": Decimal("10"), "unit_price": Decimal("1")},
            {"item": other, "quantity": Decimal("10"), "unit_price": Decimal("2")},
        ],
    )
    booked_receipt(order=order, quantity="10")
    assert _order_state(order)[0] == "approved"
    receipt = _receive(order, "10", line=order.lines.get(line_no=2))
    services.purchase_receipt_approve(receipt=receipt, actor=None)
    assert _order_state(order) == ("received", [Decimal("10"), Decimal("10")])


def test_a_booked_receipt_is_not_unapproved_or_voided(books, supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    receipt = booked_receipt(order=order, quantity="5")
    with pytest.raises(Conflict) as excinfo:
        services.purchase_receipt_unapprove(receipt=receipt, actor=None)
    assert excinfo.value.code == "receipt_booked"
    assert "Returns to the supplier" in str(excinfo.value)
    with pytest.raises(Conflict):
        services.purchase_receipt_void(receipt=receipt, actor=None, reason="x")
    with pytest.raises(Conflict):
        services.purchase_receipt_approve(receipt=receipt, actor=None)
    assert PurchaseReceipt.objects.get(pk=receipt.pk).status == "approved"
    assert _order_state(order) == ("approved", [Decimal("5")])


def test_a_saved_receipt_is_changed_then_voided(supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    receipt = _receive(order, "3")
    receipt = services.purchase_receipt_update(
        receipt=receipt,
        expected_revision=receipt.revision,
        delivery_note="DN-1",
        lines=[{"order_line": order.lines.get(), "quantity": "4"}],
    )
    assert receipt.delivery_note == "DN-1"
    assert receipt.lines.get().quantity == Decimal("4")
    with pytest.raises(Conflict):
        services.purchase_receipt_update(receipt=receipt, expected_revision=1, memo="stale")
    receipt = services.purchase_receipt_void(receipt=receipt, actor=None, reason="typo")
    assert receipt.status == "voided"
    assert _order_state(order) == ("approved", [Decimal("0")])
    # A voided receipt no longer counts as downstream: the order can be unapproved.
    services.purchase_order_unapprove(order=order, actor=None)


def test_a_draft_order_is_not_received_against(supplier, warehouse, item):
    order = draft_order(supplier=supplier, warehouse=warehouse, item=item)
    with pytest.raises(Conflict):
        _receive(order, "1")
    assert not PurchaseReceipt.objects.exists()


@pytest.mark.parametrize(
    "line",
    [{"quantity": "0"}, {"quantity": "-2"}, {"order_line": 999999}, {"extra": "x"}],
)
def test_bad_receipt_lines_are_refused(supplier, warehouse, item, line):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    data = {"order_line": order.lines.get(), "quantity": "1", **line}
    with pytest.raises(ValidationError):
        services.purchase_receipt_create(purchase_order=order, lines=[data])
    assert not PurchaseReceipt.objects.exists()
    assert not PurchaseReceiptLine.objects.exists()


def test_a_line_of_another_order_is_refused(supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    other = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    with pytest.raises(ValidationError):
        _receive(order, "1", line=other.lines.get())
    assert not PurchaseReceipt.objects.exists()


def test_goods_are_not_received_on_a_future_date(supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    with pytest.raises(ValidationError):
        services.purchase_receipt_create(
            purchase_order=order,
            date=timezone.localdate() + dt.timedelta(days=1),
            lines=[{"order_line": order.lines.get(), "quantity": "1"}],
        )


def test_a_backdated_receipt_books_on_its_day(books, supplier, warehouse, item):
    order = placed_order(
        supplier=supplier,
        warehouse=warehouse,
        item=item,
        date=timezone.localdate() - dt.timedelta(days=3),
    )
    receipt = services.purchase_receipt_create(
        purchase_order=order,
        date=timezone.localdate() - dt.timedelta(days=1),
        lines=[{"order_line": order.lines.get(), "quantity": "5"}],
    )
    receipt = services.purchase_receipt_approve(receipt=receipt, actor=None)
    move = receipt.lines.get().stock_move
    assert timezone.localdate(move.moved_at) == receipt.date


def test_the_warehouse_defaults_to_the_orders(supplier, warehouse, item):
    order = placed_order(supplier=supplier, warehouse=warehouse, item=item)
    assert _receive(order, "1").warehouse == warehouse


def test_a_service_item_is_received_without_a_stock_move(books, supplier, warehouse):
    service = ItemFactory(item_type=Item.ItemType.SERVICE, min_order_qty=Decimal("1"))
    order = placed_order(supplier=supplier, warehouse=warehouse, item=service, quantity="1")
    receipt = booked_receipt(order=order, quantity="1")
    line = receipt.lines.get()
    assert line.stock_move is None
    assert line.unit_cost == Decimal("12.5")
    assert _order_state(order) == ("received", [Decimal("1")])
