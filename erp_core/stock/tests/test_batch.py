"""Booking a batch of stock moves: one unit of work, one entry per document, one path."""

import contextlib
import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from erp_core.ledger.models import (
    Account,
    JournalEntry,
    JournalLine,
    JournalSequence,
    PostingKind,
    PostingRule,
)
from erp_core.ledger.selectors import posting_accounts_for
from erp_core.stock import services
from erp_core.stock.models import StockBalance, StockMove
from erp_core.stock.services import MoveLine, Source
from erp_core.stock.tests.test_properties import _replay
from erp_core.testing.books import assert_books_reconcile

pytestmark = pytest.mark.django_db

Reason = StockMove.Reason


def _ago(**delta) -> dt.datetime:
    return timezone.now() - dt.timedelta(**delta)


def _document_lines(item, warehouse, count: int, source: Source) -> list[MoveLine]:
    """A receipt first, then receipts and shipments in turn, never below zero."""
    lines = []
    for n in range(count):
        if n % 2 == 0:
            lines.append(MoveLine(item=item, warehouse=warehouse, quantity=D(10 + n % 7),
                                  unit_cost=D(f"{2 + n % 5}.25"), reason=Reason.RECEIPT,
                                  source=source))  # fmt: skip
        else:
            lines.append(MoveLine(item=item, warehouse=warehouse, quantity=-D(3 + n % 4),
                                  reason=Reason.SHIPMENT, source=source))  # fmt: skip
    return lines


def _assert_balances_are_the_sum_of_their_moves() -> None:
    for balance in StockBalance.objects.all():
        rows = StockMove.objects.filter(item=balance.item, warehouse=balance.warehouse)
        totals = rows.aggregate(quantity=Sum("quantity"), value=Sum("value"))
        # SQLite sums decimals in floating point: compare at the stored precision.
        quantity = D(str(totals["quantity"] or 0)).quantize(D("0.000001"))
        value = D(str(totals["value"] or 0)).quantize(D("0.01"))
        assert (balance.quantity, balance.value) == (quantity, value)
        assert (balance.quantity, balance.value) == _replay(balance.item, balance.warehouse)


@pytest.mark.parametrize("count", [1, 2, 50, 200])
def test_a_batch_posts_one_entry_for_its_document_with_one_line_per_account(
    books, make_item, warehouse, count
):
    item, other = make_item("moving_average"), make_item("fifo")
    source = Source(type="sales.delivery", id="42")
    lines = _document_lines(item, warehouse, count, source)
    lines[-1:-1] = _document_lines(other, warehouse, min(count, 3), source)
    rows = services.stock_moves_book(lines=lines)
    assert [row.quantity for row in rows] == [line.quantity for line in lines]
    (entry,) = JournalEntry.objects.filter(journal__code="STK")
    assert (entry.source_type, entry.source_id) == ("sales.delivery", 42)
    assert entry.status == JournalEntry.Status.POSTED
    assert {row.journal_entry_id for row in StockMove.objects.all()} == {entry.pk}
    per_account = JournalLine.objects.filter(entry=entry).values("account").annotate(n=Count("id"))
    assert {row["n"] for row in per_account} == {1}
    inventory = sum(row.value for row in rows)
    lines_by_code = {line.account.code: line for line in entry.lines.select_related("account")}
    assert lines_by_code["1405"].debit - lines_by_code["1405"].credit == inventory
    assert_books_reconcile()
    _assert_balances_are_the_sum_of_their_moves()


def test_each_document_of_a_batch_gets_its_own_entry_and_a_move_without_one_its_own(
    books, make_item, warehouse
):
    item = make_item()
    first, second = Source(type="purchasing.receipt", id="1"), Source(type="sales.delivery", id="2")
    rows = services.stock_moves_book(
        lines=[
            *_document_lines(item, warehouse, 3, first),
            *_document_lines(item, warehouse, 2, second),
            MoveLine(item=item, warehouse=warehouse, quantity=D("-1"), reason=Reason.ISSUE),
        ]
    )
    entries = JournalEntry.objects.filter(journal__code="STK")
    assert sorted(entries.values_list("source_type", "source_id")) == [
        ("purchasing.receipt", 1), ("sales.delivery", 2), ("stock.move", rows[-1].pk),
    ]  # fmt: skip
    assert entries.get(source_type="purchasing.receipt").pk == rows[0].journal_entry_id
    assert_books_reconcile()


