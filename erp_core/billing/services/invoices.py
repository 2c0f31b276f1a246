"""Invoices, supplier bills and credit notes: save, post (审核), unpost (反审核), void (作废).

Posting writes the journal entry, counts the invoiced (delivery lines) or billed (receipt
lines) quantities under row locks, and — for a customer invoice — publishes
``erp.invoice_posted``. Every refusal writes nothing.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict
from erp_core.billing.models import Invoice, Payment
from erp_core.billing.selectors import company_vat_party, partner_vat_party
from erp_core.billing.services.common import (
    check_currency,
    check_memo,
    check_partner,
    require_date,
    reverse_entry,
    store,
)
from erp_core.billing.services.lines import (
    Kind,
    build_lines,
    credited_quantity,
    due_date_for,
    supplier_number,
    write_lines,
)
from erp_core.billing.services.posting import (
    apply_credit_note,
    posting_lines,
    rematch,
    value_adjustments,
)
from erp_core.billing.services.sources import (
    DELIVERIES,
    RECEIPTS,
    line_specs_with_documents,
    take_invoiced,
)
from erp_core.documents.models import APPROVED, DRAFT
from erp_core.documents.services import (
    document_lock,
    document_number_next,
    mark_approved,
    mark_changed,
    mark_unapproved,
    mark_voided,
    refuse_if_downstream,
    require_revision,
    require_status,
)
from erp_core.ledger.services import document_date_check, journal_entry_post_lines
from erp_core.models import Partner, User
from erp_core.purchasing.models import PurchaseReceipt
from erp_core.sales.models import Delivery
from erp_core.stock.services import Source, stock_value_adjust
from integration import topics
from integration.bus import publish

SOURCE_TYPE = "billing.invoice"


# --- Creating and changing drafts --------------------------------------------------------------


@transaction.atomic
def invoice_create(
    *,
    kind: str,
    partner: Partner,
    date: dt.date,
    lines: Iterable[Mapping],
    due_date: dt.date | None = None,
    memo: str = "",
    currency: str | None = None,
    supplier_invoice_number: str = "",
    actor: User | None,
) -> Invoice:
    """Save a customer invoice or a supplier bill (draft) with its lines.

    A line is ``{"delivery_line", "quantity"?}`` (invoices: priced from the sales order line,
    the quantity defaults to what is not yet invoiced), ``{"receipt_line", "quantity"?,
    "unit_price"?, "tax_code"?}`` (bills: the supplier's price, default the order's) or a free
    line ``{"item", "quantity", "unit_price", "discount_percent"?, "tax_code"?, "description"?,
    "account"?}``. The due date defaults to the date plus the partner's payment terms.
    """
    if kind not in (Kind.CUSTOMER_INVOICE, Kind.SUPPLIER_BILL):
        raise ValidationError(
            {"kind": _("Create credit notes from the document they credit.")}
            if kind in Invoice.CREDIT_NOTE_KINDS
            else {"kind": _("Unknown kind of invoice.")}
        )
    partner = check_partner(partner, customer=kind == Kind.CUSTOMER_INVOICE)
    date = document_date_check(require_date(date))
    invoice = Invoice(
        kind=kind,
        partner=partner,
        date=date,
        due_date=due_date_for(date, due_date, partner),
        memo=check_memo(memo),
        currency=check_currency(partner, currency),
        supplier_invoice_number=supplier_number(
            supplier_invoice_number, kind=kind, partner=partner, exclude=None
        ),
        created_by=actor,
    )
    built = build_lines(kind=kind, partner=partner, lines=lines)
    invoice.number = document_number_next(kind=Invoice.PREFIXES[kind], date=date)
    invoice.save()
    write_lines(invoice, built)
    invoice.save(update_fields=["net_amount", "tax_amount", "gross_amount", "match_status"])
    return invoice


@transaction.atomic
def customer_invoice_create_from_deliveries(
    *,
    partner: Partner,
    date: dt.date,
    deliveries: Iterable[Delivery | int] = (),
    lines: Iterable[Mapping] = (),
    due_date: dt.date | None = None,
    memo: str = "",
    actor: User | None,
) -> Invoice:
    """Save a customer invoice for what was shipped: whole ``deliveries`` (everything not yet
    invoiced) and/or ``lines`` ``{"delivery_line", "quantity"?}``; all of ``partner``."""
    specs = line_specs_with_documents(
        [dict(line) for line in lines or ()], deliveries, partner=partner, source=DELIVERIES
    )
    return invoice_create(
        kind=Kind.CUSTOMER_INVOICE,
        partner=partner,
        date=date,
        lines=specs,
        due_date=due_date,
        memo=memo,
        actor=actor,
    )


@transaction.atomic
def supplier_bill_create_from_receipts(
    *,
    partner: Partner,
    date: dt.date,
    supplier_invoice_number: str,
    receipts: Iterable[PurchaseReceipt | int] = (),
    lines: Iterable[Mapping] = (),
    due_date: dt.date | None = None,
    memo: str = "",
    actor: User | None,
) -> Invoice:
    """Save a supplier bill for what was received: whole ``receipts`` (everything not yet
    billed, at the order's prices) and/or ``lines`` ``{"receipt_line", "quantity"?,
    "unit_price"?, "tax_code"?}`` with the supplier's prices; all of ``partner``."""
    specs = line_specs_with_documents(
        [dict(line) for line in lines or ()], receipts, partner=partner, source=RECEIPTS
    )
    return invoice_create(
        kind=Kind.SUPPLIER_BILL,
        partner=partner,
        date=date,
        lines=specs,
        due_date=due_date,
        memo=memo,
        supplier_invoice_number=supplier_invoice_number,
        actor=actor,
    )


