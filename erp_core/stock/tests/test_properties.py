"""Random sequences of stock moves against the database: the books always reconcile.

For each costing method, hypothesis draws receipts, issues, transfers, adjustments and backdated
moves at random costs. After every step: the balance equals the sum of the ledger rows and a
replay of the whole history in date order, every journal entry balances, and the inventory
accounts equal the stock valuation. The same holds for batches of 1 to 200 such moves booked
through ``stock_moves_book``, which must also end where booking them one by one ends.

The batch test takes its number of examples from the hypothesis profile (a few by default;
``HYPOTHESIS_PROFILE=thorough`` for more, see the root ``conftest.py``).
"""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erp_core.ledger.models import JournalEntry, JournalLine
from erp_core.masterdata.services import item_update
from erp_core.stock import services
from erp_core.stock.models import StockBalance, StockMove
from erp_core.testing.books import assert_books_reconcile
from erp_core.valuation import Move, Replay

pytestmark = pytest.mark.django_db

quantities = st.decimals(min_value="0.5", max_value="50", places=1)
costs = st.decimals(min_value="0", max_value="99", places=2)
hours_ago = st.integers(min_value=0, max_value=20)

steps = st.lists(
    st.one_of(
        st.tuples(st.just("receipt"), quantities, costs, hours_ago),
        st.tuples(st.just("issue"), quantities, st.none(), hours_ago),
        st.tuples(st.just("transfer"), quantities, st.none(), hours_ago),
        st.tuples(st.just("adjust"), quantities.map(lambda q: -q), st.none(), hours_ago),
    ),
    min_size=1,
    max_size=10,
)


def _replay(item, warehouse) -> tuple[D, D]:
    """The balance a fresh valuation of the item's full history (in date order) gives here."""
    return _fresh_valuation(item).get(warehouse.pk, (D(0), D(0)))


@pytest.mark.parametrize("method", ["moving_average", "fifo", "standard"])
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=steps)
def test_random_moves_keep_ledger_balance_and_books_in_step(
    books, make_item, warehouse, other_warehouse, method, plan
):
    with transaction.atomic():
        item = make_item(method, standard_cost="10")
        now = timezone.now()
        for kind, quantity, cost, hours in plan:
            moved_at = now - dt.timedelta(hours=hours, seconds=len(plan))
            try:
                with transaction.atomic():
                    if kind == "receipt":
                        services.stock_receipt(item=item, warehouse=warehouse, quantity=quantity,
                                               unit_cost=cost, moved_at=moved_at)  # fmt: skip
                    elif kind == "issue":
                        services.stock_issue(item=item, warehouse=warehouse, quantity=quantity,
                                             moved_at=moved_at)  # fmt: skip
                    elif kind == "transfer":
                        services.stock_transfer(item=item, from_warehouse=warehouse,
                                                to_warehouse=other_warehouse, quantity=quantity,
                                                moved_at=moved_at)  # fmt: skip
                    else:
                        services.stock_adjust(item=item, warehouse=warehouse, quantity=quantity,
                                              moved_at=moved_at)  # fmt: skip
            except ValidationError:
                pass  # refused (not enough on hand, also at a backdated time): nothing written
            for place in (warehouse, other_warehouse):
                balance = StockBalance.objects.filter(item=item, warehouse=place).first()
                if balance is None:
                    continue
                rows = StockMove.objects.filter(item=item, warehouse=place)
                totals = rows.aggregate(quantity=Sum("quantity"), value=Sum("value"))
                # SQLite sums decimals in floating point: compare at the stored precision.
                quantity = D(str(totals["quantity"] or 0)).quantize(D("0.000001"))
                value = D(str(totals["value"] or 0)).quantize(D("0.01"))
                assert (balance.quantity, balance.value) == (quantity, value)
                assert (balance.quantity, balance.value) == _replay(item, place)
                assert balance.quantity >= 0
            assert_books_reconcile()
        transaction.set_rollback(True)


# --- The batch service ------------------------------------------------------------------------

batch_line = st.one_of(
    st.tuples(st.just("receipt"), quantities, costs, hours_ago),
    st.tuples(st.just("issue"), quantities.map(lambda q: q / 10), st.none(), hours_ago),
    st.tuples(st.just("transfer"), quantities.map(lambda q: q / 10), st.none(), hours_ago),
    st.tuples(st.just("adjust"), quantities.map(lambda q: -q / 10), st.none(), hours_ago),
    st.tuples(st.just("adjust"), quantities.map(lambda q: q / 10), st.none(), hours_ago),
)
# Batches of 1 to 200 lines: the size is drawn first, so that large batches are as likely as
# small ones (a plain list strategy mostly draws short lists).
batches = st.lists(
    st.integers(min_value=1, max_value=200).flatmap(
        lambda size: st.lists(batch_line, min_size=size, max_size=size)
    ),
    min_size=1,
    max_size=2,
)