def test_a_batch_of_fifty_moves_costs_a_fixed_handful_of_statements(
    books, make_item, warehouse, django_assert_max_num_queries
):
    item = make_item()
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("1"), unit_cost=D("1"))
    lines = _document_lines(item, warehouse, 50, Source(type="sales.delivery", id="7"))
    with django_assert_max_num_queries(15):
        services.stock_moves_book(lines=lines)
    services.stock_issue(item=item, warehouse=warehouse, quantity=D("1"),
                         source=Source(type="sales.delivery", id="8"))  # fmt: skip
    # One move: whether a front module (WMS) runs the warehouse, the balance locked, the
    # periods (with the posting rules' version: the rules read before are not read again), the
    # sequence, the entry, its lines, the post, the row, the balance — 9 statements; 6 on
    # PostgreSQL, where the entry goes with its lines, the number with the post and the row
    # with the balance. Besides: the delivery's number for the memo, and the savepoint of the
    # test's transaction.
    with django_assert_max_num_queries(12) as one:
        services.stock_issue(item=item, warehouse=warehouse, quantity=D("1"),
                             source=Source(type="sales.delivery", id="9"))  # fmt: skip
    core = [
        query["sql"]
        for query in one.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE", "PREPARE"))
        and "sales_delivery" not in query["sql"]
    ]
    assert len(core) == (6 if connection.vendor == "postgresql" else 9), core


def test_a_posting_reads_no_posting_rules_while_none_changed(books, make_item, warehouse):
    item = make_item()
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("5"), unit_cost=D("2"))
    services.stock_issue(item=item, warehouse=warehouse, quantity=D("1"))
    # A rolled-back savepoint ends what this transaction read (as a new transaction would).
    with contextlib.suppress(RuntimeError), transaction.atomic():
        raise RuntimeError
    with CaptureQueriesContext(connection) as context:
        row = services.stock_issue(item=item, warehouse=warehouse, quantity=D("2"))
    read = [q["sql"] for q in context.captured_queries]
    assert not [sql for sql in read if '"ledger_postingrule"' in sql or "itemcategory" in sql]
    expected = posting_accounts_for(
        kinds=[PostingKind.INVENTORY, PostingKind.STOCK_ISSUE], category_code="RM"
    )
    assert _line_accounts(row) == {
        (expected[PostingKind.STOCK_ISSUE].debit.code, D("4.00"), D("0")),
        (expected[PostingKind.INVENTORY].debit.code, D("0"), D("4.00")),
    }


def test_a_rule_changed_without_a_signal_is_seen_by_the_next_posting(books, make_item, warehouse):
    item = make_item()
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("5"), unit_cost=D("2"))
    rule = posting_accounts_for(kinds=[PostingKind.STOCK_RECEIPT], category_code="RM")[
        PostingKind.STOCK_RECEIPT
    ].rule
    # As a bulk edit or another process would: no signal reaches this process's cache.
    PostingRule.objects.filter(pk=rule.pk).update(credit_account=Account.objects.get(code="1002"))
    row = services.stock_receipt(item=item, warehouse=warehouse, quantity=D("1"),
                                 unit_cost=D("3"))  # fmt: skip
    assert ("1002", D("0"), D("3.00")) in _line_accounts(row)


def _line_accounts(row: StockMove) -> set[tuple[str, D, D]]:
    return set(
        JournalLine.objects.filter(entry_id=row.journal_entry_id).values_list(
            "account__code", "debit", "credit"
        )
    )


def test_entry_numbers_start_at_one_and_keep_six_digits_past_a_million(books, make_item, warehouse):
    JournalSequence.objects.filter(journal__code="STK").delete()
    item = make_item()

    def number() -> str:
        row = services.stock_receipt(item=item, warehouse=warehouse, quantity=D("1"),
                                     unit_cost=D("1"))  # fmt: skip
        return JournalEntry.objects.get(pk=row.journal_entry_id).number

    year = timezone.localdate().year
    assert number() == f"STK-{year}-000001"  # the year's first: its sequence is made
    JournalSequence.objects.filter(journal__code="STK").update(next_number=999_999)
    assert [number(), number()] == [f"STK-{year}-999999", f"STK-{year}-1000000"]


