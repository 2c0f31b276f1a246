"""Payments received and made: save, post (审核), allocate, unallocate, unpost, void.

A received payment settles posted customer invoices of its partner, a payment made settles
posted supplier bills; what is not allocated stays as unapplied cash. Allocations on a saved
payment are planned and settle the invoices when it is posted. Invoices are locked in primary
key order, always after their payment, so concurrent allocations never deadlock.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from common.errors import Conflict
from erp_core.billing.models import Invoice, Payment, PaymentAllocation
from erp_core.billing.services.common import (
    ZERO,
    check_currency,
    check_memo,
    check_partner,
    entry_lines,
    positive_amount,
    require_date,
    require_instance,
    reverse_entry,
    store,
)
from erp_core.documents.models import APPROVED, DRAFT
from erp_core.documents.services import (
    document_lock,
    document_number_next,
    mark_approved,
    mark_changed,
    mark_unapproved,
    mark_voided,
    require_revision,
    require_status,
)
from erp_core.ledger.models import Account, PostingKind
from erp_core.ledger.selectors import posting_accounts
from erp_core.ledger.services import document_date_check, journal_entry_post_lines
from erp_core.models import Partner, User
from integration import topics
from integration.bus import publish

Direction = Payment.Direction
DEFAULT_BANK_ACCOUNT = "1002"
SOURCE_TYPE = "billing.payment"
MAX_ALLOCATIONS = 500

#: Which invoices a payment settles.
SETTLES = {
    Direction.RECEIVED: Invoice.Kind.CUSTOMER_INVOICE,
    Direction.MADE: Invoice.Kind.SUPPLIER_BILL,
}


def _direction(value: str) -> str:
    if value not in Direction.values:
        raise ValidationError({"direction": _("Say whether the payment is received or made.")})
    return value


def _bank_account(value) -> Account:
    if value in (None, ""):
        account = Account.objects.filter(code=DEFAULT_BANK_ACCOUNT).first()
        if account is None:
            raise ValidationError(
                {"bank_account": _("Choose the bank account (the chart has no 1002).")}
            )
    elif isinstance(value, str):
        account = Account.objects.filter(code=value.strip()).first()
        if account is None:
            raise ValidationError(
                {"bank_account": _("Unknown account %(code)s.") % {"code": value}}
            )
    else:
        account = require_instance(value, Account, field="bank_account")
    if not (account.is_postable and account.is_active):
        raise ValidationError({"bank_account": _("Choose an active account without sub-accounts.")})
    return account


def _reference(value: str | None) -> str:
    value = (value or "").strip()
    if len(value) > 64:
        raise ValidationError({"reference": _("At most 64 characters.")})
    return value


def _allocation_inputs(
    payment: Payment, allocations: Iterable[Mapping] | None
) -> dict[Invoice, Decimal]:
    """Validate allocation inputs ``{"invoice", "amount"}``: posted invoices of the payment's
    partner and direction, amounts above zero and within each invoice's open amount."""
    if allocations is None or isinstance(allocations, str | bytes | Mapping):
        raise ValidationError({"allocations": _("Give a list of allocations.")})
    allocations = list(allocations)
    if len(allocations) > MAX_ALLOCATIONS:
        raise ValidationError(
            {"allocations": _("At most %(n)d allocations.") % {"n": MAX_ALLOCATIONS}}
        )
    errors: list[str] = []
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    invoices: dict[int, Invoice] = {}
    for index, raw in enumerate(allocations, start=1):
        try:
            if not isinstance(raw, Mapping):
                raise ValidationError(_("not an allocation."))
            # Read afresh: an invoice object the caller holds may predate its posting.
            wanted_invoice = raw.get("invoice")
            invoice = require_instance(
                getattr(wanted_invoice, "pk", wanted_invoice), Invoice, field="invoice"
            )
            amount = positive_amount(raw.get("amount"))
            if invoice.partner_id != payment.partner_id:
                raise ValidationError(
                    _("%(number)s is another partner's.") % {"number": invoice.number}
                )
            if invoice.kind != SETTLES[payment.direction]:
                raise ValidationError(
                    _("a payment %(direction)s settles only %(kind)s documents.")
                    % {
                        "direction": payment.get_direction_display().lower(),
                        "kind": Invoice.Kind(SETTLES[payment.direction]).label.lower(),
                    }
                )
            if invoice.status != Invoice.Status.APPROVED:
                raise ValidationError(_("%(number)s is not posted.") % {"number": invoice.number})
        except ValidationError as exc:
            errors.append(
                _("Allocation %(n)d: %(error)s") % {"n": index, "error": " ".join(exc.messages)}
            )
            continue
        invoices[invoice.pk] = invoice
        wanted[invoice.pk] += amount
    if errors:
        raise ValidationError({"allocations": errors})
    for pk, amount in wanted.items():
        if amount > invoices[pk].open_amount:
            errors.append(
                _("%(number)s has %(open)s open: %(amount)s cannot be allocated to it.")
                % {
                    "number": invoices[pk].number,
                    "open": invoices[pk].open_amount,
                    "amount": amount,
                }
            )
    if errors:
        raise ValidationError({"allocations": errors})
    return {invoices[pk]: amount for pk, amount in wanted.items()}


