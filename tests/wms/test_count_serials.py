"""Counting serial-tracked items: each unit is scanned by serial number; a serial the books hold
in the bin but nobody scanned is missing (a loss), one scanned but booked nowhere is extra (a
gain), one booked in another bin of the warehouse is moved; the ERP posts the net difference."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from common.testing import api_client, assert_action_limit, assert_error_body, staff_user
from erp_core.stock.models import StockBalance
from tests.wms.helpers import breaches, deliver_all
from tests.wms.outbound_kit import Site
from wms.models import Count, CountSerial, Quant, SerialNumber
from wms.services import counts
from wms.services.counts import MAX_SERIAL_BATCH

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def site(books) -> Site:
    return Site()


def _scan(count, bin, item, *serials):
    for serial in serials:
        counts.count_record(count=count, bin_barcode=bin.barcode, barcode=item.code, serial=serial)


def _serial(item, serial) -> SerialNumber:
    return SerialNumber.objects.select_related("bin").get(item=item, serial=serial)


def test_missing_and_extra_serials_become_the_differences(site):
    item = site.serial_item
    site.stock(site.a1, item, 3, serials=["S1", "S2", "S3"])
    count = counts.count_start(warehouse=site.warehouse, bins=[site.a1])
    _scan(count, site.a1, item, "S1", "S3", "S9", "S1")  # S1 twice: one unit
    line = count.lines.get()
    assert line.counted_quantity == D(3)
    counts.count_submit(count=count, actor=None)
    counts.count_approve(count=count, actor=None)
    assert _serial(item, "S2").status == SerialNumber.Status.REMOVED
    found = _serial(item, "S9")
    assert (found.status, found.bin) == (SerialNumber.Status.IN_STOCK, site.a1)
    assert Quant.objects.get(bin=site.a1, item=item).on_hand == D(3)
    deliver_all()
    # One missing, one found: the ERP holds 3 still and the books reconcile.
    assert StockBalance.objects.get(item=item, warehouse=site.warehouse).quantity == D(3)
    assert breaches() == []


def test_a_serial_found_in_another_bin_is_moved_not_lost_and_found(site):
    item = site.serial_item
    site.stock(site.a1, item, 2, serials=["M1", "M2"])
    site.stock(site.a2, item, 1, serials=["M3"])
    count = counts.count_start(warehouse=site.warehouse, bins=[site.a1, site.a2])
    _scan(count, site.a1, item, "M1")
    _scan(count, site.a2, item, "M3", "M2")
    counts.count_submit(count=count, actor=None)
    counts.count_approve(count=count, actor=None)
    assert _serial(item, "M2").bin == site.a2
    assert _serial(item, "M2").status == SerialNumber.Status.IN_STOCK
    assert Quant.objects.get(bin=site.a1, item=item).on_hand == D(1)
    assert Quant.objects.get(bin=site.a2, item=item).on_hand == D(2)
    deliver_all()
    assert StockBalance.objects.get(item=item, warehouse=site.warehouse).quantity == D(3)


def test_a_bin_counted_empty_of_a_serial_item_loses_every_unit(site):
    item = site.serial_item
    site.stock(site.a1, item, 2, serials=["E1", "E2"])
    count = counts.count_start(warehouse=site.warehouse, bins=[site.a1])
    counts.count_record(count=count, bin_barcode=site.a1.barcode, barcode=item.code, quantity="0")
    counts.count_submit(count=count, actor=None)
    counts.count_approve(count=count, actor=None)
    assert count.lines.get().variance == D(-2)
    assert not SerialNumber.objects.filter(item=item, status=SerialNumber.Status.IN_STOCK).exists()
    deliver_all()
    assert StockBalance.objects.get(item=item, warehouse=site.warehouse).quantity == D(0)


def test_bad_serial_scans_are_refused_and_record_nothing(site):
    item = site.serial_item
    site.stock(site.a1, item, 1, serials=["B1"])
    count = counts.count_start(warehouse=site.warehouse, bins=[site.a1])
    with pytest.raises(ValidationError, match="serial"):
        counts.count_record(
            count=count, bin_barcode=site.a1.barcode, barcode=item.code, quantity="1"
        )
    with pytest.raises(ValidationError, match="not tracked by serial"):
        counts.count_record(
            count=count, bin_barcode=site.a1.barcode, barcode=site.item.code, serial="X"
        )
    SerialNumber.objects.filter(item=item, serial="B1").update(status="shipped", bin=None)
    with pytest.raises(ValidationError, match="B1"):
        _scan(count, site.a1, item, "B1")
    assert count.lines.get().counted_quantity is None
    assert Count.objects.get(pk=count.pk).status == Count.Status.DRAFT


def test_the_api_records_a_serial_scan_and_refuses_a_bad_one(site):
    item = site.serial_item
    site.stock(site.a1, item, 1, serials=["A1"])
    count = counts.count_start(warehouse=site.warehouse, bins=[site.a1])
    client = api_client(staff_user("Warehouse"))
    url = f"/api/v1/wms/counts/{count.pk}/record/"
    body = {"bin_barcode": site.a1.barcode, "barcode": item.code, "serial": "A1"}
    assert client.post(url, body, format="json").status_code == 200
    bad = client.post(url, {**body, "serial": ""}, format="json")
    assert bad.status_code == 400
    assert "serial" in bad.json()["errors"] or "serial" in str(bad.json())
    assert count.lines.get().counted_quantity == D(1)


def test_a_batch_of_serial_scans_counts_as_the_scans_one_by_one_and_a_bad_one_refuses_all(site):
    item = site.serial_item
    site.stock(site.a1, item, 3, serials=["H1", "H2", "H3"])
    count = counts.count_start(warehouse=site.warehouse, bins=[site.a1])
    record = {"count": count, "bin_barcode": site.a1.barcode, "barcode": item.code}
    SerialNumber.objects.filter(item=item, serial="H3").update(status="shipped", bin=None)
    with pytest.raises(ValidationError, match="H3"):
        counts.count_record_serials(**record, serials=["H1", "H3"])
    with pytest.raises(ValidationError, match="serial"):
        counts.count_record_serials(**record, serials=["H1", " "])
    with pytest.raises(ValidationError, match="not tracked by serial"):
        counts.count_record_serials(**{**record, "barcode": site.item.code}, serials=["H1"])
    assert count.lines.get().counted_quantity is None  # nothing recorded
    counts.count_record_serials(**record, serials=["H1", "H2", "H1"])
    counts.count_record_serials(**record, serials=["H2", "H7"])  # a later batch adds to it
    line = count.lines.get()
    assert line.counted_quantity == D(3)
    assert sorted(line.serials.values_list("serial", flat=True)) == ["H1", "H2", "H7"]


def _batch_url(count) -> str:
    return f"/api/v1/wms/counts/{count.pk}/record-serials/"


def _recorded(count) -> tuple:
    """What the count holds: its lines' counts, the serials scanned, its revision."""
    return (
        list(count.lines.order_by("pk").values_list("counted_quantity", "counted_at")),
        sorted(CountSerial.objects.filter(line__count=count).values_list("serial", flat=True)),
        Count.objects.get(pk=count.pk).revision,
    )


