"""The stock primitives: quants never negative, reservations within on hand, serials in one
place, every change journaled, refusals leave nothing written."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from common.errors import Conflict
from integration.models import Event
from wms.models import Lot, Quant, QuantMove, SerialNumber
from wms.services.stock import quant_add, quant_move, quant_remove, quant_reserve, quant_unreserve

pytestmark = pytest.mark.django_db


def _lot(item, number="L1", days=100):
    return Lot.objects.create(
        item=item, lot_number=number, expiry=dt.date.today() + dt.timedelta(days=days)
    )


def test_database_refuses_negative_on_hand_and_reservation_above_it(bins, item):
    with pytest.raises(IntegrityError), transaction.atomic():
        Quant.objects.create(bin=bins["a1"], item=item, on_hand=D("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Quant.objects.create(bin=bins["a1"], item=item, on_hand=D("1"), reserved=D("2"))


def test_one_quant_per_bin_item_and_lot_even_without_a_lot(bins, item, lot_item):
    Quant.objects.create(bin=bins["a1"], item=item)
    with pytest.raises(IntegrityError), transaction.atomic():
        Quant.objects.create(bin=bins["a1"], item=item)
    lot = _lot(lot_item)
    Quant.objects.create(bin=bins["a1"], item=lot_item, lot=lot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Quant.objects.create(bin=bins["a1"], item=lot_item, lot=lot)


def test_lot_number_is_unique_per_item(lot_item):
    _lot(lot_item)
    with pytest.raises(IntegrityError), transaction.atomic():
        _lot(lot_item)


def test_add_remove_and_move_keep_the_journal(bins, item):
    quant_add(bin=bins["a1"], item=item, quantity=D("10"), reason="adjustment")
    quant_move(from_bin=bins["a1"], to_bin=bins["a2"], item=item, quantity=D("4"))
    quant_remove(bin=bins["a2"], item=item, quantity=D("1"), reason="pick")
    assert Quant.objects.get(bin=bins["a1"], item=item).on_hand == D("6")
    assert Quant.objects.get(bin=bins["a2"], item=item).on_hand == D("3")
    assert list(QuantMove.objects.order_by("pk").values_list("kind", "quantity")) == [
        ("add", D("10")),
        ("move", D("4")),
        ("remove", D("1")),
    ]
    # Nothing crossed a warehouse and no ledger reason was named: the ERP hears nothing.
    assert not Event.objects.filter(topic="wms.stock_moved").exists()


def test_remove_beyond_what_is_free_is_refused_and_nothing_moves(bins, item):
    quant_add(bin=bins["a1"], item=item, quantity=D("5"), reason="adjustment")
    quant_reserve(bin=bins["a1"], item=item, quantity=D("3"))
    with pytest.raises(Conflict, match="Only 2 of"):
        quant_remove(bin=bins["a1"], item=item, quantity=D("3"), reason="pick")
    quant = Quant.objects.get(bin=bins["a1"], item=item)
    assert (quant.on_hand, quant.reserved) == (D("5"), D("3"))
    assert QuantMove.objects.count() == 2
    quant_remove(bin=bins["a1"], item=item, quantity=D("3"), reason="pick", from_reserved=True)
    quant.refresh_from_db()
    assert (quant.on_hand, quant.reserved) == (D("2"), D("0"))


def test_reserve_and_release_stay_within_on_hand(bins, item):
    quant_add(bin=bins["a1"], item=item, quantity=D("2"), reason="adjustment")
    with pytest.raises(Conflict):
        quant_reserve(bin=bins["a1"], item=item, quantity=D("3"))
    quant_reserve(bin=bins["a1"], item=item, quantity=D("2"))
    with pytest.raises(Conflict, match="reserved"):
        quant_unreserve(bin=bins["a1"], item=item, quantity=D("3"))
    quant_unreserve(bin=bins["a1"], item=item, quantity=D("2"))
    assert Quant.objects.get(bin=bins["a1"], item=item).reserved == D("0")


@pytest.mark.parametrize("quantity", [D("0"), D("-1"), "abc", 1.5, D("NaN")])
def test_bad_quantities_are_refused(bins, item, quantity):
    with pytest.raises(ValidationError):
        quant_add(bin=bins["a1"], item=item, quantity=quantity, reason="adjustment")
    assert not Quant.objects.exists()


def test_a_blocked_bin_takes_no_work(bins, item):
    with pytest.raises(ValidationError, match="blocked"):
        quant_add(bin=bins["blocked"], item=item, quantity=D("1"), reason="putaway")
    quant_add(bin=bins["a1"], item=item, quantity=D("1"), reason="adjustment")
    with pytest.raises(ValidationError, match="blocked"):
        quant_move(from_bin=bins["a1"], to_bin=bins["blocked"], item=item, quantity=D("1"))
    assert not Quant.objects.filter(bin=bins["blocked"]).exists()


def test_a_lot_item_needs_its_lot_and_the_lot_must_be_its_own(bins, item, lot_item):
    with pytest.raises(ValidationError, match="tracked by lot"):
        quant_add(bin=bins["a1"], item=lot_item, quantity=D("1"), reason="adjustment")
    other = _lot(lot_item)
    with pytest.raises(ValidationError, match="is not a lot of"):
        quant_add(bin=bins["a1"], item=item, lot=other, quantity=D("1"), reason="adjustment")


def test_a_serial_is_never_in_two_places(bins, serial_item):
    quant_add(bin=bins["a1"], item=serial_item, quantity=D("2"), serials=["S1", "S2"],
              reason="adjustment")  # fmt: skip
    with pytest.raises(Conflict, match="already in bin"):
        quant_add(bin=bins["a2"], item=serial_item, quantity=D("1"), serials=["S1"],
                  reason="adjustment")  # fmt: skip
    with pytest.raises(ValidationError, match="one serial number per unit"):
        quant_add(bin=bins["a2"], item=serial_item, quantity=D("2"), serials=["S3"],
                  reason="adjustment")  # fmt: skip
    with pytest.raises(Conflict, match="not in bin"):
        quant_move(from_bin=bins["a2"], to_bin=bins["a1"], item=serial_item, quantity=D("1"),
                   serials=["S1"])  # fmt: skip
    quant_move(from_bin=bins["a1"], to_bin=bins["a2"], item=serial_item, quantity=D("1"),
               serials=["S1"])  # fmt: skip
    assert SerialNumber.objects.get(serial="S1").bin == bins["a2"]
    quant_reserve(bin=bins["a2"], item=serial_item, quantity=D("1"), serials=["S1"])
    with pytest.raises(Conflict, match="reserved"):
        quant_reserve(bin=bins["a2"], item=serial_item, quantity=D("1"), serials=["S1"])
    quant_remove(bin=bins["a2"], item=serial_item, quantity=D("1"), serials=["S1"],
                 reason="shipment", from_reserved=True)  # fmt: skip
    serial = SerialNumber.objects.get(serial="S1")
    assert (serial.bin, serial.status) == (None, "shipped")


def test_a_move_between_warehouses_tells_the_erp(bins, item, warehouse):
    from erp_core.tests.factories import WarehouseFactory
    from wms.tests.conftest import make_bin

    other = make_bin(WarehouseFactory(), "IN")
    quant_add(bin=bins["a1"], item=item, quantity=D("5"), reason="adjustment")
    quant_move(from_bin=bins["a1"], to_bin=other, item=item, quantity=D("2"), reason="transfer")
    event = Event.objects.get(topic="wms.stock_moved")
    assert event.payload["from_warehouse_id"] == warehouse.pk
    assert event.payload["to_warehouse_id"] == other.warehouse_id
    assert event.payload["quantity"] == "2"
    assert QuantMove.objects.get(kind="move").event_id == event.pk
