"""Billing checks for ``manage.py reconcile``: registered with the ledger's checks at start-up.

Invariant 7: for each partner, the receivable account's balance (its lines with that partner)
equals its open customer invoices − open credit notes − unapplied payments received; the same
for payables (bills, supplier credit notes, payments made). And the allocated amounts kept on
invoices and payments equal the allocations behind them.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Case, F, Sum, When
from django.utils.translation import gettext as _

from common.errors import NotFound
from erp_core.billing.models import Invoice, Payment, PaymentAllocation
from erp_core.billing.selectors import (
    AMOUNT,
    PAYABLE,
    RECEIVABLE,
    invoice_kinds_for,
    receipts_not_billed,
)
from erp_core.ledger.models import JournalEntry, JournalLine, PostingKind, PostingRule
from erp_core.ledger.money import ZERO, money
from erp_core.ledger.reconcile import Breach
from erp_core.ledger.selectors import posting_accounts
from erp_core.models import Partner


def _control_accounts(side: str) -> set:
    """The receivable (or payable) accounts the billing services post partners' lines to."""
    try:
        if side == RECEIVABLE:
            return {
                posting_accounts(kind=PostingKind.SALES_REVENUE).debit,
                posting_accounts(kind=PostingKind.CUSTOMER_PAYMENT).credit,
            }
        return {
            posting_accounts(kind=PostingKind.PURCHASE_BILL).credit,
            posting_accounts(kind=PostingKind.SUPPLIER_PAYMENT).debit,
        }
    except NotFound:
        return set()


def _documents_by_partner(side: str) -> dict[int, dict[str, Decimal]]:
    """Per partner: open invoices (bills), open credit notes, unapplied posted payments."""
    result: dict[int, dict[str, Decimal]] = defaultdict(
        lambda: {"invoices": ZERO, "credit_notes": ZERO, "unapplied": ZERO}
    )
    open_amount = F("gross_amount") - F("amount_allocated")
    rows = (
        Invoice.objects.filter(
            kind__in=invoice_kinds_for(side=side), status=Invoice.Status.APPROVED
        )
        .values("partner_id")
        .annotate(
            invoices=Sum(
                Case(
                    When(kind__in=Invoice.CREDIT_NOTE_KINDS, then=0),
                    default=open_amount,
                    output_field=AMOUNT,
                )
            ),
            credit_notes=Sum(
                Case(
                    When(kind__in=Invoice.CREDIT_NOTE_KINDS, then=open_amount),
                    default=0,
                    output_field=AMOUNT,
                )
            ),
        )
        .order_by()
    )
    for row in rows:
        result[row["partner_id"]]["invoices"] = money(row["invoices"])
        result[row["partner_id"]]["credit_notes"] = money(row["credit_notes"])
    direction = Payment.Direction.RECEIVED if side == RECEIVABLE else Payment.Direction.MADE
    for row in (
        Payment.objects.filter(direction=direction, status=Payment.Status.APPROVED)
        .values("partner_id")
        .annotate(unapplied=Sum(F("amount") - F("amount_allocated"), output_field=AMOUNT))
        .order_by()
    ):
        result[row["partner_id"]]["unapplied"] = money(row["unapplied"])
    return result