def _within_payment(payment: Payment, total: Decimal) -> None:
    if total > payment.amount - payment.amount_allocated:
        raise ValidationError(
            {
                "allocations": _(
                    "%(total)s is more than the %(left)s of payment %(number)s not yet allocated."
                )
                % {
                    "total": total,
                    "left": payment.amount - payment.amount_allocated,
                    "number": payment.number,
                }
            }
        )


def _settle(allocations: dict[int, Decimal], *, give_back: bool = False) -> None:
    """Move posted invoices' allocated amounts, the invoices locked in pk order and rechecked."""
    if not allocations:
        return
    locked = {
        invoice.pk: invoice
        for invoice in Invoice.objects.select_for_update()
        .filter(pk__in=sorted(allocations))
        .order_by("pk")
    }
    for pk, amount in sorted(allocations.items()):
        invoice = locked[pk]
        if give_back:
            Invoice.objects.filter(pk=pk).update(amount_allocated=F("amount_allocated") - amount)
            continue
        if invoice.status != Invoice.Status.APPROVED:
            raise Conflict(
                _("%(number)s is no longer posted.") % {"number": invoice.number},
                code="invalid_status",
            )
        if amount > invoice.open_amount:
            raise Conflict(
                _("%(number)s has %(open)s open: %(amount)s cannot be allocated to it.")
                % {"number": invoice.number, "open": invoice.open_amount, "amount": amount},
                code="over_allocated",
            )
        Invoice.objects.filter(pk=pk).update(amount_allocated=F("amount_allocated") + amount)


def _add_allocations(
    payment: Payment, wanted: dict[Invoice, Decimal], *, actor: User | None
) -> Decimal:
    """Write allocation rows (adding to an existing one of the same invoice); the total."""
    existing = {a.invoice_id: a for a in payment.allocations.all()}
    total = ZERO
    for invoice, amount in wanted.items():
        total += amount
        if invoice.pk in existing:
            PaymentAllocation.objects.filter(pk=existing[invoice.pk].pk).update(
                amount=F("amount") + amount
            )
        else:
            PaymentAllocation.objects.create(
                payment=payment, invoice=invoice, amount=amount, created_by=actor
            )
    return total


