"""Ledger models, one module per sub-domain, all importable from ``erp_core.ledger.models``."""

from erp_core.ledger.models.accounts import (
    Account,
    NormalBalance,
    PostingKind,
    PostingRule,
    PostingRulesVersion,
)
from erp_core.ledger.models.closing import PeriodClosing
from erp_core.ledger.models.journals import (
    Journal,
    JournalEntry,
    JournalLine,
    JournalSequence,
)
from erp_core.ledger.models.periods import CompanySettings, FiscalPeriod, FiscalYear

__all__ = [
    "Account",
    "CompanySettings",
    "FiscalPeriod",
    "FiscalYear",
    "Journal",
    "JournalEntry",
    "JournalLine",
    "JournalSequence",
    "NormalBalance",
    "PeriodClosing",
    "PostingKind",
    "PostingRule",
    "PostingRulesVersion",
]