@transaction.atomic
def credit_note_create(
    *,
    invoice: Invoice,
    date: dt.date,
    lines: Iterable[Mapping] | None = None,
    memo: str = "",
    supplier_invoice_number: str = "",
    actor: User | None,
) -> Invoice:
    """Save a credit note (红字) of a posted customer invoice or supplier bill.

    ``lines`` are ``{"credited_line", "quantity"?}`` (default: what is not yet credited); none
    credits everything not yet credited. A credit note reverses amounts at the original's
    prices and VAT; it does not give delivered or received quantities back.
    """
    original = Invoice.objects.select_related("partner").get(pk=invoice.pk)
    if original.kind not in (Kind.CUSTOMER_INVOICE, Kind.SUPPLIER_BILL):
        raise ValidationError({"credit_note_of": _("A credit note cannot be credited.")})
    if original.status != Invoice.Status.APPROVED:
        raise Conflict(
            _("%(number)s is not posted: only a posted document is credited.")
            % {"number": original.number},
            code="invalid_status",
        )
    kind = (
        Kind.CUSTOMER_CREDIT_NOTE
        if original.kind == Kind.CUSTOMER_INVOICE
        else Kind.SUPPLIER_CREDIT_NOTE
    )
    date = document_date_check(require_date(date))
    if date < original.date:
        raise ValidationError({"date": _("A credit note cannot be dated before what it credits.")})
    if lines is None or (isinstance(lines, list | tuple) and not lines):
        lines = [
            {"credited_line": line}
            for line in original.lines.order_by("line_no")
            if line.quantity > credited_quantity(line)
        ]
        if not lines:
            raise Conflict(
                _("%(number)s is credited in full already.") % {"number": original.number},
                code="credited",
            )
    credit_note = Invoice(
        kind=kind,
        partner=original.partner,
        date=date,
        due_date=date,
        memo=check_memo(memo),
        currency=original.currency,
        credit_note_of=original,
        supplier_invoice_number=supplier_number(
            supplier_invoice_number, kind=kind, partner=original.partner, exclude=None
        ),
        created_by=actor,
    )
    built = build_lines(kind=kind, partner=original.partner, lines=lines, original=original)
    credit_note.number = document_number_next(kind=Invoice.PREFIXES[kind], date=date)
    credit_note.save()
    write_lines(credit_note, built)
    credit_note.save(update_fields=["net_amount", "tax_amount", "gross_amount", "match_status"])
    return credit_note


