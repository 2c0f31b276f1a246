"""Invoices, supplier bills, credit notes, payments and their allocations.

One ``Invoice`` model carries the four kinds of billing document: customer invoices (made from
deliveries: what shipped is what is billed), customer credit notes, supplier bills (matched
three ways against the purchase order's price and the received quantity) and supplier credit
notes. Amounts are stored positive on every kind; a credit note counts negative in balances.

A ``Payment`` is cash received from a customer or paid to a supplier; ``PaymentAllocation``
rows settle it against one or more posted invoices or bills. ``Invoice.amount_allocated`` and
``Payment.amount_allocated`` are kept by the services, so the open amount of a document and the
unapplied cash of a payment read without summing.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from common.limits import AMOUNT_LIMITS
from erp_core.documents.models import MONEY, PRICE, AmountLine, Document

ZERO = Decimal("0.00")


class Invoice(Document):
    """A customer invoice, a supplier bill, or a credit note of either (发票 / 账单 / 红字发票).

    Saved (draft, editable) → posted by approval (审核: journal entry, quantities invoiced or
    billed) → back to saved (反审核) while nothing was allocated to it and no credit note was
    made from it → voided (作废) from saved only. The buyer's and seller's VAT invoice fields
    are copied at posting, so that a print never changes when the partner is edited later.
    """

    class Kind(models.TextChoices):
        CUSTOMER_INVOICE = "customer_invoice", _("Customer invoice")
        CUSTOMER_CREDIT_NOTE = "customer_credit_note", _("Customer credit note")
        SUPPLIER_BILL = "supplier_bill", _("Supplier bill")
        SUPPLIER_CREDIT_NOTE = "supplier_credit_note", _("Supplier credit note")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Saved")
        APPROVED = "approved", _("Posted")
        VOIDED = "voided", _("Voided")

    class MatchStatus(models.TextChoices):
        NONE = "", _("Not matched")
        MATCHED = "matched", _("Matched")
        PRICE_VARIANCE = "price_variance", _("Price variance")
        NO_RECEIPT = "no_receipt", _("No receipt")

    #: The number prefix of each kind.
    PREFIXES = {
        Kind.CUSTOMER_INVOICE: "IV",
        Kind.CUSTOMER_CREDIT_NOTE: "CN",
        Kind.SUPPLIER_BILL: "BL",
        Kind.SUPPLIER_CREDIT_NOTE: "BC",
    }
    CUSTOMER_KINDS = (Kind.CUSTOMER_INVOICE, Kind.CUSTOMER_CREDIT_NOTE)
    SUPPLIER_KINDS = (Kind.SUPPLIER_BILL, Kind.SUPPLIER_CREDIT_NOTE)
    CREDIT_NOTE_KINDS = (Kind.CUSTOMER_CREDIT_NOTE, Kind.SUPPLIER_CREDIT_NOTE)

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    WAITING_ON = {
        Status.DRAFT: _("Waiting for finance to post"),
    }
    partner = models.ForeignKey(
        "erp_core.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    due_date = models.DateField(_("due date"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    credit_note_of = models.ForeignKey(
        "self",
        verbose_name=_("credit note of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
    )
    supplier_invoice_number = models.CharField(
        _("supplier's invoice number"),
        max_length=64,
        blank=True,
        help_text=_("The supplier's own number of its invoice; unique per supplier."),
    )
    # The VAT invoice's parties (购买方 / 销售方), copied when the document is posted.
    buyer_name = models.CharField(_("buyer name"), max_length=200, blank=True, editable=False)
    buyer_tax_id = models.CharField(_("buyer tax id"), max_length=32, blank=True, editable=False)
    buyer_address_phone = models.CharField(
        _("buyer address and phone"), max_length=300, blank=True, editable=False
    )
    buyer_bank = models.CharField(
        _("buyer bank and account"), max_length=200, blank=True, editable=False
    )
    seller_name = models.CharField(_("seller name"), max_length=200, blank=True, editable=False)
    seller_tax_id = models.CharField(_("seller tax id"), max_length=32, blank=True, editable=False)
    seller_address_phone = models.CharField(
        _("seller address and phone"), max_length=300, blank=True, editable=False
    )
    seller_bank = models.CharField(
        _("seller bank and account"), max_length=200, blank=True, editable=False
    )
    net_amount = models.DecimalField(_("amount"), **MONEY, default=ZERO, editable=False)
    tax_amount = models.DecimalField(_("VAT"), **MONEY, default=ZERO, editable=False)
    gross_amount = models.DecimalField(_("amount incl. VAT"), **MONEY, default=ZERO, editable=False)
    amount_allocated = models.DecimalField(
        _("allocated"),
        **MONEY,
        default=ZERO,
        editable=False,
        help_text=_("Settled by payments (and, on an invoice, by its posted credit notes)."),
    )
    match_status = models.CharField(
        _("three-way match"),
        max_length=16,
        choices=MatchStatus.choices,
        blank=True,
        default=MatchStatus.NONE,
        editable=False,
    )
    journal_entry = models.ForeignKey(
        "ledger.JournalEntry",
        verbose_name=_("journal entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta(Document.Meta):
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        permissions = [
            ("approve_invoice", _("Can post (approve) and unpost invoices and bills")),
            ("void_invoice", _("Can void invoices and bills")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "customer_invoice",
                        "customer_credit_note",
                        "supplier_bill",
                        "supplier_credit_note",
                    ]
                ),
                name="billing_invoice_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "approved", "voided"]),
                name="billing_invoice_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(net_amount__gte=0) & Q(tax_amount__gte=0) & Q(gross_amount__gte=0),
                name="billing_invoice_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_allocated__gte=0) & Q(amount_allocated__lte=F("gross_amount")),
                name="billing_invoice_allocated_within",
            ),
            models.CheckConstraint(
                condition=Q(credit_note_of__isnull=True)
                | Q(kind__in=["customer_credit_note", "supplier_credit_note"]),
                name="billing_invoice_only_credit_notes_credit",
            ),
            models.UniqueConstraint(
                fields=["partner", "kind", "supplier_invoice_number"],
                condition=~Q(supplier_invoice_number="") & ~Q(status="voided"),
                name="billing_invoice_supplier_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "kind", "status"], name="billing_invoice_partner_idx"),
            models.Index(fields=["due_date"], name="billing_invoice_due_idx"),
        ]

    @property
    def is_credit_note(self) -> bool:
        """A credit note (红字): it reduces what the partner owes or is owed."""
        return self.kind in self.CREDIT_NOTE_KINDS

    @property
    def is_customer_side(self) -> bool:
        """A receivable document (customer invoice or credit note)."""
        return self.kind in self.CUSTOMER_KINDS

    @property
    def is_supplier_side(self) -> bool:
        """A payable document (supplier bill or credit note)."""
        return self.kind in self.SUPPLIER_KINDS

    @property
    def open_amount(self) -> Decimal:
        """What is still to be settled: gross less allocated (positive on every kind)."""
        return self.gross_amount - self.amount_allocated

    @property
    def signed_open_amount(self) -> Decimal:
        """The open amount as it counts in a balance: negative for a credit note."""
        return -self.open_amount if self.is_credit_note else self.open_amount

    @property
    def total_variance(self) -> Decimal:
        """The sum of the lines' price variances (bills; needs the lines loaded)."""
        return sum((line.variance_amount for line in self.lines.all()), ZERO)


