"""Putaway suggestions: never a full, blocked, quarantine or receiving bin."""

import datetime as dt
from decimal import Decimal as D

import pytest

from wms.models import Bin, ItemPlacement, Lot
from wms.selectors import putaway_suggest
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