def test_the_api_records_a_batch_of_serials_all_or_none(site):
    item = site.serial_item
    site.stock(site.a1, item, 3, serials=["K1", "K2", "K3"])
    SerialNumber.objects.create(item=item, serial="K9", status=SerialNumber.Status.SHIPPED)
    count = counts.count_start(warehouse=site.warehouse, bins=[site.a1])
    client = api_client(staff_user("Warehouse"))
    body = {"bin_barcode": site.a1.barcode, "barcode": item.code, "serials": ["K1", "K2"]}
    before = _recorded(count)
    bad = client.post(_batch_url(count), {**body, "serials": ["K1", "K9"]}, format="json")
    assert "K9" in str(assert_error_body(bad, 400))
    assert _recorded(count) == before  # K1 was good, and is not recorded either
    response = client.post(_batch_url(count), body, format="json")
    assert response.status_code == 200, response.content
    (line,) = response.json()["lines"]
    assert line["counted_quantity"] == "2.000000"
    assert sorted(count.lines.get().serials.values_list("serial", flat=True)) == ["K1", "K2"]


def test_a_batch_of_serials_is_bounded(site):
    item = site.serial_item
    count = counts.count_start(warehouse=site.warehouse, bins=[site.a1])
    client = api_client(staff_user("Warehouse"))
    body = {"bin_barcode": site.a1.barcode, "barcode": item.code, "serials": []}

    def serials(size: int) -> list[str]:
        return [f"N{n}" for n in range(size)]

    assert_action_limit(
        client, _batch_url(count), body=body, path="serials", inside=serials(MAX_SERIAL_BATCH),
        outside=serials(MAX_SERIAL_BATCH + 1), state=lambda: _recorded(count),
    )  # fmt: skip
    assert count.lines.get().counted_quantity == D(MAX_SERIAL_BATCH)
    assert_error_body(client.post(_batch_url(count), body, format="json"), 400)


def test_a_batch_of_serials_needs_the_right_to_count(site):
    item = site.serial_item
    count = counts.count_start(warehouse=site.warehouse, bins=[site.a1])
    body = {"bin_barcode": site.a1.barcode, "barcode": item.code, "serials": ["W1"]}
    for role in ("Shop floor", "Sales"):
        response = api_client(staff_user(role)).post(_batch_url(count), body, format="json")
        assert_error_body(response, 403)
    assert not CountSerial.objects.exists()