class InvoiceLine(AmountLine):
    """A billed quantity at a price with its VAT.

    On the VAT invoice: 项目名称, 规格型号, 单位, 数量, 单价, 金额, 税率, 税额.

    A customer invoice's line comes from a delivery line or is free (a service, freight); a
    bill's line comes from a purchase receipt line (three-way matched) or is free; a credit
    note's line credits a line of the original document.
    """

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.CASCADE, related_name="lines"
    )
    delivery_line = models.ForeignKey(
        "sales.DeliveryLine",
        verbose_name=_("delivery line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_lines",
    )
    receipt_line = models.ForeignKey(
        "purchasing.PurchaseReceiptLine",
        verbose_name=_("receipt line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice_lines",
    )
    credited_line = models.ForeignKey(
        "self",
        verbose_name=_("credited line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_lines",
    )
    account = models.ForeignKey(
        "ledger.Account",
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A free line's revenue or cost account; empty: the posting rule's."),
    )
    order_unit_price = models.DecimalField(
        _("order unit price"),
        **PRICE,
        null=True,
        blank=True,
        help_text=_("The purchase order's net unit price (bills)."),
    )
    order_amount = models.DecimalField(
        _("order value"),
        **MONEY,
        default=ZERO,
        help_text=_("Billed quantity × the order's net unit price (bills)."),
    )
    variance_amount = models.DecimalField(
        _("price variance"),
        **MONEY,
        default=ZERO,
        help_text=_("Billed amount less the order value: above zero the supplier billed more."),
    )
    match_status = models.CharField(
        _("three-way match"),
        max_length=16,
        choices=Invoice.MatchStatus.choices,
        blank=True,
        default=Invoice.MatchStatus.NONE,
    )

    class Meta(AmountLine.Meta):
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "line_no"], name="billing_line_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="billing_line_qty_pos"),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0)
                & Q(net_amount__gte=0)
                & Q(tax_amount__gte=0)
                & Q(gross_amount__gte=0),
                name="billing_line_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(delivery_line__isnull=True) | Q(receipt_line__isnull=True),
                name="billing_line_one_source",
            ),
        ]

    @property
    def unit_name(self) -> str:
        """The item's unit (单位), for prints."""
        return self.item.unit.name if self.item_id and self.item.unit_id else ""


