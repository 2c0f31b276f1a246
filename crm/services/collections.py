"""Collections: receivables from the ERP's posted invoices, payments applied to them oldest
due first, dunning stages for what is overdue, promises to pay, and the tasks they make for
the account owner; and tasks for promised dates the ERP's schedule moved later."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from common.numbers import cents, parse_decimal
from crm.models import (
    Account,
    Activity,
    PaymentReceipt,
    PromiseToPay,
    Receivable,
    ReceivableCredit,
)
from crm.services.activities import follow_up_task
from erp_core.models import Partner, User
from erp_core.sales.selectors import sales_order_list

ZERO = Decimal("0.00")
#: Days past due at which each dunning stage starts (reminder, second notice, final notice).
DUNNING_DAYS = (1, 15, 30)


def _account_of(partner_id: int) -> Account | None:
    return Account.objects.filter(partner_id=partner_id).select_related("owner").first()


def _money(value, field: str) -> Decimal:
    return cents(parse_decimal(value, field=field, min_value=0, max_value="1000000000000"))


@transaction.atomic
def receivable_record(
    *, invoice_id: int, partner_id: int, amount, due_date: dt.date, posted_at: dt.datetime
) -> Receivable:
    """Follow up a posted invoice; a prepayment left unapplied pays it. Posted again (after
    the ERP took the posting back), the invoice's new amount and due date replace the old, and
    what the customer paid is applied again to the amounts as they now are."""
    value = _money(amount, "amount")
    existing = Receivable.objects.select_for_update().filter(invoice_id=invoice_id).first()
    if existing is not None:
        if existing.is_posted and existing.invoiced == value and existing.due_date == due_date:
            return existing
        existing.invoiced, existing.due_date, existing.is_posted = value, due_date, True
        existing.save(update_fields=["invoiced", "due_date", "is_posted"])
        collections_resettle(partner_id=existing.partner_id)
        existing.refresh_from_db()
        return existing
    partner = Partner.objects.get(pk=partner_id)
    receivable = Receivable.objects.create(
        invoice_id=invoice_id,
        partner=partner,
        invoiced=value,
        amount=value,
        open_amount=value,
        due_date=due_date,
        posted_at=posted_at,
    )
    if ReceivableCredit.objects.filter(invoice_id=invoice_id, receivable__isnull=True).exists():
        # Credit notes of this invoice that arrived before it.
        ReceivableCredit.objects.filter(invoice_id=invoice_id).update(receivable=receivable)
        collections_resettle(partner_id=partner_id)
        receivable.refresh_from_db()
        return receivable
    credits = PaymentReceipt.objects.select_for_update().filter(
        partner_id=partner_id, unapplied__gt=0
    )
    for receipt in credits.order_by("pk"):
        taken = min(receipt.unapplied, receivable.open_amount)
        if taken <= 0:
            break
        PaymentReceipt.objects.filter(pk=receipt.pk).update(unapplied=F("unapplied") - taken)
        receivable.open_amount -= taken
    receivable.save(update_fields=["open_amount"])
    return receivable


@transaction.atomic
def credit_note_record(
    *,
    credit_note_id: int,
    invoice_id: int | None,
    partner_id: int,
    amount,
    posted_at: dt.datetime,
) -> ReceivableCredit:
    """A posted credit note lowers what its invoice is owed (posted again, its new amount
    counts); what the customer paid is applied again to the amounts as they now are."""
    value = _money(amount, "amount")
    receivable = (
        Receivable.objects.filter(invoice_id=invoice_id).first() if invoice_id is not None else None
    )
    credit, created = ReceivableCredit.objects.select_for_update().get_or_create(
        credit_note_id=credit_note_id,
        defaults={
            "partner": Partner.objects.get(pk=partner_id),
            "invoice_id": invoice_id,
            "receivable": receivable,
            "amount": value,
            "posted_at": posted_at,
        },
    )
    if not created:
        if credit.is_posted and credit.amount == value:
            return credit
        credit.amount, credit.is_posted = value, True
        credit.save(update_fields=["amount", "is_posted"])
    collections_resettle(partner_id=credit.partner_id)
    return credit


@transaction.atomic
def posting_withdraw(*, invoice_id: int) -> bool:
    """The ERP took the posting of an invoice or credit note back: the invoice is owed no more
    (a credit note credits no more) until it is posted again; what the customer paid is applied
    again. Returns whether CRM followed that document."""
    receivable = Receivable.objects.select_for_update().filter(invoice_id=invoice_id).first()
    credit = ReceivableCredit.objects.select_for_update().filter(credit_note_id=invoice_id).first()
    row: Receivable | ReceivableCredit | None = receivable or credit
    if row is None or not row.is_posted:
        return row is not None
    row.is_posted = False
    row.save(update_fields=["is_posted"])
    collections_resettle(partner_id=row.partner_id)
    return True


@dataclass
class _Replayed:
    """An invoice, or money in (a payment, a credit note of no invoice), as the replay sees it:
    what it still has open (an invoice) or left to apply (money)."""

    at: dt.datetime
    kind: int  # 0: an invoice, 1: money in; an invoice first when they share a time
    pk: int
    left: Decimal
    receivable: Receivable | None = None
    receipt: PaymentReceipt | None = None


@transaction.atomic
def collections_resettle(*, partner_id: int) -> None:
    """Set what each invoice of the customer owes (invoiced, less its posted credit notes; nothing
    while unposted) and apply the customer's payments again, as they came: each payment to the
    invoices posted by then, oldest due first, and money left over to each invoice posted
    later. Called when an amount already followed changes (a re-post, a credit note, an unpost)."""
    receivables = list(
        Receivable.objects.select_for_update().filter(partner_id=partner_id).order_by("pk")
    )
    receipts = list(
        PaymentReceipt.objects.select_for_update().filter(partner_id=partner_id).order_by("pk")
    )
    credits = list(
        ReceivableCredit.objects.filter(partner_id=partner_id, is_posted=True).order_by("pk")
    )
    credited: dict[int, Decimal] = {}
    cash_credits = []
    for credit in credits:
        if credit.invoice_id is None:
            cash_credits.append(credit)
        elif credit.receivable_id is not None:  # else its invoice is not followed yet
            key = credit.receivable_id
            credited[key] = credited.get(key, ZERO) + credit.amount
    steps: list[_Replayed] = []
    for receivable in receivables:
        owed = receivable.invoiced - credited.get(receivable.pk, ZERO)
        receivable.amount = max(owed, ZERO) if receivable.is_posted else ZERO
        steps.append(_Replayed(receivable.posted_at, 0, receivable.pk, ZERO, receivable=receivable))
    for receipt in receipts:
        steps.append(_Replayed(receipt.received_at, 1, receipt.pk, receipt.amount, receipt=receipt))
    for credit in cash_credits:
        steps.append(_Replayed(credit.posted_at, 1, -credit.pk, credit.amount))
    steps.sort(key=lambda s: (s.at, s.kind, s.pk))
    posted: list[tuple[Receivable, _Replayed]] = []
    money: list[_Replayed] = []
    for step in steps:
        if step.receivable is not None:
            step.left = step.receivable.amount
            for source in money:
                taken = min(source.left, step.left)
                source.left -= taken
                step.left -= taken
            posted.append((step.receivable, step))
            continue
        for _receivable, invoice in sorted(posted, key=lambda p: (p[0].due_date, p[0].pk)):
            taken = min(step.left, invoice.left)
            invoice.left -= taken
            step.left -= taken
        money.append(step)
    for receivable, step in posted:
        receivable.open_amount = step.left
        if step.left == 0:
            receivable.dunning_stage = Receivable.Dunning.NONE
    Receivable.objects.bulk_update(receivables, ["amount", "open_amount", "dunning_stage"])
    for step in money:
        if step.receipt is not None:
            step.receipt.unapplied = step.left
    PaymentReceipt.objects.bulk_update(receipts, ["unapplied"])


@transaction.atomic
def payment_apply(
    *, payment_id: int, partner_id: int, amount, received_at: dt.datetime
) -> PaymentReceipt:
    """Apply a received payment to the customer's open invoices, oldest due first (once per
    payment); what is left waits for the next invoice. Promises it covers are kept."""
    existing = PaymentReceipt.objects.filter(payment_id=payment_id).first()
    if existing is not None:
        return existing
    partner = Partner.objects.get(pk=partner_id)
    left = _money(amount, "amount")
    receipt = PaymentReceipt.objects.create(
        payment_id=payment_id, partner=partner, amount=left, received_at=received_at
    )
    # Locked in due-date order, the same order every payment of the customer takes.
    open_rows = Receivable.objects.select_for_update().filter(
        partner_id=partner_id, open_amount__gt=0
    )
    for receivable in open_rows.order_by("due_date", "pk"):
        if left <= 0:
            break
        taken = min(left, receivable.open_amount)
        receivable.open_amount -= taken
        if receivable.open_amount == 0:
            receivable.dunning_stage = Receivable.Dunning.NONE
        receivable.save(update_fields=["open_amount", "dunning_stage"])
        left -= taken
    receipt.unapplied = left
    receipt.save(update_fields=["unapplied"])
    account = _account_of(partner_id)
    if account is not None:
        _keep_promises(account, partner_id=partner_id)
    return receipt


def _keep_promises(account: Account, *, partner_id: int) -> None:
    """Open promises are kept, earliest first, while the customer's payments since each was
    made cover its amount."""
    promises = PromiseToPay.objects.select_for_update().filter(
        account=account, status=PromiseToPay.Status.OPEN
    )
    for promise in promises.order_by("promised_date", "pk"):
        paid = sum(
            (
                r.amount
                for r in PaymentReceipt.objects.filter(
                    partner_id=partner_id, received_at__gte=promise.created_at
                )
            ),
            ZERO,
        )
        if paid >= promise.amount:
            promise.status = PromiseToPay.Status.KEPT
            promise.save(update_fields=["status"])


def dunning_stage_for(days_overdue: int) -> int:
    """The dunning stage an invoice this many days past due is in."""
    stage = 0
    for number, start in enumerate(DUNNING_DAYS, start=1):
        if days_overdue >= start:
            stage = number
    return stage


@transaction.atomic
def dunning_run(*, today: dt.date | None = None) -> int:
    """Move overdue invoices to their dunning stage, and give the account owner a follow-up
    task for each stage reached (once). An invoice under an open promise to pay is left alone
    until the promise falls due; a promise past its date unpaid is broken. Returns the number
    of invoices that moved."""
    today = today or timezone.localdate()
    broken = PromiseToPay.objects.filter(status=PromiseToPay.Status.OPEN, promised_date__lt=today)
    for promise in broken.select_related("account"):
        promise.status = PromiseToPay.Status.BROKEN
        promise.save(update_fields=["status"])
        follow_up_task(
            account=promise.account,
            reason=Activity.Reason.PROMISE_DUE,
            args={"amount": str(promise.amount), "date": promise.promised_date.isoformat()},
            source_key=f"promise:{promise.pk}:broken",
        )
    promised = set(
        PromiseToPay.objects.filter(
            status=PromiseToPay.Status.OPEN, receivable__isnull=False
        ).values_list("receivable_id", flat=True)
    )
    moved = 0
    overdue = Receivable.objects.select_for_update().filter(open_amount__gt=0, due_date__lt=today)
    accounts = {
        a.partner_id: a
        for a in Account.objects.filter(partner_id__in=overdue.values("partner_id")).select_related(
            "owner"
        )
    }
    for receivable in overdue.order_by("pk"):
        if receivable.pk in promised:
            continue
        stage = dunning_stage_for((today - receivable.due_date).days)
        if stage <= receivable.dunning_stage:
            continue
        receivable.dunning_stage = stage
        receivable.dunned_at = timezone.now()
        receivable.save(update_fields=["dunning_stage", "dunned_at"])
        moved += 1
        follow_up_task(
            account=accounts.get(receivable.partner_id),
            reason=Activity.Reason.DUNNING,
            args={
                "stage": stage,
                "invoice": receivable.invoice_id,
                "amount": str(receivable.open_amount),
            },
            source_key=f"dunning:{receivable.invoice_id}:{stage}",
        )
    return moved


@transaction.atomic
def promise_to_pay_create(
    *,
    account: Account,
    amount,
    promised_date: dt.date,
    receivable: Receivable | None = None,
    notes: str = "",
    actor: User | None = None,
) -> PromiseToPay:
    """Record a customer's promise to pay; a task reminds the owner on the promised date."""
    if receivable is not None and receivable.partner_id != account.partner_id:
        raise Conflict(_("The invoice is another customer's."), code="wrong_customer")
    value = parse_decimal(amount, field="amount", bounds=PromiseToPay._meta.get_field("amount"))
    if promised_date < timezone.localdate():
        raise ValidationError({"promised_date": _("A promise is for today or later.")})
    promise = PromiseToPay.objects.create(
        account=account,
        receivable=receivable,
        amount=value,
        promised_date=promised_date,
        notes=notes.strip()[:300],
        created_by=actor,
    )
    follow_up_task(
        account=account,
        reason=Activity.Reason.PROMISE_DUE,
        args={"amount": str(value), "date": promised_date.isoformat()},
        source_key=f"promise:{promise.pk}:due",
        due_at=timezone.make_aware(dt.datetime.combine(promised_date, dt.time(10))),
    )
    return promise