@transaction.atomic
def payment_create(
    *,
    direction: str,
    partner: Partner,
    date: dt.date,
    amount: Decimal,
    bank_account: Account | int | str | None = None,
    reference: str = "",
    memo: str = "",
    currency: str | None = None,
    allocations: Iterable[Mapping] | None = None,
    actor: User | None,
) -> Payment:
    """Save a payment received from a customer or made to a supplier, with planned allocations
    ``{"invoice", "amount"}`` to posted invoices or bills of the partner (they settle when the
    payment is posted). The bank account defaults to 1002 银行存款."""
    direction = _direction(direction)
    partner = check_partner(partner, customer=direction == Direction.RECEIVED)
    date = document_date_check(require_date(date))
    payment = Payment(
        direction=direction,
        partner=partner,
        date=date,
        amount=positive_amount(amount),
        currency=check_currency(partner, currency),
        bank_account=_bank_account(bank_account),
        reference=_reference(reference),
        memo=check_memo(memo),
        created_by=actor,
    )
    wanted = _allocation_inputs(payment, allocations) if allocations else {}
    _within_payment(payment, sum(wanted.values(), ZERO))
    payment.number = document_number_next(kind=Payment.PREFIXES[direction], date=date)
    payment.save()
    if wanted:
        payment.amount_allocated = _add_allocations(payment, wanted, actor=actor)
        payment.save(update_fields=["amount_allocated"])
    return payment


@transaction.atomic
def payment_update(
    *,
    payment: Payment,
    actor: User | None,
    expected_revision: int | None = None,
    date: dt.date | None = None,
    amount: Decimal | None = None,
    bank_account: Account | int | str | None = None,
    reference: str | None = None,
    memo: str | None = None,
    allocations: Iterable[Mapping] | None = None,
) -> Payment:
    """Change a saved payment; ``allocations`` replace its planned allocations as a whole."""
    payment = document_lock(payment)
    require_status(payment, DRAFT, action=_("changed"))
    require_revision(payment, expected_revision)
    changed = []
    if date is not None:
        payment.date = document_date_check(require_date(date))
        changed.append("date")
    if amount is not None:
        payment.amount = positive_amount(amount)
        changed.append("amount")
    if bank_account is not None:
        payment.bank_account = _bank_account(bank_account)
        changed.append("bank_account")
    if reference is not None:
        payment.reference = _reference(reference)
        changed.append("reference")
    if memo is not None:
        payment.memo = check_memo(memo)
        changed.append("memo")
    if allocations is not None:
        wanted = _allocation_inputs(payment, allocations) if allocations else {}
        payment.allocations.all().delete()
        payment.amount_allocated = ZERO
        _within_payment(payment, sum(wanted.values(), ZERO))
        payment.amount_allocated = _add_allocations(payment, wanted, actor=actor)
        changed.append("amount_allocated")
    elif payment.amount < payment.amount_allocated:
        raise ValidationError(
            {"amount": _("The amount cannot be less than what is allocated already.")}
        )
    if changed:
        mark_changed(payment, changed)
    return payment


def _posting_lines(payment: Payment) -> list:
    """Received: Dr bank / Cr receivable (partner). Made: Dr payable (partner) / Cr bank."""
    if payment.direction == Direction.RECEIVED:
        receivable = posting_accounts(kind=PostingKind.CUSTOMER_PAYMENT).credit
        return entry_lines(
            {payment.bank_account: payment.amount},
            partner_amounts=[(receivable, -payment.amount, payment.partner)],
        )
    payable = posting_accounts(kind=PostingKind.SUPPLIER_PAYMENT).debit
    return entry_lines(
        {payment.bank_account: -payment.amount},
        partner_amounts=[(payable, payment.amount, payment.partner)],
    )