@transaction.atomic
def invoice_update(
    *,
    invoice: Invoice,
    actor: User | None,
    expected_revision: int | None = None,
    date: dt.date | None = None,
    due_date: dt.date | None = None,
    memo: str | None = None,
    supplier_invoice_number: str | None = None,
    lines: Iterable[Mapping] | None = None,
) -> Invoice:
    """Change a saved document's date, due date, memo, supplier's number or lines (replaced as
    a whole); a stale revision is a 409, a posted or voided document too."""
    invoice = document_lock(invoice)
    require_status(invoice, DRAFT, action=_("changed"))
    require_revision(invoice, expected_revision)
    changed = []
    if date is not None:
        invoice.date = document_date_check(require_date(date))
        changed.append("date")
        if invoice.credit_note_of_id and invoice.date < invoice.credit_note_of.date:
            raise ValidationError(
                {"date": _("A credit note cannot be dated before what it credits.")}
            )
    if invoice.is_credit_note:
        invoice.due_date = invoice.date
    elif due_date is not None:
        invoice.due_date = require_date(due_date, field="due_date")
    if invoice.due_date < invoice.date:
        raise ValidationError({"due_date": _("The due date cannot be before the date.")})
    if date is not None or due_date is not None:
        changed.append("due_date")
    if memo is not None:
        invoice.memo = check_memo(memo)
        changed.append("memo")
    if supplier_invoice_number is not None:
        invoice.supplier_invoice_number = supplier_number(
            supplier_invoice_number,
            kind=invoice.kind,
            partner=invoice.partner,
            exclude=invoice.pk,
        )
        changed.append("supplier_invoice_number")
    if lines is not None:
        original = invoice.credit_note_of
        built = build_lines(
            kind=invoice.kind, partner=invoice.partner, lines=lines, original=original
        )
        write_lines(invoice, built)
        changed += ["net_amount", "tax_amount", "gross_amount", "match_status"]
    if changed:
        mark_changed(invoice, changed)
    return invoice


def _value_adjust(
    invoice: Invoice, lines: list, *, actor, undo: bool = False, day: dt.date | None = None
) -> None:
    """Book the value-only stock moves of a supplier document on goods at an actual cost,
    dated the document's day (``day`` when it is unposted): see ``value_adjustments``."""
    found = value_adjustments(invoice, lines, undo=undo)
    if not found:
        return
    day = day or invoice.date
    moved_at = None  # now
    if day < timezone.localdate():
        moved_at = timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))
    stock_value_adjust(
        lines=found, source=Source(type=SOURCE_TYPE, id=str(invoice.pk)), moved_at=moved_at,
        actor=actor,
    )  # fmt: skip


@transaction.atomic
def invoice_approve(
    *, invoice: Invoice, actor: User | None, expected_revision: int | None = None
) -> Invoice:
    """Post (审核) a saved document: its journal entry, the quantities it invoices or bills, the
    VAT parties' fields; a customer invoice publishes ``erp.invoice_posted``, a customer
    credit note ``erp.credit_note_posted``.

    Refused (nothing written): another status, a stale revision, no lines, a shipped or
    received quantity invoiced or billed twice, a closed period.
    """
    invoice = document_lock(invoice)
    require_status(invoice, DRAFT, action=_("posted"))
    require_revision(invoice, expected_revision)
    partner = Partner.objects.get(pk=invoice.partner_id)
    check_partner(partner, customer=invoice.is_customer_side)
    check_currency(partner, invoice.currency)
    lines = list(
        invoice.lines.select_related(
            "item__category",
            "account",
            "receipt_line__order_line",
            "receipt_line__stock_move",
            "credited_line__receipt_line__stock_move__warehouse",
            "receipt_line__stock_move__warehouse",
        ).order_by("line_no")
    )
    if not lines or invoice.gross_amount <= 0:
        raise ValidationError({"lines": _("A document to post has lines with an amount.")})
    fields: dict = {}
    if invoice.kind == Kind.CUSTOMER_INVOICE:
        take_invoiced(lines, source=DELIVERIES)
    elif invoice.kind == Kind.SUPPLIER_BILL:
        take_invoiced(lines, source=RECEIPTS)
        rematch(invoice, lines)
    else:
        fields["amount_allocated"] = apply_credit_note(invoice, lines)
    ours, theirs = company_vat_party(), partner_vat_party(partner)
    buyer, seller = (theirs, ours) if invoice.is_customer_side else (ours, theirs)
    for prefix, party in (("buyer", buyer), ("seller", seller)):
        for name, value in party.items():
            fields[f"{prefix}_{name}"] = value[
                : Invoice._meta.get_field(f"{prefix}_{name}").max_length
            ]
    invoice.partner = partner
    entry = journal_entry_post_lines(
        journal_code="SAL" if invoice.is_customer_side else "PUR",
        date=invoice.date,
        memo=f"{invoice.number} {partner.name}"[:255],
        lines=posting_lines(invoice, lines),
        source_type=SOURCE_TYPE,
        source_id=invoice.pk,
        source_event_id=None,
        actor=actor,
    )
    fields["journal_entry"] = entry
    _value_adjust(invoice, lines, actor=actor)
    store(invoice, **fields)
    mark_approved(invoice, actor=actor)
    if invoice.kind == Kind.CUSTOMER_INVOICE:
        publish(
            topic=topics.invoice_posted,
            payload={
                "invoice_id": invoice.pk,
                "partner_id": invoice.partner_id,
                "amount": str(invoice.gross_amount),
                "due_date": invoice.due_date.isoformat(),
            },
        )
    elif invoice.kind == Kind.CUSTOMER_CREDIT_NOTE:
        publish(
            topic=topics.credit_note_posted,
            payload={
                "credit_note_id": invoice.pk,
                "invoice_id": invoice.credit_note_of_id,
                "partner_id": invoice.partner_id,
                "amount": str(invoice.gross_amount),
            },
        )
    return invoice


