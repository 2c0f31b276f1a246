"""``manage.py reconcile``: silent and zero on healthy books, every breach reported otherwise."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from erp_core.ledger import services
from erp_core.ledger.models import JournalEntry, JournalLine
from erp_core.ledger.reconcile import Breach, run_checks
from erp_core.ledger.tests.helpers import TODAY, account, draft, posted
from erp_core.registry import reconcile_checks

pytestmark = pytest.mark.django_db


def _force_post(entry: JournalEntry, number: str) -> None:
    """Post behind the services' back (the one UPDATE the triggers allow), to plant a breach."""
    JournalEntry.objects.filter(pk=entry.pk).update(
        status="posted", number=number, posted_at=timezone.now()
    )


def test_healthy_books_pass_every_check(books, capsys):
    entry = posted()
    services.journal_entry_reverse(entry=entry, date=TODAY, actor=None)
    assert run_checks() == []
    call_command("reconcile")
    assert f"All {len(reconcile_checks())} checks passed." in capsys.readouterr().out


def test_an_unbalanced_posted_entry_is_reported_and_exits_non_zero(books, capsys):
    entry = draft()
    JournalLine.objects.filter(entry=entry, debit__gt=0).update(debit=Decimal("90"))
    _force_post(entry, "GEN-2026-999999")
    breaches = run_checks()
    assert {b.check for b in breaches} == {"entry_balances", "trial_balance_zero"}
    assert any("GEN-2026-999999" in doc for b in breaches for doc in b.documents)
    with pytest.raises(CommandError):
        call_command("reconcile")
    out = capsys.readouterr().out
    assert "entry_balances" in out and "trial_balance_zero" in out


def test_a_reversal_that_does_not_mirror_is_reported(books):
    original = posted()
    bad = draft(
        lines=[
            {"account": "1001", "debit": "0", "credit": "100"},
            {"account": "4001", "debit": "100", "credit": "0"},
        ]
    )
    JournalEntry.objects.filter(pk=bad.pk).update(reversal_of=original)
    _force_post(bad, "GEN-2026-000777")
    breaches = run_checks()
    assert [b.check for b in breaches] == ["reversal_mirrors"]
    assert set(breaches[0].accounts) == {"1001", "1002"}


def test_breach_text_names_accounts_and_documents():
    text = str(Breach(check="x", message="m", accounts=("1002",), documents=("E1",)))
    assert "[x] m" in text and "1002" in text and "E1" in text


def test_checks_are_pluggable(books):
    def always() -> list[Breach]:
        return [Breach(check="stock_vs_gl", message="off", accounts=(account("1405").code,))]

    assert [b.check for b in run_checks([always])] == ["stock_vs_gl"]
