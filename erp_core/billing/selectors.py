"""Reads of billing: invoices and payments lists, open items, aging and partner statements.

Used by the views, the API, the services and the reconcile checks alike; list querysets carry
their related rows so that a list never issues a query per row, and the reports aggregate in
the database (grouped queries, never a query per partner).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.templatetags.numbers import out_of_range
from erp_core.billing.models import Invoice, InvoiceLine, Payment, PaymentAllocation
from erp_core.documents.sources import source_label
from erp_core.documents.words import amount_in_words
from erp_core.ledger.money import ZERO, money
from erp_core.ledger.selectors import company_settings
from erp_core.models import Partner
from erp_core.purchasing.models import PurchaseReceipt, PurchaseReceiptLine
from erp_core.sales.models import Delivery, DeliveryLine, SalesOrder
from erp_core.stock.models import StockMove

AMOUNT = DecimalField(max_digits=20, decimal_places=2)
RECEIVABLE = "receivable"
PAYABLE = "payable"
SIDES = (RECEIVABLE, PAYABLE)

# --- Invoices ----------------------------------------------------------------------------------


def invoice_kinds_for(*, side: str) -> tuple[str, ...]:
    """The kinds of document of the receivable or payable side."""
    return Invoice.CUSTOMER_KINDS if side == RECEIVABLE else Invoice.SUPPLIER_KINDS


def partner_visible_kinds(partner: Partner) -> tuple[str, ...]:
    """What a partner's own user may see: a customer its invoices and credit notes, a supplier
    its bills and credit notes, a partner that is both all four."""
    kinds: tuple[str, ...] = ()
    if partner.is_customer:
        kinds += Invoice.CUSTOMER_KINDS
    if partner.is_supplier:
        kinds += Invoice.SUPPLIER_KINDS
    return kinds


def partner_visible_directions(partner: Partner) -> tuple[str, ...]:
    """A customer sees the payments it made to us (received), a supplier those we made to it."""
    directions: tuple[str, ...] = ()
    if partner.is_customer:
        directions += (Payment.Direction.RECEIVED,)
    if partner.is_supplier:
        directions += (Payment.Direction.MADE,)
    return directions


def invoice_list(
    *,
    kinds: tuple[str, ...] | None = None,
    status: str | None = None,
    partner: Partner | int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    search: str = "",
    open_only: bool = False,
) -> QuerySet[Invoice]:
    """Invoices newest first with their partner and journal entry; filtered as asked."""
    qs = Invoice.objects.select_related(
        "partner", "credit_note_of", "journal_entry", "created_by"
    ).order_by("-date", "-id")
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if status:
        qs = qs.filter(status=status)
    if partner:
        qs = qs.filter(partner=partner)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if search:
        qs = qs.filter(
            Q(number__icontains=search)
            | Q(supplier_invoice_number__icontains=search)
            | Q(partner__name__icontains=search)
            | Q(partner__code__icontains=search)
            | Q(memo__icontains=search)
        )
    if open_only:
        qs = qs.filter(status=Invoice.Status.APPROVED, amount_allocated__lt=F("gross_amount"))
    return qs


def invoice_detail_list() -> QuerySet[Invoice]:
    """Invoices with their lines (item, unit, VAT code, source lines) and allocations."""
    lines = InvoiceLine.objects.select_related(
        "item__unit",
        "tax_code",
        "account",
        "delivery_line__delivery",
        "receipt_line__receipt__purchase_order",
        "credited_line",
    ).order_by("line_no")
    allocations = PaymentAllocation.objects.select_related("payment").order_by("id")
    return Invoice.objects.select_related(
        "partner", "credit_note_of", "journal_entry", "created_by", "approved_by", "voided_by"
    ).prefetch_related(
        Prefetch("lines", queryset=lines), Prefetch("allocations", queryset=allocations)
    )


def invoice_credit_notes(invoice: Invoice) -> QuerySet[Invoice]:
    """The credit notes made from ``invoice``, oldest first."""
    return Invoice.objects.filter(credit_note_of=invoice).order_by("date", "id")


def company_vat_party() -> dict[str, str]:
    """Our own VAT invoice fields, from the company settings: 名称, 纳税人识别号, 地址电话,
    开户行及账号."""
    company = company_settings()
    return {
        "name": company.name,
        "tax_id": company.tax_id,
        "address_phone": " ".join(part for part in (company.address, company.phone) if part),
        "bank": " ".join(part for part in (company.bank_name, company.bank_account) if part),
    }


def partner_vat_party(partner: Partner) -> dict[str, str]:
    """A partner's VAT invoice fields: 名称 (invoice title or name), 纳税人识别号, 地址电话,
    开户行及账号."""
    return {
        "name": partner.invoice_title or partner.name,
        "tax_id": partner.tax_id,
        "address_phone": partner.invoice_address_phone or partner.phone,
        "bank": " ".join(part for part in (partner.bank_name, partner.bank_account) if part),
    }


def credited_quantities(invoice: Invoice) -> dict[int, Decimal]:
    """Per line of ``invoice``, the quantity its posted credit notes have credited."""
    return dict(
        InvoiceLine.objects.filter(
            credited_line__invoice=invoice, invoice__status=Invoice.Status.APPROVED
        )
        .values("credited_line_id")
        .annotate(total=Sum("quantity"))
        .order_by()
        .values_list("credited_line_id", "total")
    )


@dataclass(frozen=True)
class VatParty:
    """One side of a VAT invoice: 名称, 纳税人识别号, 地址电话, 开户行及账号."""

    name: str
    tax_id: str
    address_phone: str
    bank: str


def vat_parties(invoice: Invoice) -> tuple[VatParty, VatParty]:
    """(buyer 购买方, seller 销售方): as copied at posting, or as they stand for a draft."""
    if invoice.status == Invoice.Status.APPROVED or invoice.buyer_name:
        buyer = VatParty(
            invoice.buyer_name,
            invoice.buyer_tax_id,
            invoice.buyer_address_phone,
            invoice.buyer_bank,
        )
        seller = VatParty(
            invoice.seller_name,
            invoice.seller_tax_id,
            invoice.seller_address_phone,
            invoice.seller_bank,
        )
        return buyer, seller
    ours = VatParty(**company_vat_party())
    theirs = VatParty(**partner_vat_party(invoice.partner))
    return (theirs, ours) if invoice.is_customer_side else (ours, theirs)


def gross_in_words(invoice: Invoice) -> str:
    """价税合计 in capital numerals (大写); a credit note's is negative; the out-of-range
    marker for a stored amount too large to be one."""
    amount = -invoice.gross_amount if invoice.is_credit_note else invoice.gross_amount
    try:
        return amount_in_words(amount)
    except ValueError:  # an amount beyond any column: a row written before the bounds
        return out_of_range()


def uninvoiced_delivery_lines(*, partner: Partner) -> QuerySet[DeliveryLine]:
    """Shipped delivery lines of a customer with a quantity not yet invoiced."""
    return (
        DeliveryLine.objects.filter(
            delivery__customer=partner,
            delivery__status=Delivery.Status.APPROVED,
            invoiced_quantity__lt=F("quantity"),
        )
        .select_related("delivery__sales_order", "sales_order_line", "item__unit")
        .order_by("delivery__date", "delivery_id", "line_no")
    )


def unbilled_receipt_lines(*, partner: Partner) -> QuerySet[PurchaseReceiptLine]:
    """Received receipt lines of a supplier with a quantity not yet billed."""
    return (
        PurchaseReceiptLine.objects.filter(
            receipt__supplier=partner,
            receipt__status=PurchaseReceipt.Status.APPROVED,
            billed_quantity__lt=F("quantity"),
        )
        .select_related("receipt__purchase_order", "order_line", "item__unit")
        .order_by("receipt__date", "receipt_id", "line_no")
    )


# --- Payments ----------------------------------------------------------------------------------


def payment_list(
    *,
    direction: str | None = None,
    status: str | None = None,
    partner: Partner | int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    search: str = "",
) -> QuerySet[Payment]:
    """Payments newest first with their partner and bank account; filtered as asked."""
    qs = Payment.objects.select_related("partner", "bank_account", "journal_entry").order_by(
        "-date", "-id"
    )
    if direction:
        qs = qs.filter(direction=direction)
    if status:
        qs = qs.filter(status=status)
    if partner:
        qs = qs.filter(partner=partner)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if search:
        qs = qs.filter(
            Q(number__icontains=search)
            | Q(reference__icontains=search)
            | Q(partner__name__icontains=search)
            | Q(partner__code__icontains=search)
        )
    return qs


def payment_detail_list() -> QuerySet[Payment]:
    """Payments with their allocations (and each allocation's invoice)."""
    allocations = PaymentAllocation.objects.select_related("invoice").order_by("id")
    return Payment.objects.select_related(
        "partner", "bank_account", "journal_entry", "created_by", "approved_by", "voided_by"
    ).prefetch_related(Prefetch("allocations", queryset=allocations))


def open_invoices_for(payment: Payment) -> QuerySet[Invoice]:
    """The posted invoices (or bills) with an open amount the payment may settle."""
    kind = (
        Invoice.Kind.CUSTOMER_INVOICE
        if payment.direction == Payment.Direction.RECEIVED
        else Invoice.Kind.SUPPLIER_BILL
    )
    return invoice_list(kinds=(kind,), partner=payment.partner_id, open_only=True).order_by(
        "due_date", "id"
    )


# --- Aging -------------------------------------------------------------------------------------

#: The buckets of days past the due date; a document not yet due counts in the first.
BUCKETS = (
    ("current", gettext_lazy("0-30")),
    ("days_31_60", gettext_lazy("31-60")),
    ("days_61_90", gettext_lazy("61-90")),
    ("over_90", gettext_lazy("90+")),
)


@dataclass
class AgingRow:
    """A partner's open items by days past due, less its unapplied cash."""

    partner_id: int
    partner_code: str
    partner_name: str
    current: Decimal = ZERO
    days_31_60: Decimal = ZERO
    days_61_90: Decimal = ZERO
    over_90: Decimal = ZERO
    unapplied: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        """What the partner owes (receivable) or is owed (payable), net of unapplied cash."""
        return self.current + self.days_31_60 + self.days_61_90 + self.over_90 - self.unapplied


@dataclass
class AgingReport:
    """The aging of receivables or payables on a date, one row per partner, with totals."""

    side: str
    as_of: dt.date
    rows: list[AgingRow] = field(default_factory=list)
    totals: AgingRow | None = None


def _settled_by(as_of: dt.date) -> Subquery:
    """Per invoice, what payments dated up to ``as_of`` settle of it (an allocation counts from
    its payment's date, as the payment's entry does in the ledger)."""
    return Subquery(
        PaymentAllocation.objects.filter(
            invoice=OuterRef("pk"),
            payment__status=Payment.Status.APPROVED,
            payment__date__lte=as_of,
        )
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total"),
        output_field=AMOUNT,
    )


def _credited_by(as_of: dt.date) -> Subquery:
    """Per invoice, what its credit notes dated up to ``as_of`` took off it."""
    return Subquery(
        Invoice.objects.filter(
            credit_note_of=OuterRef("pk"), status=Invoice.Status.APPROVED, date__lte=as_of
        )
        .values("credit_note_of")
        .annotate(total=Sum("amount_allocated"))
        .values("total"),
        output_field=AMOUNT,
    )


def _days_before(day: dt.date, days: int) -> dt.date:
    """``day`` less ``days`` days, no earlier than the first date there is."""
    return (
        day - dt.timedelta(days=days)
        if day > dt.date.min + dt.timedelta(days=days)
        else dt.date.min
    )


def aging(*, kind: str, as_of: dt.date) -> AgingReport:
    """Posted documents dated up to ``as_of`` with what was open of them on that date, per
    partner, in buckets of days past due: 0-30 (also not yet due), 31-60, 61-90, 90+; credit
    notes count negative (in the bucket of their date); the cash of posted payments dated up to
    ``as_of`` not allocated to documents of then is a column of its own, deducted in the total.

    So a past date shows that day's aging, and each partner's total equals its receivable (or
    payable) account in the ledger on that date. Documents are taken in their current status:
    one posted then and unposted since is left out. Two grouped queries.
    """
    side = kind
    if side not in SIDES:
        raise ValueError(f"Unknown side {side!r}")
    d30, d60, d90 = (_days_before(as_of, days) for days in (30, 60, 90))
    open_then = Case(
        # A credit note settles its original when it is posted, on its own date.
        When(kind__in=Invoice.CREDIT_NOTE_KINDS, then=F("amount_allocated") - F("gross_amount")),
        default=F("gross_amount")
        - Coalesce(_settled_by(as_of), Value(ZERO))
        - Coalesce(_credited_by(as_of), Value(ZERO)),
        output_field=AMOUNT,
    )
    bucket_filters = {
        "current": Q(due_date__gte=d30),
        "days_31_60": Q(due_date__lt=d30, due_date__gte=d60),
        "days_61_90": Q(due_date__lt=d60, due_date__gte=d90),
        "over_90": Q(due_date__lt=d90),
    }
    invoices = (
        Invoice.objects.filter(
            kind__in=invoice_kinds_for(side=side),
            status=Invoice.Status.APPROVED,
            date__lte=as_of,
        )
        .annotate(open_then=open_then)
        .exclude(open_then=0)
        .values("partner_id", "partner__code", "partner__name")
        .annotate(
            **{
                name: Coalesce(Sum("open_then", filter=condition), Value(ZERO), output_field=AMOUNT)
                for name, condition in bucket_filters.items()
            }
        )
        .order_by()
    )
    direction = Payment.Direction.RECEIVED if side == RECEIVABLE else Payment.Direction.MADE
    # What a payment settles of documents dated after ``as_of`` was still unapplied then.
    allocated_then = Subquery(
        PaymentAllocation.objects.filter(payment=OuterRef("pk"), invoice__date__lte=as_of)
        .values("payment")
        .annotate(total=Sum("amount"))
        .values("total"),
        output_field=AMOUNT,
    )
    payments = (
        Payment.objects.filter(direction=direction, status=Payment.Status.APPROVED, date__lte=as_of)
        .annotate(unapplied_then=F("amount") - Coalesce(allocated_then, Value(ZERO)))
        .exclude(unapplied_then=0)
        .values("partner_id", "partner__code", "partner__name")
        .annotate(unapplied=Sum("unapplied_then", output_field=AMOUNT))
        .order_by()
    )
    rows: dict[int, AgingRow] = {}

    def row_for(values: dict) -> AgingRow:
        pk = values["partner_id"]
        if pk not in rows:
            rows[pk] = AgingRow(pk, values["partner__code"], values["partner__name"])
        return rows[pk]

    for values in invoices:
        row = row_for(values)
        for name in bucket_filters:
            setattr(row, name, money(values[name]))
    for values in payments:
        row_for(values).unapplied = money(values["unapplied"])
    ordered = sorted(rows.values(), key=lambda row: row.partner_code)
    totals = AgingRow(0, "", _("Total"))
    for row in ordered:
        for name in (*bucket_filters, "unapplied"):
            setattr(totals, name, getattr(totals, name) + getattr(row, name))
    return AgingReport(side=side, as_of=as_of, rows=ordered, totals=totals)


# --- Statements --------------------------------------------------------------------------------


@dataclass
class StatementLine:
    """One document on a statement: what it adds to or takes from the balance, and after."""

    date: dt.date
    kind: str
    kind_label: str
    number: str
    reference: str
    due_date: dt.date | None
    increase: Decimal
    decrease: Decimal
    balance: Decimal
    document_type: str
    document_id: int


@dataclass
class Statement:
    """A partner's statement of account (对账单) over a date range."""

    partner: Partner
    side: str
    date_from: dt.date
    date_to: dt.date
    opening: Decimal = ZERO
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def total_increase(self) -> Decimal:
        """What the documents of the range added."""
        return sum((line.increase for line in self.lines), ZERO)

    @property
    def total_decrease(self) -> Decimal:
        """What the documents of the range took away."""
        return sum((line.decrease for line in self.lines), ZERO)

    @property
    def closing(self) -> Decimal:
        """The balance at the end of the range: opening + increases − decreases."""
        return self.opening + self.total_increase - self.total_decrease


def default_side(partner: Partner) -> str:
    """Receivable for a customer (or a partner that is both), payable for a supplier."""
    return RECEIVABLE if partner.is_customer else PAYABLE


def partner_sides(partner: Partner) -> tuple[str, ...]:
    """The sides a partner has with us: receivable as a customer, payable as a supplier."""
    sides: tuple[str, ...] = ()
    if partner.is_customer:
        sides += (RECEIVABLE,)
    if partner.is_supplier:
        sides += (PAYABLE,)
    return sides


def statement(
    *, partner: Partner, date_from: dt.date, date_to: dt.date, kind: str | None = None
) -> Statement:
    """The posted documents of a partner on one side, with a running balance.

    Receivable: invoices add, credit notes and payments received take away (the balance is what
    the customer owes). Payable: bills add, credit notes and payments made take away (what we
    owe the supplier). The opening balance sums everything dated before ``date_from``.
    """
    side = kind or default_side(partner)
    if side not in SIDES:
        raise ValueError(f"Unknown side {side!r}")
    kinds = invoice_kinds_for(side=side)
    direction = Payment.Direction.RECEIVED if side == RECEIVABLE else Payment.Direction.MADE
    signed_gross = Case(
        When(kind__in=Invoice.CREDIT_NOTE_KINDS, then=-F("gross_amount")),
        default=F("gross_amount"),
        output_field=AMOUNT,
    )
    invoices = Invoice.objects.filter(
        partner=partner, kind__in=kinds, status=Invoice.Status.APPROVED
    )
    payments = Payment.objects.filter(
        partner=partner, direction=direction, status=Payment.Status.APPROVED
    )
    opening = money(
        invoices.filter(date__lt=date_from).aggregate(total=Sum(signed_gross))["total"]
    ) - money(payments.filter(date__lt=date_from).aggregate(total=Sum("amount"))["total"])
    result = Statement(partner=partner, side=side, date_from=date_from, date_to=date_to)
    result.opening = opening
    entries = []
    for invoice in invoices.filter(date__gte=date_from, date__lte=date_to).order_by("date", "id"):
        credit = invoice.is_credit_note
        entries.append(
            (
                invoice.date,
                0,
                invoice.pk,
                {
                    "kind": invoice.kind,
                    "kind_label": invoice.get_kind_display(),
                    "number": invoice.number,
                    "reference": invoice.supplier_invoice_number or invoice.memo,
                    "due_date": None if credit else invoice.due_date,
                    "increase": ZERO if credit else invoice.gross_amount,
                    "decrease": invoice.gross_amount if credit else ZERO,
                    "document_type": "invoice",
                    "document_id": invoice.pk,
                },
            )
        )
    for payment in payments.filter(date__gte=date_from, date__lte=date_to).order_by("date", "id"):
        entries.append(
            (
                payment.date,
                1,
                payment.pk,
                {
                    "kind": f"payment_{payment.direction}",
                    "kind_label": _("Payment %(direction)s")
                    % {"direction": payment.get_direction_display().lower()},
                    "number": payment.number,
                    "reference": payment.reference or payment.memo,
                    "due_date": None,
                    "increase": ZERO,
                    "decrease": payment.amount,
                    "document_type": "payment",
                    "document_id": payment.pk,
                },
            )
        )
    balance = opening
    for day, _order, _pk, values in sorted(entries, key=lambda entry: entry[:3]):
        balance += values["increase"] - values["decrease"]
        result.lines.append(StatementLine(date=day, balance=balance, **values))
    return result


# --- A sales order's invoices and payments ------------------------------------------------------


@dataclass(frozen=True)
class OrderDocument:
    """An invoice or credit note with lines of a sales order: the order's part of its gross
    amount and of what payments settled (signed: a credit note counts against the order)."""

    invoice: Invoice
    amount: Decimal
    paid: Decimal

    @property
    def counts(self) -> bool:
        """Posted: a saved document is listed, not counted."""
        return self.invoice.status == Invoice.Status.APPROVED


@dataclass(frozen=True)
class OrderBilling:
    """How far a sales order is invoiced and paid, with the documents and payments behind it."""

    ordered: Decimal
    documents: list[OrderDocument]
    payments: list[Payment]

    @property
    def invoiced(self) -> Decimal:
        """Posted invoices less posted credit notes (the order's lines on them, incl. VAT)."""
        return sum((doc.amount for doc in self.documents if doc.counts), ZERO)

    @property
    def paid(self) -> Decimal:
        """What posted payments settled of those documents (the order's part)."""
        return sum((doc.paid for doc in self.documents if doc.counts), ZERO)

    @property
    def open(self) -> Decimal:
        """Invoiced and not paid yet."""
        return self.invoiced - self.paid

    @property
    def to_invoice(self) -> Decimal:
        """Ordered and not invoiced yet (never below zero)."""
        return max(self.ordered - self.invoiced, ZERO)


def sales_order_billing(*, order: SalesOrder, ordered: Decimal) -> OrderBilling:
    """The invoices and credit notes with lines of ``order`` (voided ones left out) and the
    posted payments settling them: two queries, whatever the number of documents.

    An invoice may bill several orders' deliveries: the order's part of what was paid is the
    paid amount in the proportion of the order's lines to the invoice's gross amount.
    """
    lines = (
        InvoiceLine.objects.filter(
            Q(
                invoice__kind=Invoice.Kind.CUSTOMER_INVOICE,
                delivery_line__delivery__sales_order=order,
            )
            | Q(
                invoice__kind=Invoice.Kind.CUSTOMER_CREDIT_NOTE,
                credited_line__delivery_line__delivery__sales_order=order,
            )
        )
        .exclude(invoice__status=Invoice.Status.VOIDED)
        .select_related("invoice")
        .order_by("invoice__date", "invoice_id", "pk")
    )
    invoices: dict[int, Invoice] = {}
    parts: dict[int, Decimal] = {}
    for line in lines:
        invoices.setdefault(line.invoice_id, line.invoice)
        parts[line.invoice_id] = parts.get(line.invoice_id, ZERO) + line.gross_amount
    settled: dict[int, Decimal] = {}
    payments: dict[int, Payment] = {}
    allocations = (
        PaymentAllocation.objects.filter(
            invoice_id__in=list(invoices), payment__status=Payment.Status.APPROVED
        )
        .select_related("payment")
        .order_by("payment__date", "payment_id")
    )
    for allocation in allocations:
        settled[allocation.invoice_id] = (
            settled.get(allocation.invoice_id, ZERO) + allocation.amount
        )
        payments.setdefault(allocation.payment_id, allocation.payment)
    documents = []
    for pk, invoice in invoices.items():
        part, paid = parts[pk], settled.get(pk, ZERO)
        if invoice.gross_amount and part != invoice.gross_amount:
            paid = money(paid * part / invoice.gross_amount)
        sign = -1 if invoice.is_credit_note else 1
        documents.append(OrderDocument(invoice=invoice, amount=sign * part, paid=sign * paid))
    return OrderBilling(ordered=ordered, documents=documents, payments=list(payments.values()))


# --- Goods received not billed (GR/IR) ---------------------------------------------------------


@dataclass(frozen=True)
class UnbilledReceipt:
    """A stocked receipt line whose value received is not (all) billed yet, as of a day."""

    receipt_id: int | None  # None: a stock receipt booked without a purchase receipt
    receipt_number: str
    receipt_date: dt.date
    supplier: str
    line_no: int
    item_code: str
    quantity: Decimal
    received_value: Decimal  # what the receipt credited to 1401 材料采购
    billed_value: Decimal  # what the posted bills debited to 1401 at the order's price
    unbilled_value: Decimal


def _billed_on(as_of: dt.date | None) -> Subquery:
    """The 1401 value posted bills cleared of a receipt line (at the order's price)."""
    lines = InvoiceLine.objects.filter(
        receipt_line=OuterRef("pk"),
        invoice__kind=Invoice.Kind.SUPPLIER_BILL,
        invoice__status=Invoice.Status.APPROVED,
    )
    if as_of is not None:
        lines = lines.filter(invoice__date__lte=as_of)
    return Subquery(
        lines.values("receipt_line").annotate(total=Sum("order_amount")).values("total")[:1],
        output_field=AMOUNT,
    )


def receipts_not_billed(*, as_of: dt.date | None = None) -> list[UnbilledReceipt]:
    """Goods received not billed (暂估): per stocked receipt line, what it credited to the GR/IR
    account (1401 材料采购) and what posted bills cleared of it, as of ``as_of`` (all when
    ``None``); only lines with something left. One query.

    A service line posts nothing on receipt (its bill goes to an expense), so it is not here;
    nor does a supplier's credit note reopen a receipt (it lowers the goods' cost).
    """
    qs = PurchaseReceiptLine.objects.filter(
        receipt__status=PurchaseReceipt.Status.APPROVED, stock_move__isnull=False
    )
    if as_of is not None:
        qs = qs.filter(receipt__date__lte=as_of)
    rows = (
        qs.annotate(billed=Coalesce(_billed_on(as_of), Value(ZERO), output_field=AMOUNT))
        .select_related("receipt__supplier", "item", "stock_move")
        .order_by("receipt__date", "receipt_id", "line_no")
    )
    result = []
    for row in rows:
        move = row.stock_move
        received = money(move.receipt_value if move.receipt_value is not None else move.value)
        billed = money(Decimal(str(row.billed)))
        if received == billed:
            continue
        result.append(
            UnbilledReceipt(
                receipt_id=row.receipt_id,
                receipt_number=row.receipt.number,
                receipt_date=row.receipt.date,
                supplier=str(row.receipt.supplier),
                line_no=row.line_no,
                item_code=row.item.code,
                quantity=row.quantity - row.billed_quantity,
                received_value=received,
                billed_value=billed,
                unbilled_value=received - billed,
            )
        )
    # A receipt booked straight into stock, with no purchase receipt behind it, credited 1401
    # all the same: it is goods received that no bill will clear, and listed as such.
    loose = StockMove.objects.filter(reason=StockMove.Reason.RECEIPT).filter(
        ~Exists(PurchaseReceiptLine.objects.filter(stock_move=OuterRef("pk")))
    )
    if as_of is not None:
        loose = loose.filter(moved_at__date__lte=as_of)
    for move in loose.select_related("item").order_by("moved_at", "pk"):
        received = money(move.receipt_value if move.receipt_value is not None else move.value)
        if not received:
            continue
        result.append(
            UnbilledReceipt(
                receipt_id=None,
                receipt_number=source_label(move.source_type, move.source_id)
                or f"StockMove #{move.pk}",
                receipt_date=timezone.localdate(move.moved_at),
                supplier="",
                line_no=0,
                item_code=move.item.code,
                quantity=move.quantity,
                received_value=received,
                billed_value=ZERO,
                unbilled_value=received,
            )
        )
    return result
