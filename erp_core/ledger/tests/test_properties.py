"""Property test of the books: random drafts (balanced or not), posts and reversals.

After every step: every posted entry balances, the trial balance sums to zero, the reconcile
checks find nothing, refused operations wrote nothing, and numbers stay gapless.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.errors import Conflict
from erp_core.ledger import services
from erp_core.ledger.models import Journal, JournalEntry, JournalLine
from erp_core.ledger.reconcile import LEDGER_CHECKS, run_checks
from erp_core.ledger.reports import trial_balance

CODES = ["1002", "1122", "1403", "1405", "2202", "22210101", "4001", "6001", "6602", "660302"]
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
days = st.integers(min_value=1, max_value=60).map(
    lambda n: date.fromordinal(date(2026, 1, 1).toordinal() + n)
)


@st.composite
def draft_step(draw):
    """A draft: n debit lines and one credit line, balanced or off by a random amount."""
    debits = draw(st.lists(st.tuples(st.sampled_from(CODES), amounts), min_size=1, max_size=4))
    credit_code = draw(st.sampled_from(CODES))
    total = sum(amount for _code, amount in debits)
    skew = draw(st.one_of(st.just(Decimal("0")), amounts))
    lines = [{"account": code, "debit": amount} for code, amount in debits]
    lines.append({"account": credit_code, "credit": total + skew})
    return ("draft", lines, draw(days), skew == 0)


steps = st.lists(
    st.one_of(
        draft_step(),
        st.tuples(st.just("post"), st.integers(min_value=0, max_value=50)),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50), days),
    ),
    min_size=1,
    max_size=15,
)


def _snapshot() -> tuple[int, int]:
    return JournalEntry.objects.count(), JournalLine.objects.count()


def _assert_books_hold() -> None:
    report = trial_balance(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))
    assert report.closing_sum == 0
    assert report.is_balanced
    assert run_checks(LEDGER_CHECKS) == []
    numbers = sorted(
        int(n.rsplit("-", 1)[1])
        for n in JournalEntry.objects.filter(status="posted").values_list("number", flat=True)
    )
    assert numbers == list(range(1, len(numbers) + 1)), "gapless numbering"


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=steps)
def test_random_operations_keep_the_books_balanced(books, sequence):
    journal = Journal.objects.get(code="GEN")
    with transaction.atomic():
        drafts: list[JournalEntry] = []
        for step in sequence:
            before = _snapshot()
            if step[0] == "draft":
                _kind, lines, day, balanced = step
                try:
                    entry = services.journal_entry_create_draft(
                        journal=journal, date=day, memo="", lines=lines, actor=None
                    )
                except ValidationError:
                    assert not balanced or any(line["account"] in ("6602",) for line in lines), (
                        "a balanced draft on postable accounts was refused"
                    )
                    assert _snapshot() == before, "a refused draft wrote something"
                else:
                    assert balanced, "an unbalanced draft was accepted"
                    drafts.append(entry)
            elif step[0] == "post" and drafts:
                entry = drafts[step[1] % len(drafts)]
                try:
                    services.journal_entry_post(entry=entry, actor=None)
                except Conflict:
                    assert JournalEntry.objects.get(pk=entry.pk).is_posted
                    assert _snapshot() == before
            elif step[0] == "reverse" and drafts:
                entry = JournalEntry.objects.get(pk=drafts[step[1] % len(drafts)].pk)
                try:
                    services.journal_entry_reverse(entry=entry, date=step[2], actor=None)
                except (Conflict, ValidationError):
                    assert _snapshot() == before, "a refused reversal wrote something"
                else:
                    assert entry.is_posted and entry.reversal_of_id is None
            _assert_books_hold()
        transaction.set_rollback(True)