@transaction.atomic
def payment_approve(
    *, payment: Payment, actor: User | None, expected_revision: int | None = None
) -> Payment:
    """Post (审核) a saved payment: its bank entry, and its planned allocations settle their
    invoices; a received payment publishes ``erp.payment_received``.

    Refused (nothing written): another status, a stale revision, an allocation above what an
    invoice still has open, an invoice no longer posted, a closed period.
    """
    payment = document_lock(payment)
    require_status(payment, DRAFT, action=_("posted"))
    require_revision(payment, expected_revision)
    partner = Partner.objects.get(pk=payment.partner_id)
    check_partner(partner, customer=payment.direction == Direction.RECEIVED)
    check_currency(partner, payment.currency)
    bank = _bank_account(payment.bank_account_id)
    payment.partner, payment.bank_account = partner, bank
    _settle(dict(payment.allocations.values_list("invoice_id", "amount")))
    entry = journal_entry_post_lines(
        journal_code="BNK",
        date=payment.date,
        memo=f"{payment.number} {partner.name}"[:255],
        lines=_posting_lines(payment),
        source_type=SOURCE_TYPE,
        source_id=payment.pk,
        source_event_id=None,
        actor=actor,
    )
    store(payment, journal_entry=entry)
    mark_approved(payment, actor=actor)
    if payment.direction == Direction.RECEIVED:
        publish(
            topic=topics.payment_received,
            payload={
                "payment_id": payment.pk,
                "partner_id": payment.partner_id,
                "amount": str(payment.amount),
            },
        )
    return payment


@transaction.atomic
def payment_allocate(
    *, payment: Payment, allocations: Iterable[Mapping], actor: User | None
) -> Payment:
    """Allocate a payment's unapplied cash to posted invoices or bills of its partner.

    On a posted payment the invoices are settled at once; on a saved one the allocation is
    planned. Refused: a voided payment, more than the payment has unapplied, more than an
    invoice has open.
    """
    payment = document_lock(payment)
    require_status(payment, DRAFT, APPROVED, action=_("allocated"))
    if not allocations:
        raise ValidationError({"allocations": _("Give at least one allocation.")})
    wanted = _allocation_inputs(payment, allocations)
    total = sum(wanted.values(), ZERO)
    _within_payment(payment, total)
    if payment.status == APPROVED:
        _settle({invoice.pk: amount for invoice, amount in wanted.items()})
    _add_allocations(payment, wanted, actor=actor)
    payment.amount_allocated += total
    mark_changed(payment, ["amount_allocated"])
    return payment


@transaction.atomic
def allocation_remove(*, allocation: PaymentAllocation, actor: User | None) -> Payment:
    """Take an allocation back: on a posted payment the invoice is open again by its amount."""
    payment = document_lock(allocation.payment)
    require_status(payment, DRAFT, APPROVED, action=_("unallocated"))
    allocation = PaymentAllocation.objects.filter(pk=allocation.pk, payment=payment).first()
    if allocation is None:
        raise ValidationError({"allocation": _("The allocation no longer exists.")})
    if payment.status == APPROVED:
        _settle({allocation.invoice_id: allocation.amount}, give_back=True)
    allocation.delete()
    payment.amount_allocated -= allocation.amount
    mark_changed(payment, ["amount_allocated"])
    return payment


@transaction.atomic
def payment_unapprove(
    *,
    payment: Payment,
    actor: User | None,
    expected_revision: int | None = None,
    date: dt.date | None = None,
) -> Payment:
    """Take the posting back (反审核): reverse the bank entry; the payment is saved again.

    Refused while the payment is allocated (remove the allocations first).
    """
    payment = document_lock(payment)
    require_status(payment, APPROVED, action=_("unposted"))
    require_revision(payment, expected_revision)
    allocation = payment.allocations.select_related("invoice").order_by("pk").first()
    if allocation is not None:
        raise Conflict(
            _("Payment %(payment)s is allocated to %(document)s: remove the allocations first.")
            % {"payment": payment.number, "document": allocation.invoice.number},
            code="has_downstream",
        )
    reverse_entry(entry=payment.journal_entry, actor=actor, date=date)
    store(payment, journal_entry=None)
    mark_unapproved(payment)
    return payment


@transaction.atomic
def payment_void(
    *, payment: Payment, actor: User | None, reason: str, expected_revision: int | None = None
) -> Payment:
    """Void (作废) a saved payment with a reason; its planned allocations are dropped."""
    payment = document_lock(payment)
    require_status(payment, DRAFT, action=_("voided"))
    require_revision(payment, expected_revision)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the payment is voided.")})
    payment.allocations.all().delete()
    store(payment, amount_allocated=ZERO)
    mark_voided(payment, actor=actor, reason=reason)
    return payment
