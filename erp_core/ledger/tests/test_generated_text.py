"""Text the system writes is kept as what it means and shown in the reader's language.

Journal-entry memos of the stock ledger, production, reversals, rounding and the demo are a kind
and its values; stock-move and entry sources read as the document's kind and number; a refused
stock move says it with the item's code and readable quantities, in the reader's language.
"""

import importlib
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from common.testing import staff_user
from erp_core.documents.sources import source_labels
from erp_core.ledger.memos import KINDS, Memo, memo_text
from erp_core.ledger.models import JournalEntry
from erp_core.ledger.services import journal_entry_reverse
from erp_core.models import Item, ItemCategory, UnitOfMeasure, Warehouse
from erp_core.stock import services as stock
from erp_core.stock.models import StockMove

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
MIGRATION = importlib.import_module("erp_core.ledger.migrations.0007_memo_kind_and_values")


@pytest.fixture
def gearbox(books):
    unit, _ = UnitOfMeasure.objects.get_or_create(
        code="PCS", defaults={"name": "Piece", "category": UnitOfMeasure.Category.COUNT}
    )
    category, _ = ItemCategory.objects.get_or_create(code="RM", defaults={"name": "Raw"})
    return Item.objects.create(
        code="FG-GEARBOX",
        name="Gearbox",
        unit=unit,
        category=category,
        item_type=Item.ItemType.RAW_MATERIAL,
        costing_method="moving_average",
    )


@pytest.fixture
def main_warehouse(db):
    return Warehouse.objects.create(code="WH-MAIN", name="Main")


def _ship(item, warehouse, quantity="3", language="en"):
    with translation.override(language):
        stock.stock_receipt(item=item, warehouse=warehouse, quantity=D("5"), unit_cost=D("10"))
        return stock.stock_issue(
            item=item, warehouse=warehouse, quantity=D(quantity), reason=StockMove.Reason.SHIPMENT
        )


@pytest.mark.parametrize("poster", ["en", "zh-hans"])
def test_a_stock_entry_memo_is_stored_as_its_kind_whatever_the_posters_language(
    gearbox, main_warehouse, poster
):
    move = _ship(gearbox, main_warehouse, language=poster)
    entry = JournalEntry.objects.get(pk=move.journal_entry_id)
    assert entry.memo == ""
    assert entry.memo_kind == "stock_shipment"
    assert entry.memo_args == {"document": "", "item": "FG-GEARBOX", "quantity": "-3"}
    assert {line.memo_kind for line in entry.lines.all()} == {"stock_shipment"}
    with translation.override("en"):
        assert entry.memo_display == "Shipment: FG-GEARBOX -3"
    with translation.override("zh-hans"):
        assert entry.memo_display == "发货：FG-GEARBOX -3"


def test_a_memo_shows_its_numbers_as_numbers():
    with translation.override("en"):
        text = memo_text("stock_receipt", {"document": "PR-1", "item": "X", "quantity": "1234.5"})
    assert text == "Receipt PR-1: X 1,234.5"


def test_every_kind_reads_in_chinese():
    values = {
        "document": "DL-2026-000001",
        "item": "FG",
        "quantity": "2",
        "reasons": ["receipt", "shipment"],
        "count": "3",
        "move": "7",
        "order": "MO-1",
        "sequence": "10",
        "number": "STK-2026-000001",
        "year": "2026",
        "period": "2026-12",
    }
    with translation.override("zh-hans"):
        for kind in KINDS:
            text = memo_text(kind, values)
            assert text and not any(word in text for word in ("Receipt", "Shipment", "closed")), (
                kind,
                text,
            )


def test_a_typed_memo_stays_as_typed():
    with translation.override("zh-hans"):
        assert memo_text("", {}, "rent for May") == "rent for May"
        assert str(Memo("no-such-kind", {})) == ""


def test_a_reversal_memo_is_a_kind_and_the_entry_page_reads_in_the_readers_language(
    gearbox, main_warehouse
):
    move = _ship(gearbox, main_warehouse)
    original = JournalEntry.objects.get(pk=move.journal_entry_id)
    reversal = journal_entry_reverse(entry=original, date=original.date, actor=None)
    assert (reversal.memo, reversal.memo_kind) == ("", "reversal")
    assert reversal.memo_args == {"number": original.number}
    client = Client()
    client.force_login(staff_user("Finance"))
    page = client.get(reverse("ledger:entry-detail", args=[reversal.pk]), **ZH).text
    assert f"冲销 {original.number}" in page
    assert "发货：FG-GEARBOX -3" in page  # the lines keep the original's kind
    assert "Reversal of" not in page and "Shipment" not in page
    listed = client.get(reverse("ledger:entry-list"), **ZH).text
    assert "Shipment" not in listed and "-3.000000" not in listed


