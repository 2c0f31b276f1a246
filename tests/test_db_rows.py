"""Rows written and read with plain SQL (``common.db.rows``) are what the ORM writes and reads:
times in the right zone, decimals, JSON, keys — on the database the tests run on."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.db import rows
from erp_core.models import Item, ItemCategory, UnitOfMeasure, Warehouse
from erp_core.stock.models import StockBalance

pytestmark = pytest.mark.django_db

COLUMNS = ("id", "item_id", "warehouse_id", "quantity", "value", "layers", "last_unit_cost",
           "updated_at")  # fmt: skip


@pytest.fixture
def item_and_warehouse():
    unit = UnitOfMeasure.objects.create(code="PCS", name="Piece", category="count")
    category = ItemCategory.objects.create(code="RM", name="Raw")
    item = Item.objects.create(code="R1", name="Plate", unit=unit, category=category,
                               item_type="raw")  # fmt: skip
    return item, Warehouse.objects.create(code="W1", name="Main")


def test_what_is_inserted_updated_and_read_with_plain_sql_is_what_the_orm_sees(
    item_and_warehouse,
):
    item, warehouse = item_and_warehouse
    at = dt.datetime(2026, 3, 1, 23, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    balance = StockBalance(item=item, warehouse=warehouse, quantity=D("12.5"),
                           value=D("1234.56"), layers=[["12.5", "1234.56"]],
                           last_unit_cost=D("98.7648"), updated_at=at)  # fmt: skip
    rows.insert(StockBalance, [balance], [name for name in COLUMNS if name != "id"])
    assert balance.pk and not balance._state.adding
    stored = StockBalance.objects.get(pk=balance.pk)
    assert (stored.quantity, stored.value, stored.layers, stored.last_unit_cost) == (
        D("12.5"), D("1234.56"), [["12.5", "1234.56"]], D("98.7648"))  # fmt: skip
    # updated_at is auto_now: written with the time of the insert, as the ORM writes it.
    assert stored.updated_at == balance.updated_at

    later = at + dt.timedelta(days=40)
    changed = rows.update(
        StockBalance, balance.pk, {"value": D("-0.01"), "layers": [], "updated_at": later}
    )
    assert changed == 1
    stored.refresh_from_db()
    assert (stored.value, stored.layers, stored.updated_at) == (D("-0.01"), [], later)

    with connection.cursor() as cursor:
        rows.execute(cursor, f"SELECT {', '.join(COLUMNS)} FROM stock_stockbalance WHERE id = %s",
                     [balance.pk])  # fmt: skip
        read = rows.from_row(StockBalance, COLUMNS, cursor.fetchone(), connection.alias)
    assert [getattr(read, name) for name in COLUMNS] == [getattr(stored, name) for name in COLUMNS]
    # Ordered and compared like the ORM's own rows (SQLite keeps times as text).
    assert StockBalance.objects.filter(updated_at__gt=at, updated_at__lte=later).count() == 1


def test_many_rows_get_their_keys_in_order():
    warehouses = [Warehouse(code=f"X{n}", name=f"X{n}") for n in range(7)]
    rows.insert(
        Warehouse, warehouses, ["code", "name", "address", "is_active", "allow_negative_stock"]
    )
    assert [Warehouse.objects.get(pk=w.pk).code for w in warehouses] == [w.code for w in warehouses]


@pytest.mark.postgres
def test_a_statement_is_prepared_once_per_connection(item_and_warehouse):
    sql = "SELECT code FROM erp_core_warehouse WHERE id = %s"
    warehouse = item_and_warehouse[1]
    with CaptureQueriesContext(connection) as context, connection.cursor() as cursor:
        for _ in range(3):
            rows.execute(cursor, sql, [warehouse.pk])
            assert cursor.fetchone() == (warehouse.code,)
    sent = [query["sql"].split()[0] for query in context.captured_queries]
    assert sent == ["PREPARE", "EXECUTE", "EXECUTE", "EXECUTE"]