def _ledger_by_partner(accounts: set, *, side: str) -> dict[int, Decimal]:
    """Per partner: the balance of its lines on the accounts, as the side reads it (a receivable
    debit-positive, a payable credit-positive)."""
    rows = (
        JournalLine.objects.filter(
            entry__status=JournalEntry.Status.POSTED,
            account__in=accounts,
            partner__isnull=False,
        )
        .values("partner_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
        .order_by()
    )
    sign = 1 if side == RECEIVABLE else -1
    return {row["partner_id"]: sign * (money(row["debit"]) - money(row["credit"])) for row in rows}


def _check_side(side: str) -> list[Breach]:
    accounts = _control_accounts(side)
    if not accounts:
        return []
    codes = tuple(sorted(account.code for account in accounts))
    ledger = _ledger_by_partner(accounts, side=side)
    documents = _documents_by_partner(side)
    partners_ids = sorted(set(ledger) | set(documents))
    wrong = []
    for pk in partners_ids:
        parts = documents.get(pk, {"invoices": ZERO, "credit_notes": ZERO, "unapplied": ZERO})
        expected = parts["invoices"] - parts["credit_notes"] - parts["unapplied"]
        booked = ledger.get(pk, ZERO)
        if booked != expected:
            wrong.append((pk, booked, expected, parts))
    if not wrong:
        return []
    partners = Partner.objects.in_bulk([pk for pk, *_rest in wrong])
    check = "receivables" if side == RECEIVABLE else "payables"
    label = _("receivable") if side == RECEIVABLE else _("payable")
    breaches = []
    for pk, booked, expected, parts in wrong:
        partner = partners.get(pk)
        breaches.append(
            Breach(
                check=check,
                message=_(
                    "%(partner)s: the %(label)s account stands at %(booked)s, the open documents "
                    "at %(expected)s (open invoices %(invoices)s, open credit notes "
                    "%(credit_notes)s, unapplied payments %(unapplied)s)."
                )
                % {
                    "partner": partner or f"#{pk}",
                    "label": label,
                    "booked": booked,
                    "expected": expected,
                    **parts,
                },
                accounts=codes,
                documents=(f"Partner {partner.code if partner else pk}",),
            )
        )
    return breaches


def check_receivables() -> list[Breach]:
    """Invariant 7: each customer's receivable == open invoices − credit notes − unapplied cash."""
    return _check_side(RECEIVABLE)


def check_payables() -> list[Breach]:
    """Invariant 7 for suppliers: each payable == open bills − credit notes − unapplied cash."""
    return _check_side(PAYABLE)


def check_allocations() -> list[Breach]:
    """The allocated amounts kept on documents equal the allocations behind them: a payment's
    its allocations; an invoice's those of posted payments and the posted credit notes of it."""
    breaches = []
    by_payment = dict(
        PaymentAllocation.objects.values("payment_id")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("payment_id", "total")
    )
    for pk, number, allocated in Payment.objects.values_list("pk", "number", "amount_allocated"):
        if money(by_payment.get(pk)) != allocated:
            breaches.append(
                Breach(
                    check="allocations",
                    message=_("Allocated %(kept)s, its allocations sum to %(sum)s.")
                    % {"kept": allocated, "sum": money(by_payment.get(pk))},
                    documents=(f"Payment {number}",),
                )
            )
    settled: dict[int, Decimal] = defaultdict(Decimal)
    for pk, total in (
        PaymentAllocation.objects.filter(payment__status=Payment.Status.APPROVED)
        .values("invoice_id")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("invoice_id", "total")
    ):
        settled[pk] += money(total)
    for pk, total in (
        Invoice.objects.filter(status=Invoice.Status.APPROVED, credit_note_of__isnull=False)
        .values("credit_note_of_id")
        .annotate(total=Sum("amount_allocated"))
        .order_by()
        .values_list("credit_note_of_id", "total")
    ):
        settled[pk] += money(total)
    for pk, number, allocated in Invoice.objects.filter(
        kind__in=(Invoice.Kind.CUSTOMER_INVOICE, Invoice.Kind.SUPPLIER_BILL)
    ).values_list("pk", "number", "amount_allocated"):
        if settled.get(pk, ZERO) != allocated:
            breaches.append(
                Breach(
                    check="allocations",
                    message=_("Allocated %(kept)s, its payments and credit notes sum to %(sum)s.")
                    % {"kept": allocated, "sum": settled.get(pk, ZERO)},
                    documents=(f"Invoice {number}",),
                )
            )
    return breaches


def _grir_accounts() -> set:
    """The GR/IR accounts: what receipts credit and bills clear (1401 材料采购), every rule."""
    from_rules = set()
    for rule in PostingRule.objects.filter(
        kind__in=(PostingKind.PURCHASE_BILL, PostingKind.STOCK_RECEIPT)
    ).select_related("debit_account", "credit_account"):
        from_rules.add(
            rule.debit_account if rule.kind == PostingKind.PURCHASE_BILL else rule.credit_account
        )
    return from_rules


def check_goods_received_not_billed() -> list[Breach]:
    """The GR/IR account (1401 材料采购) equals the goods received and not yet billed.

    Its credit balance is what receipts booked at the order's price less what posted bills
    cleared; a month-end accrual and its reversal net to zero. A breach lists every receipt
    still open with its value, so the difference can be traced.
    """
    accounts = _grir_accounts()
    if not accounts:
        return []
    totals = JournalLine.objects.filter(
        entry__status=JournalEntry.Status.POSTED, account__in=accounts
    ).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    booked = money(Decimal(str(totals["credit"] or 0))) - money(Decimal(str(totals["debit"] or 0)))
    unbilled = receipts_not_billed()
    expected = sum((row.unbilled_value for row in unbilled), ZERO)
    if booked == expected:
        return []
    codes = tuple(sorted(account.code for account in accounts))
    return [
        Breach(
            check="goods_received_not_billed",
            message=_(
                "The GR/IR account %(accounts)s stands at %(booked)s (credit), the goods "
                "received and not billed at %(expected)s: %(difference)s is not explained by "
                "any receipt."
            )
            % {
                "accounts": ", ".join(codes),
                "booked": booked,
                "expected": expected,
                "difference": booked - expected,
            },
            accounts=codes,
            documents=tuple(
                f"{row.receipt_number}{f'/{row.line_no}' if row.receipt_id else ''} "
                f"{row.item_code} {row.unbilled_value}"
                for row in unbilled
            ),
        )
    ]


BILLING_CHECKS = [
    check_receivables,
    check_payables,
    check_allocations,
    check_goods_received_not_billed,
]