@transaction.atomic
def promised_dates_slipped(*, event_id: str, slipped: list) -> int:
    """Give each slipped sales order's account owner a task (once per event and order).

    ``slipped``: sales order ids, or dicts per slipped line with ``sales_order_id`` and the new
    date (``expected_date``, as the scheduler sends it beside the old ``promised_date``; else
    ``new_date`` or ``promised_date``). An order with several slipped lines gets one task with
    its latest date; a line whose new date is not after its old promised date is passed over.
    Returns the number of tasks made.
    """
    rows: dict[int, str] = {}
    for entry in slipped:
        if isinstance(entry, dict):
            order_id = entry.get("sales_order_id") or entry.get("id")
            new_date = (
                entry.get("expected_date") or entry.get("new_date") or entry.get("promised_date")
            )
            moved = entry.get("expected_date") or entry.get("new_date")
            old_date = entry.get("promised_date") if moved else None
            if old_date and str(moved) <= str(old_date):
                continue  # moved earlier or not at all: nothing to tell the customer
        else:
            order_id, new_date = entry, ""
        if isinstance(order_id, int):
            rows[order_id] = max(rows.get(order_id, ""), str(new_date or ""))
    if not rows:
        return 0
    orders = sales_order_list().filter(pk__in=list(rows)).select_related("customer")
    accounts = {
        a.partner_id: a
        for a in Account.objects.filter(
            partner_id__in=[o.customer_id for o in orders]
        ).select_related("owner")
    }
    made = 0
    for order in orders:
        task = follow_up_task(
            account=accounts.get(order.customer_id),
            reason=Activity.Reason.PROMISE_SLIPPED,
            args={
                "order": order.number,
                "order_id": order.pk,
                "date": rows[order.pk]
                or (order.promised_date.isoformat() if order.promised_date else "?"),
            },
            source_key=f"slipped:{event_id}:{order.pk}",
        )
        made += task is not None
    return made