@transaction.atomic
def invoice_unapprove(
    *,
    invoice: Invoice,
    actor: User | None,
    expected_revision: int | None = None,
    date: dt.date | None = None,
) -> Invoice:
    """Take the posting back (反审核): reverse the journal entry (dated ``date``, by default
    today) and give the invoiced or billed quantities back; the document is saved again. A
    customer invoice or credit note publishes ``erp.invoice_unposted``.

    Refused while a payment is allocated to it or a credit note was made from it.
    """
    invoice = document_lock(invoice)
    require_status(invoice, APPROVED, action=_("unposted"))
    require_revision(invoice, expected_revision)
    payment = Payment.objects.filter(allocations__invoice=invoice).order_by("pk").first()
    if payment is not None:
        raise Conflict(
            _("%(document)s is settled by payment %(payment)s: remove the allocation first.")
            % {"document": invoice.number, "payment": payment.number},
            code="has_downstream",
        )
    refuse_if_downstream(
        invoice,
        Invoice.objects.filter(credit_note_of=invoice).exclude(status=Invoice.Status.VOIDED),
        action=_("unposted"),
    )
    lines = list(
        invoice.lines.select_related(
            "item",
            "credited_line__receipt_line__stock_move__warehouse",
            "receipt_line__stock_move__warehouse",
        )
    )
    _value_adjust(invoice, lines, actor=actor, undo=True, day=date or timezone.localdate())
    if invoice.kind == Kind.CUSTOMER_INVOICE:
        take_invoiced(lines, source=DELIVERIES, give_back=True)
    elif invoice.kind == Kind.SUPPLIER_BILL:
        take_invoiced(lines, source=RECEIPTS, give_back=True)
    elif invoice.amount_allocated:
        original = Invoice.objects.select_for_update().get(pk=invoice.credit_note_of_id)
        Invoice.objects.filter(pk=original.pk).update(
            amount_allocated=F("amount_allocated") - invoice.amount_allocated
        )
    reverse_entry(entry=invoice.journal_entry, actor=actor, date=date)
    store(invoice, journal_entry=None, amount_allocated=Decimal("0.00"))
    mark_unapproved(invoice)
    if invoice.is_customer_side:
        publish(
            topic=topics.invoice_unposted,
            payload={"invoice_id": invoice.pk, "partner_id": invoice.partner_id},
        )
    return invoice


@transaction.atomic
def invoice_void(
    *, invoice: Invoice, actor: User | None, reason: str, expected_revision: int | None = None
) -> Invoice:
    """Void (作废) a saved document with a reason; it keeps its number for the record."""
    invoice = document_lock(invoice)
    require_status(invoice, DRAFT, action=_("voided"))
    require_revision(invoice, expected_revision)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the document is voided.")})
    mark_voided(invoice, actor=actor, reason=reason)
    return invoice