def _as_lines(batch, item, warehouse, other, now, number: int) -> list[services.MoveLine]:
    source = services.Source(type="test.document", id=str(number))
    lines = []
    for kind, quantity, cost, hours in batch:
        moved_at = now - dt.timedelta(hours=hours)
        common = {"item": item, "warehouse": warehouse, "moved_at": moved_at, "source": source}
        if kind == "receipt":
            lines.append(services.MoveLine(quantity=quantity, unit_cost=cost, reason="receipt",
                                           **common))  # fmt: skip
        elif kind == "issue":
            lines.append(services.MoveLine(quantity=-quantity, reason="issue", **common))
        elif kind == "transfer":
            lines.append(services.MoveLine(quantity=quantity, reason="transfer",
                                           to_warehouse=other, **common))  # fmt: skip
        else:
            lines.append(services.MoveLine(quantity=quantity, reason="adjustment", **common))
    return lines


def _balance(item, warehouse) -> tuple[D, D]:
    balance = StockBalance.objects.filter(item=item, warehouse=warehouse).first()
    return (balance.quantity, balance.value) if balance else (D(0), D(0))


@pytest.mark.parametrize("method", ["moving_average", "fifo", "standard"])
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=batches)
def test_random_batches_keep_the_books_and_equal_the_same_moves_booked_one_by_one(
    books, make_item, warehouse, other_warehouse, method, plan
):
    """Batches of 1 to 200 moves (backdated ones among them) through ``stock_moves_book``.

    After every batch: each balance equals the sum of its rows and a replay of its history, the
    books reconcile, each entry has one line per account — and the balances equal those of a
    twin item whose same moves were booked one at a time. A refused batch writes nothing.
    """
    with transaction.atomic():
        item, twin = make_item(method, standard_cost="10"), make_item(method, standard_cost="10")
        now = timezone.now()
        opening = now - dt.timedelta(days=1)
        for target in (item, twin):
            services.stock_receipt(item=target, warehouse=warehouse, quantity=D("500"),
                                   unit_cost=D("4"), moved_at=opening)  # fmt: skip
        for number, batch in enumerate(plan):
            before = StockMove.objects.count(), JournalEntry.objects.count()
            try:
                with transaction.atomic():
                    services.stock_moves_book(
                        lines=_as_lines(batch, item, warehouse, other_warehouse, now, number)
                    )
            except ValidationError:
                # Refused (not enough on hand at some line's time): nothing of it written.
                assert (StockMove.objects.count(), JournalEntry.objects.count()) == before
                continue
            with transaction.atomic():
                for line in _as_lines(batch, twin, warehouse, other_warehouse, now, number):
                    services.stock_moves_book(lines=[line])
            for place in (warehouse, other_warehouse):
                assert _balance(item, place) == _balance(twin, place)
                if StockBalance.objects.filter(item=item, warehouse=place).exists():
                    assert _balance(item, place) == _replay(item, place)
                    rows = StockMove.objects.filter(item=item, warehouse=place)
                    totals = rows.aggregate(quantity=Sum("quantity"), value=Sum("value"))
                    quantity = D(str(totals["quantity"] or 0)).quantize(D("0.000001"))
                    value = D(str(totals["value"] or 0)).quantize(D("0.01"))
                    assert _balance(item, place) == (quantity, value)
            per_account = (
                JournalLine.objects.filter(entry__source_type="test.document")
                .values("entry", "account")
                .annotate(n=Count("id"))
            )
            assert all(row["n"] == 1 for row in per_account)
            assert_books_reconcile()
        transaction.set_rollback(True)


# --- The wider walk -----------------------------------------------------------------------------
#
# Every kind of move in three warehouses (the third allows negative stock), in both directions,
# with fractional quantities, backdated up to 20 hours, (for every method) standard-cost changes,
# and value-only moves (a supplier's price difference or credit). After every step each balance
# equals the sum of its rows and a fresh valuation of the item's whole history, and the books
# reconcile. The number of examples comes from the profile: a few by default;
# ``HYPOTHESIS_PROFILE=deep`` (5,000 per method) for the deep run (docs/ledger.md).

fractions = st.decimals(min_value="0.001", max_value="40", places=3)
places = st.integers(min_value=0, max_value=2)
walk_step = st.one_of(
    st.tuples(st.just("receipt"), fractions, costs, places, places, hours_ago),
    st.tuples(st.just("output"), fractions, costs, places, places, hours_ago),
    st.tuples(st.just("gain"), fractions, st.none() | costs, places, places, hours_ago),
    st.tuples(st.just("loss"), fractions, st.none(), places, places, hours_ago),
    st.tuples(st.just("issue"), fractions, st.none(), places, places, hours_ago),
    st.tuples(st.just("shipment"), fractions, st.none(), places, places, hours_ago),
    st.tuples(st.just("consumption"), fractions, st.none(), places, places, hours_ago),
    st.tuples(st.just("transfer"), fractions, st.none(), places, places, hours_ago),
    st.tuples(st.just("restandard"), st.none(), costs, places, places, hours_ago),
    # A supplier's price difference (+) or credit (−) on goods at an actual cost: a value-only
    # move for ``quantity`` units (refused for a standard-cost item).
    st.tuples(st.just("value"), fractions, costs, places, places, hours_ago),
)
walks = st.lists(walk_step, min_size=1, max_size=12)
_REASONS = {
    "receipt": "receipt", "output": "production_output", "gain": "adjustment",
    "loss": "adjustment", "issue": "issue", "shipment": "shipment",
    "consumption": "production_consumption",
}  # fmt: skip


