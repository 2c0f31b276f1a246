"""Invariant checks of the books, for ``manage.py reconcile`` and the finance page.

Each check is a function returning a list of ``Breach``. Every app registers its own from its
``AppConfig`` (``erp_core.registry.register_reconcile_check``): the ledger's below, the stock
ledger's, billing's, and later WMS against the ERP; ``run_checks`` runs them all in that order.
"""

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from erp_core.ledger.models import JournalEntry, JournalLine
from erp_core.ledger.money import money
from erp_core.registry import reconcile_checks

HALF_CENT = Decimal("0.005")


@dataclass(frozen=True)
class Breach:
    """A broken invariant: which check, what is wrong, and the accounts and documents involved."""

    check: str
    message: str
    accounts: tuple[str, ...] = field(default_factory=tuple)
    documents: tuple[str, ...] = field(default_factory=tuple)

    def __str__(self) -> str:
        parts = [f"[{self.check}] {self.message}"]
        if self.accounts:
            parts.append(_("accounts: %(list)s") % {"list": ", ".join(self.accounts)})
        if self.documents:
            parts.append(_("documents: %(list)s") % {"list": ", ".join(self.documents)})
        return "; ".join(parts)


Check = Callable[[], list[Breach]]


def _entry_label(entry_id: int, number: str | None) -> str:
    return f"JournalEntry {number or '#' + str(entry_id)}"


def check_posted_entries_balance() -> list[Breach]:
    """Invariant 3: every posted entry's debits equal its credits and it has two lines or more."""
    # SQLite sums decimals in floating point: compare to half a cent, not to exact equality.
    rows = (
        JournalEntry.objects.filter(status=JournalEntry.Status.POSTED)
        .annotate(
            debit=Sum("lines__debit"),
            credit=Sum("lines__credit"),
            line_count=Count("lines"),
            difference=Sum("lines__debit") - Sum("lines__credit"),
        )
        .filter(
            Q(debit__isnull=True)
            | Q(line_count__lt=2)
            | Q(difference__gte=HALF_CENT)
            | Q(difference__lte=-HALF_CENT)
        )
        .values("id", "number", "debit", "credit", "line_count")
    )
    return [
        Breach(
            check="entry_balances",
            message=_(
                "Posted entry does not balance: debit %(debit)s, credit %(credit)s, %(n)d lines."
            )
            % {
                "debit": money(row["debit"]),
                "credit": money(row["credit"]),
                "n": row["line_count"],
            },
            documents=(_entry_label(row["id"], row["number"]),),
        )
        for row in rows
    ]


def check_trial_balance_zero() -> list[Breach]:
    """Invariant 3: the posted lines of all accounts sum to zero (debits equal credits)."""
    totals = JournalLine.objects.filter(entry__status=JournalEntry.Status.POSTED).aggregate(
        debit=Sum("debit"), credit=Sum("credit")
    )
    debit, credit = money(totals["debit"]), money(totals["credit"])
    if debit == credit:
        return []
    return [
        Breach(
            check="trial_balance_zero",
            message=_(
                "The trial balance is off by %(diff)s (debits %(debit)s, credits %(credit)s)."
            )
            % {"diff": debit - credit, "debit": debit, "credit": credit},
        )
    ]


def check_posted_entries_numbered() -> list[Breach]:
    """Invariant 5: every posted entry has a number, and numbers are unique per journal."""
    breaches = [
        Breach(
            check="entry_numbered",
            message=_("Posted entry without a number."),
            documents=(_entry_label(entry_id, None),),
        )
        for entry_id in JournalEntry.objects.filter(status=JournalEntry.Status.POSTED)
        .filter(Q(number__isnull=True) | Q(number=""))
        .values_list("id", flat=True)
    ]
    duplicates = (
        JournalEntry.objects.exclude(number__isnull=True)
        .values("journal__code", "number")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    breaches += [
        Breach(
            check="entry_numbered",
            message=_("Entry number used %(n)d times.") % {"n": row["n"]},
            documents=(f"JournalEntry {row['number']}",),
        )
        for row in duplicates
    ]
    return breaches


def check_reversals() -> list[Breach]:
    """Invariant 5: no entry is reversed twice, and each reversal mirrors its original's lines."""
    breaches = []
    counts = (
        JournalEntry.objects.filter(reversal_of__isnull=False)
        .values("reversal_of_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    for row in counts:
        breaches.append(
            Breach(
                check="reversed_once",
                message=_("Entry reversed %(n)d times.") % {"n": row["n"]},
                documents=(_entry_label(row["reversal_of_id"], None),),
            )
        )
    reversals = dict(
        JournalEntry.objects.filter(
            reversal_of__isnull=False, status=JournalEntry.Status.POSTED
        ).values_list("id", "reversal_of_id")
    )
    if not reversals:
        return breaches
    wanted = set(reversals) | set(reversals.values())
    lines: dict[int, Counter] = defaultdict(Counter)
    numbers: dict[int, str] = {}
    for entry_id, number, account, partner, debit, credit in JournalLine.objects.filter(
        entry_id__in=wanted
    ).values_list("entry_id", "entry__number", "account__code", "partner_id", "debit", "credit"):
        lines[entry_id][(account, partner, debit, credit)] += 1
        numbers[entry_id] = number
    for reversal_id, original_id in reversals.items():
        mirrored = Counter(
            {
                (account, partner, credit, debit): n
                for (account, partner, debit, credit), n in lines[original_id].items()
            }
        )
        if mirrored != lines[reversal_id]:
            accounts = sorted({key[0] for key in mirrored.keys() ^ lines[reversal_id].keys()})
            breaches.append(
                Breach(
                    check="reversal_mirrors",
                    message=_("The reversal's lines do not mirror the original's."),
                    accounts=tuple(accounts),
                    documents=(
                        _entry_label(reversal_id, numbers.get(reversal_id)),
                        _entry_label(original_id, numbers.get(original_id)),
                    ),
                )
            )
    return breaches


# The general ledger's own checks, registered by its app.
LEDGER_CHECKS: tuple[Check, ...] = (
    check_posted_entries_balance,
    check_trial_balance_zero,
    check_posted_entries_numbered,
    check_reversals,
)


def run_checks(checks: list[Check] | None = None) -> list[Breach]:
    """Run every registered check (or the ones given) and return all their breaches, in check
    order."""
    breaches: list[Breach] = []
    for check in checks if checks is not None else reconcile_checks():
        breaches.extend(check())
    return breaches
