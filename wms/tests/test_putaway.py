"""Putaway suggestions: never a full, blocked, quarantine or receiving bin; a bin's volume and
weight capacity bind suggestions and moves."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from wms.models import Bin, ItemMeasure, ItemPlacement, Lot, Quant
from wms.selectors import putaway_suggest
from wms.services.internal import bin_move
from wms.services.stock import quant_add
from wms.tests.conftest import make_bin

pytestmark = pytest.mark.django_db


def test_the_fixed_bin_comes_first_while_it_has_room(bins, item, warehouse):
    bins["a2"].capacity_units = D("10")
    bins["a2"].save()
    ItemPlacement.objects.create(item=item, warehouse=warehouse, fixed_bin=bins["a2"])
    assert (
        putaway_suggest(warehouse_id=warehouse.pk, item=item, lot=None, quantity=D("10"))
        == (bins["a2"])
    )
    # Full for 11: the fixed bin is not suggested.
    assert (
        putaway_suggest(warehouse_id=warehouse.pk, item=item, lot=None, quantity=D("11"))
        != (bins["a2"])
    )


def test_a_bin_holding_the_item_and_lot_comes_next(bins, lot_item, warehouse):
    lot = Lot.objects.create(item=lot_item, lot_number="L1", expiry=dt.date(2030, 1, 1))
    quant_add(bin=bins["a2"], item=lot_item, lot=lot, quantity=D("3"), reason="adjustment")
    assert (
        putaway_suggest(warehouse_id=warehouse.pk, item=lot_item, lot=lot, quantity=D("1"))
        == (bins["a2"])
    )


def test_never_a_full_blocked_quarantine_or_receiving_bin(bins, item, warehouse, zone):
    quarantine = make_bin(warehouse, "Q-01", Bin.Type.QUARANTINE, zone=zone, walking_order=1)
    ItemPlacement.objects.create(item=item, warehouse=warehouse, preferred_zone=zone,
                                 fixed_bin=bins["blocked"])  # fmt: skip
    full = bins["a1"]
    full.capacity_units = D("5")
    full.save()
    quant_add(bin=full, item=item, quantity=D("5"), reason="adjustment")
    for quantity in (D("1"), D("4"), D("100")):
        bin = putaway_suggest(warehouse_id=warehouse.pk, item=item, lot=None, quantity=quantity)
        assert bin not in (full, bins["blocked"], quarantine, bins["recv"])
        assert bin is None or bin.bin_type in ("storage", "picking")
    # Every candidate full or blocked: no suggestion at all.
    for bin in (bins["a2"], bins["pick"]):
        bin.is_blocked = True
        bin.save()
    assert putaway_suggest(warehouse_id=warehouse.pk, item=item, lot=None, quantity=D("1")) is None


def _measured(item, *, weight=None, volume=None):
    return ItemMeasure.objects.create(item=item, unit_weight=weight, unit_volume=volume)


def test_putaway_skips_a_bin_too_weak_for_the_weight(bins, item, lot_item, warehouse):
    _measured(item, weight=D("20"))
    _measured(lot_item, weight=D("2"))
    ItemPlacement.objects.create(item=item, warehouse=warehouse, fixed_bin=bins["a1"])
    bins["a1"].capacity_weight = D("100")
    bins["a1"].save()
    # 2 × 2 kg of another item already weigh on it: 96 kg left, so 4 × 20 kg fit, 5 do not.
    quant_add(bin=bins["a1"], item=lot_item, lot=Lot.objects.create(item=lot_item, lot_number="W"),
              quantity=D("2"), reason="adjustment")  # fmt: skip
    fits = putaway_suggest(warehouse_id=warehouse.pk, item=item, lot=None, quantity=D("4"))
    assert fits == bins["a1"]
    heavy = putaway_suggest(warehouse_id=warehouse.pk, item=item, lot=None, quantity=D("5"))
    assert heavy not in (bins["a1"], None)


def test_putaway_skips_a_bin_without_the_volume(bins, item, warehouse):
    _measured(item, volume=D("0.5"))
    for bin in (bins["pick"], bins["a1"]):
        bin.capacity_volume = D("1")
        bin.save()
    # 3 × 0.5 m³ is more than the 1 m³ of P-01 and A-01: the next empty bin by walking order.
    assert (
        putaway_suggest(warehouse_id=warehouse.pk, item=item, lot=None, quantity=D("3"))
        == bins["a2"]
    )
    assert (
        putaway_suggest(warehouse_id=warehouse.pk, item=item, lot=None, quantity=D("2"))
        == bins["pick"]
    )


def test_an_unmeasured_item_is_bound_by_units_only(bins, item, warehouse):
    bins["pick"].capacity_weight = D("1")
    bins["pick"].capacity_volume = D("0.001")
    bins["pick"].save()
    assert (
        putaway_suggest(warehouse_id=warehouse.pk, item=item, lot=None, quantity=D("50"))
        == bins["pick"]
    )


def test_a_move_into_a_bin_over_its_weight_is_refused_and_moves_nothing(bins, item):
    _measured(item, weight=D("10"))
    bins["a2"].capacity_weight = D("25")
    bins["a2"].save()
    quant_add(bin=bins["a1"], item=item, quantity=D("5"), reason="adjustment")
    with pytest.raises(ValidationError) as refused:
        bin_move(from_bin=bins["a1"], to_bin=bins["a2"], item=item, quantity="3")
    assert "kg" in str(refused.value) and "A-02" in str(refused.value)
    assert Quant.objects.get(bin=bins["a1"], item=item).on_hand == D("5")
    bin_move(from_bin=bins["a1"], to_bin=bins["a2"], item=item, quantity="2")
    assert Quant.objects.get(bin=bins["a2"], item=item).on_hand == D("2")


def test_a_move_into_a_bin_over_its_volume_is_refused(bins, item):
    _measured(item, volume=D("0.2"))
    bins["a2"].capacity_volume = D("0.5")
    bins["a2"].save()
    quant_add(bin=bins["a1"], item=item, quantity=D("5"), reason="adjustment")
    with pytest.raises(ValidationError, match="m³"):
        bin_move(from_bin=bins["a1"], to_bin=bins["a2"], item=item, quantity="3")
    assert not Quant.objects.filter(bin=bins["a2"], item=item, on_hand__gt=0).exists()