def _fresh_valuation(item) -> dict[int, tuple[D, D]]:
    """Each warehouse's balance by a fresh valuation of the item's whole history, all
    warehouses walked together in booking order: a transfer's incoming leg takes in what its
    outgoing leg is worth now, a standard-cost change revalues at its time."""
    rows = (
        StockMove.objects.filter(item=item)
        .exclude(reason="revaluation")
        .select_related("warehouse")
        .order_by("moved_at", "pk")
    )
    changes = StockMove.objects.filter(item=item, reason="cost_change").order_by("moved_at", "pk")
    first_change = {}
    for change in changes:
        first_change.setdefault(change.warehouse_id, change.unit_cost)
    replays: dict[int, Replay] = {}
    left: dict[int, D] = {}  # what each transfer's outgoing leg is worth now, by its pk
    for row in rows:  # a transfer's incoming leg is booked right after its outgoing leg
        replay = replays.get(row.warehouse_id)
        if replay is None:
            replay = replays[row.warehouse_id] = Replay(
                method=item.costing_method,
                standard_cost=first_change.get(row.warehouse_id, item.standard_cost),
                allow_negative=row.warehouse.allow_negative_stock,
            )
        if row.transfer_from_id is not None:
            move = Move(row.pk, row.quantity, value=-left[row.transfer_from_id])
        elif row.reason == "cost_change":
            move = Move(row.pk, D(0), row.receipt_unit_cost)
        elif row.reason == "value_adjustment":
            move = Move(row.pk, D(0), value=row.receipt_value, basis=row.basis_quantity)
        elif row.quantity > 0:
            move = Move(row.pk, row.quantity, row.receipt_unit_cost, row.receipt_value)
        else:
            move = Move(row.pk, row.quantity)
        valued = replay.value(move)
        if row.reason == "transfer" and row.quantity < 0:
            left[row.pk] = valued.value
    return {pk: (r.state.quantity, r.state.value) for pk, r in replays.items()}


@pytest.mark.parametrize("method", ["moving_average", "fifo", "standard"])
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=walks)
def test_the_wider_walk_keeps_every_balance_a_fresh_valuation_and_the_books_reconciled(
    books, make_item, warehouse, other_warehouse, negative_warehouse, method, plan
):
    with transaction.atomic():
        item = make_item(method, standard_cost="7.5")
        places = [warehouse, other_warehouse, negative_warehouse]
        now = timezone.now()
        opening = now - dt.timedelta(days=1)
        for place in places:  # every warehouse holds the item before any cost change
            services.stock_receipt(item=item, warehouse=place, quantity=D("2.5"),
                                   unit_cost=D("7"), moved_at=opening)  # fmt: skip
        for n, (kind, quantity, cost, at, to, hours) in enumerate(plan):
            moved_at = now - dt.timedelta(hours=hours, seconds=len(plan) - n)
            where = places[at]
            try:
                with transaction.atomic():
                    if kind == "restandard":
                        item = item_update(item=item, standard_cost=cost)
                    elif kind == "value":
                        amount = cost - D("49.50")  # −49.50 to +49.49
                        if method == "standard" or not amount:
                            continue
                        services.stock_value_adjust(
                            lines=[services.ValueLine(item, where, amount, quantity)],
                            source=services.Source(type="test.bill", id=str(n)),
                            moved_at=moved_at,
                        )
                    elif kind == "transfer":
                        if to == at:
                            continue
                        services.stock_transfer(item=item, from_warehouse=where,
                                                to_warehouse=places[to], quantity=quantity,
                                                moved_at=moved_at)  # fmt: skip
                    else:
                        signed = quantity if kind in ("receipt", "output", "gain") else -quantity
                        services.stock_moves_book(lines=[services.MoveLine(
                            item=item, warehouse=where, quantity=signed, reason=_REASONS[kind],
                            unit_cost=cost, moved_at=moved_at,
                        )])  # fmt: skip
            except ValidationError:
                pass  # refused (not enough on hand at its time): nothing written
            fresh = _fresh_valuation(item)
            for place in places:
                balance = StockBalance.objects.get(item=item, warehouse=place)
                rows = StockMove.objects.filter(item=item, warehouse=place)
                totals = rows.aggregate(quantity=Sum("quantity"), value=Sum("value"))
                quantity_sum = D(str(totals["quantity"] or 0)).quantize(D("0.000001"))
                value_sum = D(str(totals["value"] or 0)).quantize(D("0.01"))
                assert (balance.quantity, balance.value) == (quantity_sum, value_sum)
                assert (balance.quantity, balance.value) == fresh[place.pk], place.code
                if not place.allow_negative_stock:
                    assert balance.quantity >= 0
                if balance.quantity == 0:
                    assert balance.value == 0
            assert_books_reconcile()
        transaction.set_rollback(True)
