"""WMS outbound end to end: a confirmed sales order becomes an outbound order, allocated FEFO,
picked by scan, packed and dispatched; the ERP books the delivery once from the event."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from common.errors import Conflict
from erp_core.billing.models import Invoice
from erp_core.ledger.reconcile import run_checks
from erp_core.sales import services as sales
from erp_core.sales.models import Delivery
from erp_core.sales.tests.helpers import make_order, put_stock
from erp_core.stock.models import StockBalance, StockMove
from integration.models import Event
from integration.services import event_deliver
from tests.wms.outbound_kit import Site, deliver_pending
from wms.models import (
    Allocation,
    CustomerShelfLife,
    Lot,
    OutboundOrder,
    PickList,
    Quant,
    QuantMove,
    SerialNumber,
    Shipment,
)
from wms.services import outbound as svc

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def site(books) -> Site:
    return Site()


def quant(bin, item, lot=None) -> Quant:
    return Quant.objects.get(bin=bin, item=item, lot=lot)


def bins_total(site: Site, item) -> Decimal:
    return sum(
        (q.on_hand for q in Quant.objects.filter(item=item, bin__warehouse=site.warehouse)), D(0)
    )


def erp_balance(site: Site, item) -> Decimal:
    row = StockBalance.objects.filter(item=item, warehouse=site.warehouse).first()
    return row.quantity if row else D(0)


# --- outbound orders from the ERP ---------------------------------------------------------------


def test_a_confirmed_order_for_a_wms_warehouse_becomes_an_outbound_order_once(site):
    order = site.confirm([(site.item, 5)])
    assert order.status == OutboundOrder.Status.DRAFT
    (line,) = order.lines.all()
    assert (line.item, line.quantity) == (site.item, D(5))
    event = Event.objects.get(topic="erp.sales_order_confirmed")
    Event.objects.filter(pk=event.pk).update(status=Event.Status.PENDING)
    event_deliver(event_id=event.pk)
    assert OutboundOrder.objects.count() == 1


def test_an_order_for_a_warehouse_the_erp_runs_makes_no_outbound_order(books):
    site = Site(live=False)
    with transaction.atomic():
        make_order(site.customer, site.warehouse, [(site.item, 5)], approve=True)
    deliver_pending()
    assert OutboundOrder.objects.count() == 0


def test_cancelling_the_sales_order_cancels_the_outbound_order_and_releases_stock(site):
    site.stock(site.a1, site.item, 10)
    order = site.confirm([(site.item, 4)])
    svc.outbound_order_allocate(order=order)
    assert quant(site.a1, site.item).reserved == D(4)
    with transaction.atomic():
        sales.sales_order_cancel(order=order.sales_order, actor=None)
    deliver_pending()
    order.refresh_from_db()
    assert order.status == OutboundOrder.Status.VOIDED
    assert quant(site.a1, site.item).reserved == D(0)
    assert not Allocation.objects.filter(status=Allocation.Status.OPEN).exists()


def test_releasing_an_order_or_its_pick_list_gives_back_only_what_is_not_picked(site):
    site.stock(site.a1, site.item, 10)
    order = site.confirm([(site.item, 4)])
    svc.outbound_order_allocate(order=order)
    svc.outbound_order_release(order=order)
    assert quant(site.a1, site.item).reserved == D(0)
    assert order.lines.get().allocated_quantity == D(0)
    assert not Allocation.objects.filter(status=Allocation.Status.OPEN).exists()
    pick_list = svc.pick_list_create(orders=[order])
    (task,) = pick_list.tasks.filter(status=Allocation.Status.OPEN)
    svc.pick_list_pick(pick_list=pick_list, task_id=task.pk, bin_barcode=task.bin.barcode,
                       item_code=site.item.code, quantity="1")  # fmt: skip
    svc.pick_list_release(pick_list=pick_list)
    task.refresh_from_db()
    assert (task.status, task.quantity) == (Allocation.Status.PICKED, D(1))
    assert quant(site.a1, site.item).reserved == D(0)
    pick_list.refresh_from_db()
    assert pick_list.status == PickList.Status.APPROVED


# --- FEFO ---------------------------------------------------------------------------------------


def fefo_stock(site: Site) -> dict[str, Lot]:
    lots = {
        "expired": site.lot("EXPIRED", days=-1),
        "quarantine": site.lot("QUAR", days=5, status=Lot.Status.QUARANTINE),
        "blocked_lot": site.lot("BLK", days=6, status=Lot.Status.BLOCKED),
        "in_blocked_bin": site.lot("INBB", days=7),
        "in_quarantine_bin": site.lot("INQB", days=8),
        "soon": site.lot("SOON", days=30),
        "later": site.lot("LATER", days=90),
    }
    site.stock(site.a1, site.lot_item, 50, lot=lots["expired"])
    site.stock(site.a1, site.lot_item, 50, lot=lots["quarantine"])
    site.stock(site.a1, site.lot_item, 50, lot=lots["blocked_lot"])
    site.stock(site.blocked, site.lot_item, 50, lot=lots["in_blocked_bin"])
    site.stock(site.quarantine, site.lot_item, 50, lot=lots["in_quarantine_bin"])
    site.stock(site.a2, site.lot_item, 10, lot=lots["later"])
    site.stock(site.a1, site.lot_item, 10, lot=lots["soon"])
    return lots


def test_fefo_takes_the_earliest_expiry_first_and_never_expired_or_quarantined_stock(site):
    fefo_stock(site)
    order = site.confirm([(site.lot_item, 15)])
    made = svc.outbound_order_allocate(order=order)
    assert [(a.lot.lot_number, a.quantity) for a in made] == [("SOON", D(10)), ("LATER", D(5))]


def test_fefo_keeps_the_customers_minimum_remaining_shelf_life(site):
    fefo_stock(site)
    CustomerShelfLife.objects.create(partner=site.customer, min_remaining_days=45)
    order = site.confirm([(site.lot_item, 15)])
    made = svc.outbound_order_allocate(order=order)
    assert [(a.lot.lot_number, a.quantity) for a in made] == [("LATER", D(10))]
    line = order.lines.get()
    assert line.backordered_quantity == D(5)


def test_what_cannot_be_allocated_is_back_ordered_and_allocated_when_stock_comes(site):
    site.stock(site.a1, site.item, 3)
    order = site.confirm([(site.item, 5)])
    svc.outbound_order_allocate(order=order)
    line = order.lines.get()
    assert (line.allocated_quantity, line.backordered_quantity) == (D(3), D(2))
    site.stock(site.a2, site.item, 10)
    svc.outbound_order_allocate(order=order)
    line.refresh_from_db()
    assert (line.allocated_quantity, line.backordered_quantity) == (D(5), D(0))


# --- pick lists and scans -----------------------------------------------------------------------


def test_a_pick_list_is_a_wave_of_orders_in_walking_order(site):
    site.stock(site.a1, site.item, 5)  # walk 30
    site.stock(site.pick, site.item, 5)  # walk 10
    site.stock(site.a2, site.item, 5)  # walk 20
    first = site.confirm([(site.item, 7)])
    second = site.confirm([(site.item, 8)])
    pick_list = svc.pick_list_create(orders=[first, second])
    tasks = list(pick_list.tasks.order_by("sequence"))
    assert [t.bin.code for t in tasks] == sorted(
        [t.bin.code for t in tasks], key=["P-01", "A-02", "A-01"].index
    )
    assert {t.line.order_id for t in tasks} == {first.pk, second.pk}
    assert sum(t.quantity for t in tasks) == D(15)


@pytest.fixture
def picking(site):
    lot = site.lot("L1", days=60)
    site.stock(site.a1, site.lot_item, 20, lot=lot)
    order = site.confirm([(site.lot_item, 8)])
    pick_list = svc.pick_list_create(orders=[order])
    return site, order, pick_list, lot


@pytest.mark.parametrize(
    ("scan", "field", "words"),
    [
        ({"bin_barcode": "NOPE"}, "bin", "Unknown bin barcode"),
        ({"bin_barcode": "{wh}-A-02"}, "bin", "Wrong bin"),
        ({"item_code": "NO-SUCH-ITEM"}, "item", "Unknown item barcode"),
        ({"lot_number": "L2"}, "lot", "Wrong lot"),
        ({"quantity": "9"}, "quantity", "More than allocated"),
        ({"quantity": "-1"}, "quantity", "greater than zero"),
    ],
)
def test_a_bad_scan_says_what_is_wrong_and_moves_nothing(picking, scan, field, words):
    site, _order, pick_list, lot = picking
    good = {
        "bin_barcode": site.a1.barcode,
        "item_code": site.lot_item.code,
        "lot_number": "L1",
        "quantity": "8",
    }
    given = {**good, **scan}
    given["bin_barcode"] = given["bin_barcode"].replace("{wh}", site.warehouse.code)
    moves = QuantMove.objects.count()
    with pytest.raises(ValidationError) as caught:
        svc.pick_list_pick(pick_list=pick_list, **given)
    assert field in caught.value.message_dict
    assert words in " ".join(caught.value.message_dict[field])
    assert QuantMove.objects.count() == moves
    assert quant(site.a1, site.lot_item, lot).reserved == D(8)


def test_a_good_scan_moves_the_stock_reserved_into_the_shipping_bin(picking):
    site, _order, pick_list, lot = picking
    task = svc.pick_list_pick(
        pick_list=pick_list,
        bin_barcode=site.a1.barcode,
        item_code=site.lot_item.code,
        lot_number="L1",
        quantity="8",
    )
    assert task.status == Allocation.Status.PICKED
    source = quant(site.a1, site.lot_item, lot)
    assert (source.on_hand, source.reserved) == (D(12), D(0))
    target = quant(site.ship, site.lot_item, lot)
    assert (target.on_hand, target.reserved) == (D(8), D(8))
    pick_list.refresh_from_db()
    assert pick_list.status == PickList.Status.APPROVED
    with pytest.raises(Conflict):
        svc.pick_list_pick(pick_list=pick_list, bin_barcode=site.a1.barcode,
                           item_code=site.lot_item.code, lot_number="L1", quantity="1")  # fmt: skip


def test_a_short_pick_allocates_the_rest_from_another_bin(site):
    site.stock(site.pick, site.item, 5)
    site.stock(site.a2, site.item, 10)
    order = site.confirm([(site.item, 5)])
    pick_list = svc.pick_list_create(orders=[order])
    (task,) = pick_list.tasks.all()
    assert task.bin == site.pick
    made = svc.pick_list_short(pick_list=pick_list, task_id=task.pk, found_quantity="2")
    assert [(a.bin.code, a.quantity) for a in made] == [("A-02", D(3))]
    task.refresh_from_db()
    assert (task.status, task.picked_quantity) == (Allocation.Status.SHORT, D(2))
    assert quant(site.pick, site.item).reserved == D(0)
    line = order.lines.get()
    assert (line.picked_quantity, line.allocated_quantity, line.backordered_quantity) == (
        D(2), D(3), D(0),
    )  # fmt: skip


def test_a_short_pick_with_no_other_stock_back_orders_the_rest(site):
    site.stock(site.pick, site.item, 5)
    order = site.confirm([(site.item, 5)])
    pick_list = svc.pick_list_create(orders=[order])
    (task,) = pick_list.tasks.all()
    assert svc.pick_list_short(pick_list=pick_list, task_id=task.pk, found_quantity="0") == []
    line = order.lines.get()
    assert line.backordered_quantity == D(5)
    pick_list.refresh_from_db()
    assert pick_list.status == PickList.Status.DRAFT  # nothing picked, nothing open: release it


# --- pack and dispatch --------------------------------------------------------------------------


def pick_all(site: Site, pick_list: PickList) -> None:
    for task in pick_list.tasks.filter(status=Allocation.Status.OPEN).order_by("sequence"):
        svc.pick_list_pick(
            pick_list=pick_list,
            task_id=task.pk,
            bin_barcode=task.bin.barcode,
            item_code=task.item.code,
            lot_number=task.lot.lot_number if task.lot else "",
            serial=task.serial.serial if task.serial else "",
            quantity=str(task.quantity - task.picked_quantity),
        )


def test_dispatch_books_the_erp_delivery_and_invoice_once_with_the_lots(site):
    early, late = site.lot("E1", days=20), site.lot("E2", days=40)
    site.stock(site.a1, site.lot_item, 4, lot=early)
    site.stock(site.a2, site.lot_item, 10, lot=late)
    site.stock(site.pick, site.item, 10)
    order = site.confirm([(site.lot_item, 6), (site.item, 3)])
    pick_list = svc.pick_list_create(orders=[order])
    pick_all(site, pick_list)
    package = svc.package_create(order=order, weight="12.5")
    assert package.contents.count() == 3
    with pytest.raises(ValidationError):
        svc.package_create(order=order, weight="1")  # nothing left to pack
    shipment = svc.shipment_create(order=order, carrier="SF")
    shipment = svc.shipment_dispatch(shipment=shipment)
    assert shipment.status == Shipment.Status.APPROVED
    order.refresh_from_db()
    assert order.status == OutboundOrder.Status.APPROVED
    event = Event.objects.get(topic="wms.shipment_dispatched")
    lot_line = next(
        row for row in event.payload["lines"] if row["quantity"] == "6.000000" or "lots" in row
    )
    assert sorted((lot["lot_number"], D(lot["quantity"])) for lot in lot_line["lots"]) == [
        ("E1", D(4)),
        ("E2", D(2)),
    ]
    assert quant(site.ship, site.lot_item, early).on_hand == D(0)
    # WMS published no stock move of its own: the ERP books the shipment once, from the event.
    assert not Event.objects.filter(topic="wms.stock_moved").exists()
    deliver_pending()
    Event.objects.filter(pk=event.pk).update(status=Event.Status.PENDING)
    event_deliver(event_id=event.pk)  # delivered twice: one delivery
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.APPROVED
    assert StockMove.objects.filter(reason=StockMove.Reason.SHIPMENT).count() == 2
    assert Invoice.objects.count() == 1
    for item in (site.item, site.lot_item):
        assert erp_balance(site, item) == bins_total(site, item)
    assert run_checks() == []


def test_the_erp_ship_step_refuses_for_a_warehouse_wms_runs(site):
    site.stock(site.a1, site.item, 10)
    with transaction.atomic():
        order = make_order(site.customer, site.warehouse, [(site.item, 2)], approve=True)
    with pytest.raises(Conflict, match="WMS"):
        sales.delivery_create(
            sales_order=order,
            lines=[{"sales_order_line": order.lines.get(), "quantity": D(2)}],
            date=order.date,
            actor=None,
        )
    assert Delivery.objects.count() == 0


def test_with_the_warehouse_not_run_by_wms_the_erp_ships_itself(books):
    site = Site(live=False)
    put_stock(site.item, site.warehouse)
    with transaction.atomic():
        order = make_order(site.customer, site.warehouse, [(site.item, 2)], approve=True)
    delivery = sales.delivery_create(
        sales_order=order,
        lines=[{"sales_order_line": order.lines.get(), "quantity": D(2)}],
        date=order.date,
        actor=None,
    )
    delivery = sales.delivery_approve(delivery=delivery, actor=None)
    assert delivery.status == Delivery.Status.APPROVED


# --- serial numbers -----------------------------------------------------------------------------


def test_a_serial_number_is_never_shipped_twice(site):
    site.stock(site.a1, site.serial_item, 1, serials=["SN-1"])
    order = site.confirm([(site.serial_item, 1)])
    pick_list = svc.pick_list_create(orders=[order])
    pick_all(site, pick_list)
    svc.package_create(order=order, weight="3")
    svc.shipment_dispatch(shipment=svc.shipment_create(order=order))
    serial = SerialNumber.objects.get(serial="SN-1")
    assert (serial.status, serial.bin) == (SerialNumber.Status.SHIPPED, None)
    second = site.confirm([(site.serial_item, 1)])
    assert svc.outbound_order_allocate(order=second) == []
    with pytest.raises(ValidationError):
        svc.pick_list_create(orders=[second])


def test_the_erp_delivery_page_says_the_warehouse_ships_it(site, client):
    from django.urls import reverse

    from common.testing import staff_user

    site.stock(site.a1, site.item, 10)
    order = site.confirm([(site.item, 2)]).sales_order
    client.force_login(staff_user("Warehouse"))
    detail = client.get(reverse("sales:order-detail", args=[order.pk]))
    assert b'data-testid="shipped-by"' in detail.content
    assert reverse("sales:delivery-create", args=[order.pk]).encode() not in detail.content
    response = client.get(reverse("sales:delivery-create", args=[order.pk]), follow=True)
    assert "shipped by the warehouse in WMS" in response.content.decode()
    assert Delivery.objects.count() == 0
