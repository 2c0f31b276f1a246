"""The bulk writing of a run's output (``COPY`` on PostgreSQL, ``bulk_create`` elsewhere: the
test runs on whichever database the suite has), and a run's query count, which must not grow
with the number of items."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from erp_core.planning.models import ExceptionMessage, MrpRun, PlannedOrder
from erp_core.planning.services import bulk, mrp_run_execute, mrp_run_start

pytestmark = pytest.mark.django_db


def test_bulk_rows_round_trip_text_nulls_and_ids(plant):
    run = MrpRun.objects.create(kind=MrpRun.Kind.REGENERATIVE, plan_date=dt.date(2026, 1, 5))
    day = dt.date(2026, 2, 1)
    ids = bulk.insert_returning_ids(
        PlannedOrder,
        ("run_id", "item_id", "kind", "status", "quantity", "start_date", "due_date", "is_short"),
        [
            (run.pk, plant.shaft.pk, "buy", "planned", D("60.5"), day, day, True),
            (run.pk, plant.housing.pk, "buy", "planned", D("2"), day, day, False),
        ],
    )
    stored = PlannedOrder.objects.in_bulk(ids)
    assert [stored[pk].item_id for pk in ids] == [plant.shaft.pk, plant.housing.pk]
    assert (stored[ids[0]].quantity, stored[ids[0]].is_short) == (D("60.5"), True)
    assert stored[ids[1]].is_short is False

    number = "PO\t7\\a\nb"  # the characters COPY's text format has to escape
    bulk.insert_rows(
        ExceptionMessage,
        ("run_id", "kind", "item_id", "supply_kind", "supply_id", "supply_number",
         "current_date", "suggested_date", "quantity"),
        [(run.pk, "cancel", plant.shaft.pk, "purchase_order_line", 9, number, day, None, D(3))],
    )  # fmt: skip
    message = ExceptionMessage.objects.get()
    assert (message.supply_number, message.suggested_date) == (number, None)

    assert bulk.delete_ids(PlannedOrder, ids) == 2
    assert not PlannedOrder.objects.exists()


def _run_queries(items: int) -> tuple[int, int, int]:
    """Load a small synthetic factory, run MRP over it and answer its queries (all, and those
    that are not inserts), its inserts and the planned orders made; all rolled back."""
    from benchmarks.mrp import TODAY, Factory, load_database

    with transaction.atomic():
        load_database(Factory(items, items, seed=3))
        run = mrp_run_start(actor=None, plan_date=TODAY)
        with CaptureQueriesContext(connection) as queries:
            run = mrp_run_execute(run=run)
        assert run.status == MrpRun.Status.DONE and run.planned_order_count > items / 2
        transaction.set_rollback(True)
    reads = [q for q in queries.captured_queries if not q["sql"].startswith(("INSERT", "COPY"))]
    return len(reads), len(queries) - len(reads), run.planned_order_count


def test_a_run_s_queries_do_not_grow_with_the_items():
    small_reads, _inserts, _orders = _run_queries(30)
    large_reads, inserts, orders = _run_queries(120)
    assert small_reads == large_reads  # a fixed set of reads, updates and deletes
    # inserts are batched (one COPY per table on PostgreSQL), never one per row
    assert inserts < orders / 20