def test_the_api_gives_the_memo_in_the_callers_language_and_its_kind(gearbox, main_warehouse):
    move = _ship(gearbox, main_warehouse)
    client = Client()
    client.force_login(staff_user("Finance"))
    url = f"/api/v1/erp/journal-entries/{move.journal_entry_id}/"
    body = client.get(url, **ZH).json()
    assert body["memo"] == "发货：FG-GEARBOX -3"
    assert body["memo_kind"] == "stock_shipment"
    assert body["memo_args"]["item"] == "FG-GEARBOX"
    assert body["lines"][0]["memo"] == "发货：FG-GEARBOX -3"
    assert client.get(url, **EN).json()["memo"] == "Shipment: FG-GEARBOX -3"


def test_a_documents_source_reads_as_its_kind_and_number(gearbox, main_warehouse):
    labels = {("demo", "opening"), ("stock.move", "4"), ("", "")}
    with translation.override("zh-hans"):
        shown = source_labels(labels)
    assert shown[("demo", "opening")] == "演示期初库存"
    assert "Stock move" not in shown[("stock.move", "4")]
    assert shown[("", "")] == ""


def test_the_move_list_shows_sources_in_the_readers_language(gearbox, main_warehouse):
    stock.stock_receipt(
        item=gearbox,
        warehouse=main_warehouse,
        quantity=D("5"),
        unit_cost=D("10"),
        source=stock.Source(type="demo", id="opening"),
    )
    client = Client()
    client.force_login(staff_user("Finance"))
    url = reverse("stock:move-list", args=[gearbox.pk, main_warehouse.pk])
    page = client.get(url, **ZH).text
    assert "演示期初库存" in page
    assert "demo opening" not in page
    entry = JournalEntry.objects.get(source_type="demo")
    assert entry.memo_args["source_type"] == "demo"  # not a label in the poster's language
    with translation.override("zh-hans"):
        assert entry.memo_display == "入库 演示期初库存：FG-GEARBOX 5"
    with translation.override("en"):
        assert entry.memo_display == "Receipt Demo opening stock: FG-GEARBOX 5"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_issue_beyond_stock_is_refused_with_the_item_code_and_readable_numbers(
    gearbox, main_warehouse, language
):
    stock.stock_receipt(item=gearbox, warehouse=main_warehouse, quantity=D("5"), unit_cost=D("2"))
    with pytest.raises(ValidationError) as refused:
        stock.stock_issue(
            item=gearbox, warehouse=main_warehouse, quantity=D("500"), reason="shipment"
        )
    with translation.override(language):
        (message,) = refused.value.message_dict["quantity"]
    assert "FG-GEARBOX" in message and "WH-MAIN" in message
    assert "500" in message and "5.000000" not in message and "Move 0" not in message
    if language == "zh-hans":
        assert "库存" in message and "on hand" not in message
    else:
        assert "on hand" in message


def test_a_batch_names_the_refused_line_in_the_readers_language(gearbox, main_warehouse):
    lines = [
        stock.MoveLine(
            item=gearbox, warehouse=main_warehouse, quantity=D("2"), reason="receipt",
            unit_cost=D("1"),
        ),
        stock.MoveLine(item=gearbox, warehouse=main_warehouse, quantity=D("-9"), reason="issue"),
    ]  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        stock.stock_moves_book(lines=lines)
    with translation.override("zh-hans"):
        (message,) = refused.value.message_dict["quantity"]
    assert message.startswith("第 2 行") and "FG-GEARBOX" in message and "2" in message


@pytest.mark.parametrize(
    ("old", "kind", "values"),
    [
        (
            "Shipment FG-GEARBOX -3.000000",
            "stock_shipment",
            {"document": "", "item": "FG-GEARBOX", "quantity": "-3.000000"},
        ),
        ("生产领料 RM-STEEL -2.5", "stock_production_consumption", None),
        (
            "Receipt, Shipment demo opening: 2 moves",
            "stock_batch",
            {
                "reasons": ["receipt", "shipment"],
                "document": "",
                "source_type": "demo",
                "source_id": "opening",
                "count": "2",
            },
        ),
        ("MO-2026-000001 closed: cost variance", "production_close", {"order": "MO-2026-000001"}),
        ("MO-2026-000001 工序 10：工时", "production_time", None),
        ("Reversal of GEN-2026-000001", "reversal", {"number": "GEN-2026-000001"}),
        ("Paid-in capital received", "paid_in_capital", {}),
        ("Rounding", "rounding", {}),
        ("rent for May", None, None),
    ],
)
def test_the_migration_reads_old_generated_memos_back_into_kinds(old, kind, values):
    from django.apps import apps

    found = MIGRATION.parse(apps, old)
    if kind is None:
        assert found is None
        return
    assert found[0] == kind
    if values is not None:
        assert found[1] == values


def test_the_migration_keeps_posted_entries_immutable():
    """The triggers it drops for its own update are back once it ran."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        names = {row[0] for row in cursor.fetchall()}
    assert {name for name in names if name.startswith("ledger_journal")}, names