class Payment(Document):
    """Cash received from a customer (收款单) or paid to a supplier (付款单).

    Saved → posted by approval (journal entry on the bank account) → back to saved while it has
    no allocation → voided from saved. Allocations settle posted invoices or bills; what is not
    allocated is unapplied cash, which still counts in the partner's balance.
    """

    class Direction(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("payment direction", "Received")
        MADE = "made", pgettext_lazy("payment direction", "Made")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Saved")
        APPROVED = "approved", _("Posted")
        VOIDED = "voided", _("Voided")

    PREFIXES = {Direction.RECEIVED: "RC", Direction.MADE: "PY"}

    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, db_index=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    WAITING_ON = {
        Status.DRAFT: _("Waiting for finance to post"),
    }
    partner = models.ForeignKey(
        "erp_core.Partner",
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    amount = models.DecimalField(_("amount"), **MONEY, validators=AMOUNT_LIMITS)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    bank_account = models.ForeignKey(
        "ledger.Account",
        verbose_name=_("bank account"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reference = models.CharField(
        _("reference"), max_length=64, blank=True, help_text=_("The bank's reference.")
    )
    amount_allocated = models.DecimalField(_("allocated"), **MONEY, default=ZERO, editable=False)
    journal_entry = models.ForeignKey(
        "ledger.JournalEntry",
        verbose_name=_("journal entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta(Document.Meta):
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        permissions = [
            ("approve_payment", _("Can post (approve) and unpost payments")),
            ("void_payment", _("Can void payments")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=["received", "made"]),
                name="billing_payment_direction_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "approved", "voided"]),
                name="billing_payment_status_valid",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_payment_amount_pos"),
            models.CheckConstraint(
                condition=Q(amount_allocated__gte=0) & Q(amount_allocated__lte=F("amount")),
                name="billing_payment_allocated_within",
            ),
        ]
        indexes = [
            models.Index(
                fields=["partner", "direction", "status"], name="billing_payment_partner_idx"
            ),
        ]

    @property
    def unapplied_amount(self) -> Decimal:
        """Cash not yet allocated to any invoice or bill."""
        return self.amount - self.amount_allocated


class PaymentAllocation(models.Model):
    """Part of a payment settling a posted invoice or bill of the same partner.

    On a saved payment the allocation is planned; it settles the invoice when the payment is
    posted. On a posted payment it settles at once.
    """

    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), on_delete=models.CASCADE, related_name="allocations"
    )
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="allocations"
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        ordering = ["payment", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment", "invoice"], name="billing_allocation_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_allocation_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} → {self.invoice_id}: {self.amount}"
