"""The WMS pages: each opens for the warehouse, is refused without WMS, answers in a fixed
number of queries; the scan screens take good scans and refuse bad ones with nothing moved;
labels print as PDF."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from erp_core.models import Partner
from erp_core.purchasing.models import PurchaseOrder
from erp_core.tests.factories import ItemFactory, PartnerFactory, UserFactory
from wms.models import Bin, Count, ExpectedReceipt, ExpectedReceiptLine, Lot, MoveTask, Quant
from wms.services.stock import quant_add
from wms.tests.conftest import make_bin

pytestmark = pytest.mark.django_db

RECEIPT = "receipt"


@pytest.fixture
def keeper(db) -> Client:
    """A client signed in as warehouse staff."""
    client = Client()
    client.force_login(UserFactory(username="keeper", roles=["Warehouse"]))
    return client


@pytest.fixture
def seller(db) -> Client:
    """A client signed in as sales staff, who has no WMS."""
    client = Client()
    client.force_login(UserFactory(username="seller", roles=["Sales"]))
    return client


@pytest.fixture
def stocked(warehouse, bins, item, lot_item):
    """Some stock: 40 of an item in A-01, two lots of a lot item in A-01 and A-02."""
    today = timezone.localdate()
    soon = Lot.objects.create(item=lot_item, lot_number="L-SOON", expiry=today + dt.timedelta(5))
    later = Lot.objects.create(item=lot_item, lot_number="L-LATER", expiry=today + dt.timedelta(90))
    quant_add(bin=bins["a1"], item=item, quantity="40", reason=RECEIPT)
    quant_add(bin=bins["a1"], item=lot_item, lot=soon, quantity="5", reason=RECEIPT)
    quant_add(bin=bins["a2"], item=lot_item, lot=later, quantity="7", reason=RECEIPT)
    return {"soon": soon, "later": later}


@pytest.fixture
def documents(warehouse, bins, item):
    """An expected receipt of one line, a count of one bin and an open putaway task."""
    supplier = PartnerFactory(kind=Partner.Kind.SUPPLIER)
    today = timezone.localdate()
    order = PurchaseOrder.objects.create(
        number="PO-T-1", date=today, supplier=supplier, warehouse=warehouse
    )
    line = order.lines.model.objects.create(
        order=order, line_no=1, item=item, quantity=Decimal("10"), unit_price=Decimal("1")
    )
    receipt = ExpectedReceipt.objects.create(
        number="WR-T-1", date=today, warehouse=warehouse, supplier=supplier, purchase_order=order
    )
    ExpectedReceiptLine.objects.create(
        receipt=receipt, line_no=1, purchase_order_line=line, item=item,
        quantity=Decimal("10"), limit=Decimal("11"),
    )  # fmt: skip
    count = Count.objects.create(number="WC-T-1", date=today, warehouse=warehouse)
    count.lines.create(bin=bins["a1"], item=item, snapshot_quantity=Decimal("40"))
    task = MoveTask.objects.create(
        warehouse=warehouse, kind=MoveTask.Kind.PUTAWAY, item=item, quantity=Decimal("3"),
        from_bin=bins["recv"], to_bin=bins["a1"],
    )  # fmt: skip
    return {"receipt": receipt, "count": count, "task": task}


def _pages(bins, item, zone, stocked, documents) -> list[str]:
    return [
        reverse("wms:dashboard"),
        reverse("wms:dashboard") + "?days=3&warehouse=" + str(bins["a1"].warehouse_id),
        reverse("wms:bin-fill", args=[bins["a1"].warehouse_id]),
        reverse("wms:stock-list"),
        reverse("wms:stock-list") + "?q=L-SOON",
        reverse("wms:stock-item", args=[item.pk]),
        reverse("wms:zone-list"),
        reverse("wms:zone-create"),
        reverse("wms:zone-edit", args=[zone.pk]),
        reverse("wms:bin-list"),
        reverse("wms:bin-create"),
        reverse("wms:bin-detail", args=[bins["a1"].pk]),
        reverse("wms:bin-edit", args=[bins["a1"].pk]),
        reverse("wms:lot-list"),
        reverse("wms:lot-detail", args=[stocked["soon"].pk]),
        reverse("wms:receipt-list"),
        reverse("wms:receipt-detail", args=[documents["receipt"].pk]),
        reverse("wms:count-list"),
        reverse("wms:count-detail", args=[documents["count"].pk]),
        reverse("wms:task-list"),
        reverse("wms:scan-menu"),
        reverse("wms:scan-move"),
        reverse("wms:scan-receive"),
        reverse("wms:scan-putaway"),
        reverse("wms:scan-count"),
        reverse("wms:scan-pick"),
        reverse("wms:bin-label", args=[bins["a1"].pk]),
        reverse("wms:zone-labels", args=[zone.pk]),
        reverse("wms:item-label", args=[item.pk]),
        reverse("wms:lot-label", args=[stocked["soon"].pk]),
    ]


def test_every_page_opens_for_the_warehouse_and_is_refused_without_wms(
    keeper, seller, bins, item, zone, stocked, documents
):
    for url in _pages(bins, item, zone, stocked, documents):
        assert keeper.get(url).status_code == 200, url
        assert seller.get(url).status_code == 403, url


def test_a_visitor_not_signed_in_goes_to_the_login_page(bins):
    response = Client().get(reverse("wms:dashboard"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_labels_print_as_pdf(keeper, bins, item, zone, stocked):
    for url in (
        reverse("wms:bin-label", args=[bins["a1"].pk]),
        reverse("wms:zone-labels", args=[zone.pk]),
        reverse("wms:item-label", args=[item.pk]),
        reverse("wms:lot-label", args=[stocked["soon"].pk]),
    ):
        response = keeper.get(url)
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF"), url


def test_the_label_draws_code128_and_qr_as_inline_svg(bins):
    from wms.labels import Label

    label = Label(title="A-01", value=bins["a1"].barcode)
    assert str(label.code128).startswith("<svg")
    assert "<svg" in str(label.qr)


def test_the_dashboard_shows_expiring_lots_full_and_empty_bins(keeper, warehouse, bins, stocked):
    full = make_bin(warehouse, "F-01", capacity_units=Decimal("3"))
    quant_add(bin=full, item=stocked["soon"].item, lot=stocked["soon"], quantity="3",
              reason=RECEIPT)  # fmt: skip
    page = keeper.get(reverse("wms:dashboard")).content.decode()
    assert "L-SOON" in page and "L-LATER" not in page  # 5 days out is within 30, 90 is not
    page = keeper.get(reverse("wms:dashboard") + "?days=100").content.decode()
    assert "L-LATER" in page
    assert 'id="bin-fill-data"' in page and "vendor/echarts/echarts.min.js" in page
    response = keeper.get(reverse("wms:bin-fill", args=[warehouse.pk]))
    cells = {cell[3]: cell for cell in response.json()["cells"]}
    assert cells["F-01"][2] == 100.0  # per cent full
    assert cells["A-02"][2] is None  # no capacity: units only
    context = keeper.get(reverse("wms:dashboard")).context
    assert [b.code for b in context["full"]] == ["F-01"]
    assert "P-01" in [b.code for b in context["empty"]]
    assert "X-01" not in [b.code for b in context["empty"]]  # blocked


def test_stock_is_found_by_code_barcode_lot_and_pinyin_initials(keeper, warehouse, bins):
    steel = ItemFactory(code="RM-STEEL", name="钢板料", barcode="6901234567892",
                        pinyin_initials="GBL")  # fmt: skip
    lot = Lot.objects.create(item=steel, lot_number="B2026-07")
    quant_add(bin=bins["a1"], item=steel, lot=None if steel.tracking == "none" else lot,
              quantity="12", reason=RECEIPT)  # fmt: skip
    url = reverse("wms:stock-list")
    for search in ("RM-STEEL", "6901234567892", "gbl"):
        rows = list(keeper.get(url, {"q": search}).context["page_obj"].object_list)
        assert [row["item__code"] for row in rows] == ["RM-STEEL"], search
        assert rows[0]["on_hand"] == Decimal("12")
    assert not keeper.get(url, {"q": "nothing-like-it"}).context["page_obj"].object_list


def test_the_stock_browser_finds_an_item_by_lot_number(keeper, stocked):
    rows = list(keeper.get(reverse("wms:stock-list"), {"q": "L-LATER"}).context["page_obj"])
    assert len(rows) == 1 and rows[0]["on_hand"] == Decimal("7")


def _many(warehouse, zone, n: int, *, start: int = 0) -> None:
    for i in range(start, start + n):
        bin = make_bin(warehouse, f"Q-{i:02d}", zone=zone, capacity_units=Decimal("100"))
        item = ItemFactory(tracking="lot")
        lot = Lot.objects.create(item=item, lot_number=f"N-{i}", expiry=timezone.localdate())
        quant_add(bin=bin, item=item, lot=lot, quantity="3", reason=RECEIPT)
        MoveTask.objects.create(
            warehouse=warehouse, kind=MoveTask.Kind.MOVE, item=item, lot=lot,
            quantity=Decimal("1"), from_bin=bin,
        )  # fmt: skip
        Count.objects.create(number=f"WC-Q-{i}", date=timezone.localdate(), warehouse=warehouse)


@pytest.mark.parametrize(
    "name",
    ["wms:dashboard", "wms:stock-list", "wms:bin-list", "wms:zone-list", "wms:lot-list",
     "wms:count-list", "wms:task-list", "wms:receipt-list"],
)  # fmt: skip
def test_lists_answer_in_the_same_number_of_queries_for_3_rows_as_for_12(
    keeper, warehouse, zone, name
):
    _many(warehouse, zone, 3)
    keeper.get(reverse(name))  # session and permission caches warm
    with CaptureQueriesContext(connection) as few:
        assert keeper.get(reverse(name)).status_code == 200
    _many(warehouse, zone, 9, start=3)
    with CaptureQueriesContext(connection) as many:
        assert keeper.get(reverse(name)).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- zones and bins ----------------------------------------------------------------------------


def test_a_bin_is_created_and_changed_through_its_form(keeper, warehouse, zone):
    response = keeper.post(
        reverse("wms:bin-create"),
        {"warehouse": warehouse.pk, "zone": zone.pk, "code": "B-09", "barcode": "BC-B-09",
         "bin_type": "storage", "capacity_units": "50", "walking_order": "90"},
    )  # fmt: skip
    bin = Bin.objects.get(code="B-09")
    assert response.status_code == 302 and response["Location"].endswith(f"/bins/{bin.pk}/")
    assert bin.capacity_units == Decimal("50")
    keeper.post(
        reverse("wms:bin-edit", args=[bin.pk]),
        {"zone": zone.pk, "code": "B-09", "barcode": "BC-B-09", "bin_type": "picking",
         "capacity_units": "", "walking_order": "5", "is_blocked": "on"},
    )  # fmt: skip
    bin.refresh_from_db()
    assert (bin.bin_type, bin.capacity_units, bin.is_blocked) == ("picking", None, True)


def test_a_bad_bin_form_is_refused_with_nothing_saved(keeper, warehouse, zone):
    other = Bin.objects.none()
    response = keeper.post(
        reverse("wms:bin-create"),
        {"warehouse": warehouse.pk, "zone": zone.pk, "code": "B-10", "barcode": "BC-B-10",
         "bin_type": "storage", "capacity_units": "-1e99", "walking_order": "1"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not Bin.objects.filter(code="B-10").exists() and not other


def test_a_zone_is_created_and_renamed(keeper, warehouse):
    data = {"warehouse": warehouse.pk, "code": "C", "name": "Cold"}
    keeper.post(reverse("wms:zone-create"), data)
    zone = warehouse.wms_zones.get(code="C")
    keeper.post(reverse("wms:zone-edit", args=[zone.pk]), {"code": "C", "name": "Cold store"})
    zone.refresh_from_db()
    assert zone.name == "Cold store"


# --- the move scan screen ----------------------------------------------------------------------


def _scan(client: Client, fields: dict, value: str):
    data = {**{f"s_{k}": v for k, v in fields.items()}, "scan": value}
    return client.post(reverse("wms:scan-move"), data, HTTP_HX_REQUEST="true")


def _quant(bin, item, lot=None) -> Decimal:
    quant = Quant.objects.filter(bin=bin, item=item, lot=lot).first()
    return quant.on_hand if quant else Decimal("0")


def test_a_move_by_scan_moves_the_stock(keeper, bins, item, stocked):
    fields = {}
    steps = [
        ("from_bin", bins["a1"].barcode),
        ("item", item.code),
        ("quantity", "15"),
    ]
    for name, value in steps:
        response = _scan(keeper, fields, value)
        assert response.context["result"] == "ok", response.context["message"]
        assert 'data-scan-result="ok"' in response.content.decode()
        fields[name] = value
    response = _scan(keeper, fields, bins["a2"].barcode)
    assert response.context["result"] == "done"
    assert 'data-scan-result="done"' in response.content.decode()
    assert _quant(bins["a1"], item) == Decimal("25")
    assert _quant(bins["a2"], item) == Decimal("15")


def test_a_lot_item_is_asked_for_its_lot(keeper, bins, stocked):
    soon = stocked["soon"]
    fields = {"from_bin": bins["a1"].barcode, "item": soon.item.code}
    response = _scan(keeper, {"from_bin": bins["a1"].barcode}, soon.item.code)
    assert response.context["step"].name == "lot"
    response = _scan(keeper, fields, "L-LATER")  # lies in A-02, not A-01
    assert response.context["result"] == "error"
    assert "L-LATER" in response.context["message"]
    fields["lot"] = "L-SOON"
    fields["quantity"] = "5"
    response = _scan(keeper, fields, bins["a2"].barcode)
    assert response.context["result"] == "done"
    assert _quant(bins["a2"], soon.item, soon) == Decimal("5")


@pytest.mark.parametrize(
    ("fields", "scan", "says"),
    [
        ({}, "NO-SUCH-BIN", "NO-SUCH-BIN"),
        ({"from_bin": "A1"}, "NO-SUCH-ITEM", "NO-SUCH-ITEM"),
        ({"from_bin": "A2"}, "ITEM", "holds no"),
        ({"from_bin": "A1", "item": "ITEM"}, "41", "only 40"),
        ({"from_bin": "A1", "item": "ITEM"}, "abc", ""),
        ({"from_bin": "A1", "item": "ITEM"}, "-3", ""),
        ({"from_bin": "A1", "item": "ITEM", "quantity": "5"}, "A1", "another bin"),
        ({"from_bin": "A1", "item": "ITEM", "quantity": "5"}, "BLOCKED", "blocked"),
        ({"from_bin": "A1", "item": "ITEM", "quantity": "5"}, "ELSEWHERE", "another warehouse"),
    ],
)
def test_a_bad_scan_says_what_is_wrong_and_moves_nothing(keeper, bins, item, stocked, fields,
                                                          scan, says):  # fmt: skip
    from erp_core.tests.factories import WarehouseFactory

    elsewhere = make_bin(WarehouseFactory(), "E-01")
    names = {"A1": bins["a1"].barcode, "A2": bins["a2"].barcode, "ITEM": item.code,
             "BLOCKED": bins["blocked"].barcode, "ELSEWHERE": elsewhere.barcode}  # fmt: skip
    fields = {key: names.get(value, value) for key, value in fields.items()}
    before = list(Quant.objects.order_by("pk").values_list("on_hand", "reserved"))
    response = _scan(keeper, fields, names.get(scan, scan))
    assert response.status_code == 200
    assert response.context["result"] == "error"
    assert 'data-scan-result="error"' in response.content.decode()
    assert says in response.context["message"]
    assert response.context["message"]
    assert list(Quant.objects.order_by("pk").values_list("on_hand", "reserved")) == before


def test_a_scan_refused_by_the_service_keeps_what_was_scanned(keeper, bins, item, stocked):
    """Another user took the stock between the quantity scan and the last one."""
    from wms.services.stock import quant_remove

    fields = {"from_bin": bins["a1"].barcode, "item": item.code, "quantity": "30"}
    quant_remove(bin=bins["a1"], item=item, quantity="20", reason="adjustment")
    response = _scan(keeper, fields, bins["a2"].barcode)
    assert response.context["result"] == "error"
    assert _quant(bins["a2"], item) == 0 and _quant(bins["a1"], item) == Decimal("20")


def test_the_move_screen_works_without_htmx(keeper, bins):
    response = keeper.post(reverse("wms:scan-move"), {"scan": bins["a1"].barcode})
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert response.context["result"] == "ok"


def test_the_scan_screen_refuses_a_role_without_wms(seller, bins):
    response = seller.post(reverse("wms:scan-move"), {"scan": bins["a1"].barcode})
    assert response.status_code == 403


# --- receive, putaway and count screens --------------------------------------------------------


def _post(client: Client, name: str, fields: dict, value: str):
    data = {**{f"s_{k}": v for k, v in fields.items()}, "scan": value}
    return client.post(reverse(name), data, HTTP_HX_REQUEST="true")


def _walk(client: Client, name: str, scans: list[tuple[str, str]]):
    """Scan each value in turn; every scan but the last must be taken."""
    fields: dict = {}
    for step, value in scans[:-1]:
        response = _post(client, name, fields, value)
        assert response.context["result"] == "ok", (step, response.context["message"])
        assert response.context["step"].name != step
        fields[step] = value
    return fields, _post(client, name, fields, scans[-1][1])


def test_receiving_by_scan_records_the_scan(keeper, item, documents):
    receipt = documents["receipt"]
    _fields, response = _walk(
        keeper, "wms:scan-receive", [("receipt", receipt.number), ("item", item.code),
                                     ("quantity", "4")]
    )  # fmt: skip
    assert response.context["result"] == "done", response.context["message"]
    line = receipt.lines.get()
    assert line.received_quantity == Decimal("4")
    assert response.context["step"].name == "item"  # the receipt is kept for the next scan
    response = _post(keeper, "wms:scan-receive", {"receipt": receipt.number, "item": item.code},
                     "8")  # fmt: skip
    assert response.context["result"] == "error"  # 4 + 8 is above the limit of 11
    line.refresh_from_db()
    assert line.received_quantity == Decimal("4")


def test_a_lot_received_by_scan_asks_for_the_expiry_of_a_new_lot(keeper, warehouse, lot_item,
                                                                  documents):  # fmt: skip
    receipt = documents["receipt"]
    line = receipt.lines.get()
    line.item = lot_item
    line.save()
    fields, response = _walk(
        keeper, "wms:scan-receive",
        [("receipt", receipt.purchase_order.number), ("item", lot_item.code), ("lot", "NEW-1"),
         ("expiry", "271231"), ("quantity", "2")],
    )  # fmt: skip
    assert response.context["result"] == "done", response.context["message"]
    lot = Lot.objects.get(item=lot_item, lot_number="NEW-1")
    assert lot.expiry == dt.date(2027, 12, 31)
    asked = {"receipt": fields["receipt"], "item": fields["item"], "lot": "NEW-2"}
    response = _post(keeper, "wms:scan-receive", asked, "2027-13-45")
    assert response.context["step"].name == "expiry"
    assert response.context["result"] == "error"
    assert "2027-13-45" in response.context["message"]


def test_an_item_not_on_the_receipt_is_refused(keeper, lot_item, documents):
    receipt = documents["receipt"]
    response = _post(keeper, "wms:scan-receive", {"receipt": receipt.number}, lot_item.code)
    assert response.context["result"] == "error"
    assert receipt.number in response.context["message"]


def test_putaway_by_scan_moves_the_goods_into_the_suggested_bin(keeper, bins, item, documents):
    quant_add(bin=bins["recv"], item=item, quantity="3", reason=RECEIPT)
    scans = [("from_bin", bins["recv"].barcode), ("item", item.code)]
    fields, response = _walk(keeper, "wms:scan-putaway", [*scans, ("to_bin", bins["a2"].barcode)])
    assert response.context["result"] == "error"  # the wrong bin: A-01 was suggested
    assert "A-01" in response.context["message"]
    assert _quant(bins["recv"], item) == Decimal("3")
    response = _post(keeper, "wms:scan-putaway", fields, bins["a1"].barcode)
    assert response.context["result"] == "done", response.context["message"]
    assert _quant(bins["recv"], item) == 0 and _quant(bins["a1"], item) == Decimal("3")
    documents["task"].refresh_from_db()
    assert documents["task"].status == MoveTask.Status.DONE


def test_counting_by_scan_records_what_was_found(keeper, bins, item, documents):
    count = documents["count"]
    count.bins.add(bins["a1"])
    _fields, response = _walk(
        keeper, "wms:scan-count", [("count", count.number), ("bin", bins["a1"].barcode),
                                   ("item", item.code), ("quantity", "0")]
    )  # fmt: skip
    assert response.context["result"] == "done", response.context["message"]
    assert count.lines.get(bin=bins["a1"], item=item).counted_quantity == 0
    assert response.context["step"].name == "item"  # count and bin kept
    response = _post(keeper, "wms:scan-count", {"count": count.number}, bins["a2"].barcode)
    assert response.context["result"] == "error"  # not a bin of this count
