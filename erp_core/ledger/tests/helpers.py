"""Helpers of the ledger tests: a finance user with every ledger permission, lines, draft and
posted entries, accounts by code. The seeded books are the shared ``books`` fixture
(``erp_core.testing.books``)."""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Permission

from common.testing import staff_user
from erp_core.ledger import services
from erp_core.ledger.models import Account, Journal
from erp_core.testing.books import BOOKS_DAY

TODAY = BOOKS_DAY


def ledger_user(role: str = "Finance"):
    """A staff user of ``role`` who also holds every permission of the ledger app.

    The roles in ``erp_core.roles`` get these permissions when the lead wires them in; until
    then tests grant them directly.
    """
    user = staff_user(role)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="ledger"))
    return user


def line(code: str, debit: str = "0", credit: str = "0", **extra) -> dict:
    """A line as the services take it, by account code."""
    return {"account": code, "debit": Decimal(debit), "credit": Decimal(credit), **extra}


def draft(*, lines=None, journal: str = "GEN", day: date = TODAY, memo: str = "", actor=None):
    """A balanced draft (bank 100 against capital by default)."""
    return services.journal_entry_create_draft(
        journal=Journal.objects.get(code=journal),
        date=day,
        memo=memo,
        lines=lines
        if lines is not None
        else [line("1002", debit="100"), line("4001", credit="100")],
        actor=actor,
    )


def posted(**kwargs):
    """A posted entry (see ``draft``)."""
    return services.journal_entry_post(entry=draft(**kwargs), actor=None)


def account(code: str) -> Account:
    return Account.objects.get(code=code)
