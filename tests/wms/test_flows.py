"""WMS with the ERP: takeover, inbound, putaway, transfers, counts; every event effective once,
and ``reconcile`` (invariant 1 included) clean after each flow."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from common.errors import Conflict
from erp_core import registry
from erp_core.purchasing import services as purchasing
from erp_core.purchasing.models import PurchaseOrder, PurchaseReceipt
from erp_core.stock import services as stock
from erp_core.stock.models import StockBalance, StockMove
from erp_core.tests.factories import WarehouseFactory
from integration.bus import AlreadyHandled
from integration.models import Event, EventReceipt
from integration.receivers import registry as receivers
from tests.wms.conftest import run_warehouse
from tests.wms.helpers import breaches, deliver_all
from wms.models import Count, ExpectedReceipt, MoveTask, Quant, QuantMove, Transfer
from wms.selectors import warehouse_operator
from wms.services import counts, inbound, internal
from wms.services.stock import quant_move

pytestmark = pytest.mark.django_db
ONE_DAY = dt.timedelta(days=1)


def _balance(item, warehouse) -> D:
    row = StockBalance.objects.filter(item=item, warehouse=warehouse).first()
    return row.quantity if row else D("0")


def _on_hand(bin, item, lot=None) -> D:
    quant = Quant.objects.filter(bin=bin, item=item, lot=lot).first()
    return quant.on_hand if quant else D("0")


def _placed(supplier, warehouse, *lines, tolerance="0"):
    order = purchasing.purchase_order_create(
        supplier=supplier, date=dt.date.today(), warehouse=warehouse,
        lines=[{"item": item, "quantity": D(q), "unit_price": D("12.50")} for item, q in lines],
        over_receipt_tolerance=D(tolerance), actor=None,
    )  # fmt: skip
    return purchasing.purchase_order_approve(order=order, actor=None)


# --- takeover ----------------------------------------------------------------------------------


def test_takeover_adopts_erp_stock_without_erp_moves(live, warehouse, item):
    assert _on_hand(live["stock"], item) == D("40")
    assert StockMove.objects.filter(item=item).count() == 1  # the ERP's own receipt only
    assert QuantMove.objects.get().reason == "adoption"
    assert not Event.objects.filter(topic="wms.stock_moved").exists()
    assert warehouse_operator(warehouse.pk) == "WMS"
    assert breaches() == []


def test_takeover_refuses_a_second_time(live, warehouse):
    from wms.services.setup import wms_warehouse_adopt

    with pytest.raises(Conflict):
        wms_warehouse_adopt(warehouse=warehouse)


def test_the_erp_refuses_to_receive_into_a_warehouse_wms_runs(
    live, warehouse, supplier, item, client
):
    order = _placed(supplier, warehouse, (item, "10"))
    with pytest.raises(Conflict, match="received by the warehouse in WMS"):
        purchasing.purchase_receipt_create(
            purchase_order=order, lines=[{"order_line": order.lines.get(), "quantity": D("10")}]
        )
    from common.testing import staff_user

    client.force_login(staff_user("Admin"))
    page = client.get(reverse("purchasing:order-detail", args=[order.pk]))
    assert 'data-testid="received-by"' in page.text
    assert 'data-testid="receive"' not in page.text
    response = client.get(reverse("purchasing:receipt-create", args=[order.pk]))
    assert response.status_code == 302
    assert not PurchaseReceipt.objects.exists()


def test_with_wms_off_the_erp_receives_itself(live, warehouse, supplier, item):
    registry.unregister_stock_operator(warehouse_operator)
    try:
        order = _placed(supplier, warehouse, (item, "10"))
        receipt = purchasing.purchase_receipt_create(
            purchase_order=order, lines=[{"order_line": order.lines.get(), "quantity": D("10")}]
        )
        purchasing.purchase_receipt_approve(receipt=receipt, actor=None)
    finally:
        registry.register_stock_operator(warehouse_operator)
    assert _balance(item, warehouse) == D("50")


# --- inbound -----------------------------------------------------------------------------------


def test_a_placed_order_is_received_by_scan_and_booked_once(live, warehouse, supplier, lot_item):
    order = _placed(supplier, warehouse, (lot_item, "100"), tolerance="10")
    deliver_all()
    receipt = ExpectedReceipt.objects.get(purchase_order=order)
    line = receipt.lines.get()
    assert (line.quantity, line.limit) == (D("100"), D("110"))
    expiry = dt.date.today() + dt.timedelta(days=200)
    inbound.expected_receipt_scan(receipt=receipt, barcode=lot_item.barcode, quantity=D("60"),
                                  lot_number="L-1", expiry=expiry)  # fmt: skip
    inbound.expected_receipt_scan(receipt=receipt, barcode=lot_item.barcode, quantity=D("45"),
                                  lot_number="L-1", expiry=expiry)  # fmt: skip
    inbound.expected_receipt_complete(receipt=receipt, actor=None)
    assert _on_hand(
        live["recv"], lot_item, lot_item_lot := receipt.lines.get().scans.first().lot
    ) == D("105")
    events = deliver_all()
    assert [e.topic for e in events] == ["wms.receipt_completed"]
    erp_receipt = PurchaseReceipt.objects.get()
    assert erp_receipt.lines.get().quantity == D("105")
    assert _balance(lot_item, warehouse) == D("105")
    assert breaches() == []
    # Delivered twice: the ERP books it once.
    event = events[0]
    EventReceipt.objects.filter(event_id=event.pk).delete()
    receivers.get("erp_core.purchasing.book_wms_receipt")(event)
    assert PurchaseReceipt.objects.count() == 1
    assert _balance(lot_item, warehouse) == D("105")
    # Putaway: suggested, confirmed by scanning the bin.
    task = MoveTask.objects.get(kind="putaway")
    assert task.to_bin is not None and task.to_bin.bin_type == "storage"
    internal.move_task_confirm(task=task, bin_barcode=task.to_bin.barcode, actor=None)
    assert _on_hand(task.to_bin, lot_item, lot_item_lot) == D("105")
    assert breaches() == []


@pytest.mark.parametrize(
    ("scan", "message"),
    [
        ({"barcode": "nope"}, "No item has the barcode nope"),
        ({"barcode": "6900000000011"}, "is not expected on receipt"),
        ({"lot_number": ""}, "tracked by lot: scan the lot"),
        ({"quantity": D("11")}, "above the 10 the order allows"),
        ({"expiry": None, "lot_number": "NEW"}, "Give the expiry date"),
    ],
)
def test_bad_scans_are_refused_and_nothing_is_recorded(live, warehouse, supplier, lot_item, scan,
                                                        message):  # fmt: skip
    order = _placed(supplier, warehouse, (lot_item, "10"))
    deliver_all()
    receipt = ExpectedReceipt.objects.get(purchase_order=order)
    good = {"barcode": lot_item.barcode, "quantity": D("1"), "lot_number": "L-9",
            "expiry": dt.date.today() + dt.timedelta(days=30)}  # fmt: skip
    with pytest.raises(ValidationError, match=message):
        inbound.expected_receipt_scan(receipt=receipt, **{**good, **scan})
    assert receipt.lines.get().received_quantity == 0
    assert not receipt.lines.get().scans.exists()


def test_a_known_lot_with_another_expiry_is_a_wrong_lot(live, warehouse, supplier, lot_item):
    order = _placed(supplier, warehouse, (lot_item, "10"))
    deliver_all()
    receipt = ExpectedReceipt.objects.get(purchase_order=order)
    day = dt.date.today() + dt.timedelta(days=30)
    inbound.expected_receipt_scan(receipt=receipt, barcode=lot_item.barcode, lot_number="L-2",
                                  expiry=day)  # fmt: skip
    with pytest.raises(ValidationError, match="check the lot"):
        inbound.expected_receipt_scan(
            receipt=receipt, barcode=lot_item.barcode, lot_number="L-2", expiry=day + ONE_DAY
        )
    assert receipt.lines.get().received_quantity == D("1")


def test_a_cancelled_order_is_no_longer_expected(live, warehouse, supplier, item):
    order = _placed(supplier, warehouse, (item, "10"))
    deliver_all()
    purchasing.purchase_order_cancel(order=order, actor=None, reason="Supplier gone")
    deliver_all()
    receipt = ExpectedReceipt.objects.get(purchase_order=order)
    assert receipt.status == ExpectedReceipt.Status.VOIDED


def test_putaway_to_a_wrong_bin_moves_nothing(live, warehouse, supplier, item):
    order = _placed(supplier, warehouse, (item, "5"))
    deliver_all()
    receipt = ExpectedReceipt.objects.get(purchase_order=order)
    inbound.expected_receipt_scan(receipt=receipt, barcode=item.barcode, quantity=D("5"))
    inbound.expected_receipt_complete(receipt=receipt, actor=None)
    deliver_all()
    task = MoveTask.objects.get(kind="putaway")
    # The item already lies in STOCK: that is where it should go.
    assert task.to_bin == live["stock"]
    for barcode, message in [("unknown", "No bin has the barcode"),
                             (live["a3"].barcode, "Wrong bin")]:  # fmt: skip
        with pytest.raises(ValidationError, match=message):
            internal.move_task_confirm(task=task, bin_barcode=barcode, actor=None)
    assert _on_hand(live["recv"], item) == D("5")
    assert MoveTask.objects.get(pk=task.pk).status == "open"


# --- internal ----------------------------------------------------------------------------------


def test_a_transfer_waits_in_transit_then_the_erp_books_it_once(live, warehouse, item):
    other = WarehouseFactory()
    other_bins = run_warehouse(other, zone_code="B")
    transfer = internal.transfer_create(
        from_warehouse=warehouse, to_warehouse=other,
        lines=[{"item": item, "quantity": D("15"), "from_bin": live["stock"]}],
    )  # fmt: skip
    internal.transfer_ship(transfer=transfer, actor=None)
    assert _on_hand(live["transit"], item) == D("15")
    assert deliver_all() == []  # in transit: still the source's stock, nothing to book
    assert breaches() == []
    internal.transfer_receive(transfer=transfer, actor=None)
    assert Transfer.objects.get().status == "approved"
    events = deliver_all()
    assert [e.topic for e in events] == ["wms.stock_moved"]
    assert (_balance(item, warehouse), _balance(item, other)) == (D("25"), D("15"))
    assert _on_hand(other_bins["recv"], item) == D("15")
    assert breaches() == []
    EventReceipt.objects.filter(event_id=events[0].pk).delete()
    receivers.get("erp_core.stock.book_wms_move")(events[0])
    with pytest.raises(AlreadyHandled):
        receivers.get("erp_core.stock.book_wms_move")(events[0])
    assert (_balance(item, warehouse), _balance(item, other)) == (D("25"), D("15"))


def test_replenishment_fills_pick_bins_from_storage(live, warehouse, item):
    from tests.wms.conftest import make_bin
    from wms.models import ReplenishmentRule

    pick = make_bin(warehouse, "P-01", "picking")
    ReplenishmentRule.objects.create(bin=pick, item=item, minimum=D("5"), maximum=D("20"))
    (task,) = internal.replenishment_run(warehouse=warehouse)
    assert (task.from_bin, task.to_bin, task.quantity) == (live["stock"], pick, D("20"))
    assert internal.replenishment_run(warehouse=warehouse) == []  # already on its way
    internal.move_task_confirm(task=task, bin_barcode=pick.barcode, actor=None)
    assert _on_hand(pick, item) == D("20")
    assert breaches() == []


# --- counts ------------------------------------------------------------------------------------


def test_a_count_with_work_going_on_posts_only_its_own_variance(live, warehouse, item):
    count = counts.count_start(warehouse=warehouse, bins=[live["stock"]])
    # While the bin is counted, 5 leave it for A-01 before the counter reaches it.
    quant_move(from_bin=live["stock"], to_bin=live["a1"], item=item, quantity=D("5"))
    # The counter finds 33 (2 short of the 35 left).
    counts.count_record(count=count, bin_barcode=live["stock"].barcode, barcode=item.barcode,
                        quantity=D("33"))  # fmt: skip
    counts.count_submit(count=count, actor=None)
    line = count.lines.get()
    assert (line.snapshot_quantity, line.expected_quantity, line.variance) == (
        D("40"),
        D("35"),
        D("-2"),
    )
    counts.count_approve(count=count, actor=None)
    assert Count.objects.get().status == "approved"
    events = deliver_all()
    assert [e.topic for e in events] == ["wms.count_completed"]
    assert _on_hand(live["stock"], item) == D("33")
    assert _balance(item, warehouse) == D("38")
    assert breaches() == []
    EventReceipt.objects.filter(event_id=events[0].pk).delete()
    receivers.get("erp_core.stock.post_wms_count")(events[0])
    assert _balance(item, warehouse) == D("38")


def test_a_count_refuses_bad_scans(live, warehouse, item):
    count = counts.count_start(warehouse=warehouse, bins=[live["stock"]])
    with pytest.raises(ValidationError, match="No bin has the barcode"):
        counts.count_record(count=count, bin_barcode="zz", barcode=item.barcode, quantity=1)
    with pytest.raises(ValidationError, match="not part of count"):
        counts.count_record(count=count, bin_barcode=live["a1"].barcode, barcode=item.barcode,
                            quantity=1)  # fmt: skip
    with pytest.raises(ValidationError, match="not counted yet"):
        counts.count_submit(count=count, actor=None)


def test_the_reconcile_check_names_a_breach(live, warehouse, item):
    StockBalance.objects.filter(item=item, warehouse=warehouse).update(quantity=D("39"))
    assert any("bins hold 40, the ERP books 39" in text for text in breaches())


def test_an_order_placed_before_the_takeover_is_expected_after_it(books, supplier, item):
    warehouse = WarehouseFactory()
    order = _placed(supplier, warehouse, (item, "7"))
    deliver_all()
    assert not ExpectedReceipt.objects.exists()
    run_warehouse(warehouse)
    assert ExpectedReceipt.objects.get().purchase_order == order
    assert PurchaseOrder.objects.get().status == "approved"


def test_stock_operators_do_not_touch_other_warehouses(live, books):
    assert registry.stock_operator(WarehouseFactory().pk) is None
    assert stock.stock_receipt  # the ERP's own services stay as they are