def test_a_backdated_move_inside_a_batch_revalues_the_later_moves(books, make_item, warehouse):
    item = make_item("moving_average")
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("2"),
                           moved_at=_ago(hours=5))  # fmt: skip
    shipped = services.stock_issue(item=item, warehouse=warehouse, quantity=D("10"),
                                   moved_at=_ago(hours=4), reason=Reason.SHIPMENT)  # fmt: skip
    source = Source(type="purchasing.receipt", id="9")
    rows = services.stock_moves_book(
        lines=[
            MoveLine(item=item, warehouse=warehouse, quantity=D("4"), unit_cost=D("6"),
                     reason=Reason.RECEIPT, moved_at=_ago(hours=1), source=source),
            MoveLine(item=item, warehouse=warehouse, quantity=-D("2"), reason=Reason.ISSUE,
                     moved_at=_ago(minutes=30), source=source),
            # Found to have arrived before the shipment and the two moves above.
            MoveLine(item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("5"),
                     reason=Reason.RECEIPT, moved_at=_ago(hours=4, minutes=30), source=source),
        ]
    )  # fmt: skip
    assert shipped.value == StockMove.objects.get(pk=shipped.pk).value  # never edited
    corrected = dict(
        StockMove.objects.filter(reason=Reason.REVALUATION).values_list("corrects", "value")
    )
    assert corrected[shipped.pk] == D("-15.00")  # took 10 at 3.50, not at 2
    assert rows[1].pk in corrected  # a move of the same batch, booked before it, corrected too
    balance = StockBalance.objects.get(item=item, warehouse=warehouse)
    assert (balance.quantity, balance.value) == _replay(item, warehouse)
    assert balance.quantity == D("12")
    correcting = JournalEntry.objects.get(memo_kind__startswith="stock_revaluation")
    assert correcting.date == timezone.localdate()
    assert_books_reconcile()
    _assert_balances_are_the_sum_of_their_moves()


def test_a_transfer_in_a_batch_moves_the_value_it_took(
    books, make_item, warehouse, other_warehouse
):
    item = make_item("fifo")
    out, into, issue = services.stock_moves_book(
        lines=[
            MoveLine(item=item, warehouse=warehouse, quantity=D("3"), unit_cost=D("0.333333"),
                     reason=Reason.RECEIPT),
            MoveLine(item=item, warehouse=warehouse, to_warehouse=other_warehouse,
                     quantity=D("2"), reason=Reason.TRANSFER),
            MoveLine(item=item, warehouse=other_warehouse, quantity=-D("1"),
                     reason=Reason.ISSUE),
        ]
    )[1:]  # fmt: skip
    assert into.value == -out.value == D("0.67")
    assert issue.value == D("-0.34")
    assert out.journal_entry is None and into.journal_entry is None
    assert_books_reconcile()
    _assert_balances_are_the_sum_of_their_moves()


def _snapshot() -> tuple:
    return (
        StockMove.objects.count(),
        JournalEntry.objects.count(),
        list(StockBalance.objects.order_by("pk").values_list("quantity", "value")),
    )


@pytest.mark.parametrize(
    ("bad", "field", "says"),
    [
        ({"quantity": D("0")}, "quantity", "Line 2: "),
        ({"quantity": D("NaN")}, "quantity", "Line 2: "),
        ({"quantity": D("5")}, "quantity", "Line 2: An issue takes a quantity below zero."),
        ({"quantity": -D("500")}, "quantity", "Line 2: "),  # more than on hand
        ({"unit_cost": D("1")}, "unit_cost", "Line 2: An issue is valued"),
        ({"reason": "revaluation"}, "reason", "Line 2: "),
        ({"moved_at": timezone.now() + dt.timedelta(days=1)}, "moved_at", "Line 2: "),
        ({"moved_at": dt.datetime(2026, 1, 1, 12)}, "moved_at", "Line 2: "),  # no time zone
    ],
)
def test_one_bad_line_refuses_the_whole_batch_naming_it(
    books, make_item, warehouse, bad, field, says
):
    item = make_item()
    services.stock_receipt(item=item, warehouse=warehouse, quantity=D("10"), unit_cost=D("1"))
    before = _snapshot()
    line = {"item": item, "warehouse": warehouse, "quantity": -D("1"), "reason": Reason.ISSUE}
    with pytest.raises(ValidationError) as error:
        services.stock_moves_book(
            lines=[
                MoveLine(item=item, warehouse=warehouse, quantity=D("4"), unit_cost=D("3"),
                         reason=Reason.RECEIPT),
                MoveLine(**{**line, **bad}),
                MoveLine(item=item, warehouse=warehouse, quantity=-D("2"), reason=Reason.ISSUE),
            ]
        )  # fmt: skip
    assert any(message.startswith(says) for message in error.value.message_dict[field])
    assert _snapshot() == before


def test_a_batch_names_every_bad_line_and_refuses_an_empty_one(books, make_item, warehouse):
    item, service = make_item(), make_item(item_type="service")
    with pytest.raises(ValidationError) as error:
        services.stock_moves_book(
            lines=[
                MoveLine(item=service, warehouse=warehouse, quantity=D("1"), unit_cost=D("1"),
                         reason=Reason.RECEIPT),
                MoveLine(item=item, warehouse=warehouse, quantity=D("1"), unit_cost=-D("1"),
                         reason=Reason.RECEIPT),
            ]
        )  # fmt: skip
    assert error.value.message_dict == {
        "item": ["Line 1: A service item has no stock."],
        "unit_cost": ["Line 2: The unit cost must be zero or more."],
    }
    with pytest.raises(ValidationError):
        services.stock_moves_book(lines=[])
    assert not StockMove.objects.exists()


def test_a_batch_into_a_closed_period_writes_nothing(books, make_item, warehouse):
    from erp_core.ledger.selectors import period_for_date
    from erp_core.ledger.services import fiscal_period_close

    fiscal_period_close(period=period_for_date(date=timezone.localdate()), actor=None)
    item = make_item()
    with pytest.raises(ValidationError, match="closed"):
        services.stock_moves_book(
            lines=[MoveLine(item=item, warehouse=warehouse, quantity=D("1"), unit_cost=D("1"),
                            reason=Reason.RECEIPT, source=Source(type="x", id="1"))] * 3
        )  # fmt: skip
    assert not StockMove.objects.exists()
    assert not StockBalance.objects.exclude(quantity=0).exists()


def test_two_backdated_moves_of_a_batch_replay_its_earlier_moves_in_time_order(
    books, make_item, warehouse
):
    """Found by the property test: the second backdated line must see the first one in its
    place in time, not where it was booked in the batch."""
    item, twin = make_item("moving_average"), make_item("moving_average")
    for target in (item, twin):
        services.stock_receipt(item=target, warehouse=warehouse, quantity=D("500"),
                               unit_cost=D("4"), moved_at=_ago(days=1))  # fmt: skip
    now, hour_ago = timezone.now(), _ago(hours=1)

    def lines(target) -> list[MoveLine]:
        common = {"item": target, "warehouse": warehouse}
        return [
            MoveLine(**common, quantity=D("0.5"), unit_cost=D("0"), reason=Reason.RECEIPT,
                     moved_at=now),
            MoveLine(**common, quantity=-D("0.16"), reason=Reason.ISSUE, moved_at=now),
            MoveLine(**common, quantity=D("0.5"), unit_cost=D("0"), reason=Reason.RECEIPT,
                     moved_at=hour_ago),
            MoveLine(**common, quantity=D("3"), unit_cost=D("0"), reason=Reason.RECEIPT,
                     moved_at=hour_ago),
        ]  # fmt: skip

    services.stock_moves_book(lines=lines(item))
    for line in lines(twin):
        services.stock_moves_book(lines=[line])
    balance = StockBalance.objects.get(item=item, warehouse=warehouse)
    assert (balance.quantity, balance.value) == (D("503.84"), D("1999.37"))
    twin_balance = StockBalance.objects.get(item=twin, warehouse=warehouse)
    assert (twin_balance.quantity, twin_balance.value) == (balance.quantity, balance.value)
    assert (balance.quantity, balance.value) == _replay(item, warehouse)
    assert_books_reconcile()
