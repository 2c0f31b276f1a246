"""Serializers of the billing API: a read serializer per resource, input serializers for writes.

Input serializers only validate shapes; the views hand ``validated_data`` to
``erp_core.billing.services``, where the rules live.
"""

from decimal import Decimal

from rest_framework import serializers

from common.serializers import AnswersWithReadSerializer, DecimalNumberField, ModelSerializer
from erp_core.api.permissions import is_partner_user
from erp_core.billing.models import Invoice, InvoiceLine, Payment, PaymentAllocation
from erp_core.billing.selectors import SIDES, gross_in_words
from erp_core.ledger.models import Account, FiscalPeriod
from erp_core.models import Item, Partner, TaxCode
from erp_core.purchasing.models import PurchaseReceiptLine
from erp_core.sales.models import DeliveryLine

QUANTITY = {"max_digits": 18, "decimal_places": 6, "min_value": Decimal("0.000001")}
PRICE = {"max_digits": 18, "decimal_places": 6, "min_value": Decimal("0")}
AMOUNT = {"max_digits": 18, "decimal_places": 2, "min_value": Decimal("0.01")}
MONEY = {"max_digits": 20, "decimal_places": 2}


# --- Invoices ----------------------------------------------------------------------------------


class InvoiceLineSerializer(ModelSerializer):
    """A line as the API shows it, with its source and (bills) its three-way match."""

    #: What a partner's user sees of a line: not the ledger account or the three-way match.
    partner_fields = (
        "id",
        "line_no",
        "item",
        "item_code",
        "description",
        "unit",
        "quantity",
        "unit_price",
        "discount_percent",
        "tax_code_code",
        "tax_rate",
        "net_amount",
        "tax_amount",
        "gross_amount",
        "delivery_line",
        "receipt_line",
        "credited_line",
    )

    item_code = serializers.CharField(source="item.code", read_only=True)
    unit = serializers.CharField(source="unit_name", read_only=True)
    tax_code_code = serializers.CharField(source="tax_code.code", read_only=True, default=None)
    account_code = serializers.CharField(source="account.code", read_only=True, default=None)

    class Meta:
        model = InvoiceLine
        fields = (
            "id",
            "line_no",
            "item",
            "item_code",
            "description",
            "unit",
            "quantity",
            "unit_price",
            "discount_percent",
            "tax_code",
            "tax_code_code",
            "tax_rate",
            "net_amount",
            "tax_amount",
            "gross_amount",
            "delivery_line",
            "receipt_line",
            "credited_line",
            "account",
            "account_code",
            "order_unit_price",
            "order_amount",
            "variance_amount",
            "match_status",
        )
        read_only_fields = fields


class InvoiceSerializer(ModelSerializer):
    """An invoice, bill or credit note with its lines, VAT parties, totals and open amount.

    A partner's user sees ``partner_fields``: not the journal entry, the internal memo or the
    three-way match status.
    """

    partner_fields = (
        "id",
        "number",
        "kind",
        "status",
        "partner",
        "partner_code",
        "partner_name",
        "date",
        "due_date",
        "currency",
        "credit_note_of",
        "credit_note_of_number",
        "supplier_invoice_number",
        "buyer_name",
        "buyer_tax_id",
        "buyer_address_phone",
        "buyer_bank",
        "seller_name",
        "seller_tax_id",
        "seller_address_phone",
        "seller_bank",
        "net_amount",
        "tax_amount",
        "gross_amount",
        "gross_in_words",
        "amount_allocated",
        "open_amount",
        "created_at",
        "approved_at",
        "lines",
    )

    partner_code = serializers.CharField(source="partner.code", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    credit_note_of_number = serializers.CharField(
        source="credit_note_of.number", read_only=True, default=None
    )
    journal_entry_number = serializers.CharField(
        source="journal_entry.number", read_only=True, default=None
    )
    open_amount = DecimalNumberField(read_only=True, **MONEY)
    gross_in_words = serializers.SerializerMethodField(
        help_text="The gross amount (net plus VAT) in capital numerals."
    )
    lines = InvoiceLineSerializer(many=True, read_only=True)

    class Meta:
        model = Invoice
        fields = (
            "id",
            "number",
            "kind",
            "status",
            "revision",
            "partner",
            "partner_code",
            "partner_name",
            "date",
            "due_date",
            "currency",
            "memo",
            "credit_note_of",
            "credit_note_of_number",
            "supplier_invoice_number",
            "buyer_name",
            "buyer_tax_id",
            "buyer_address_phone",
            "buyer_bank",
            "seller_name",
            "seller_tax_id",
            "seller_address_phone",
            "seller_bank",
            "net_amount",
            "tax_amount",
            "gross_amount",
            "gross_in_words",
            "amount_allocated",
            "open_amount",
            "match_status",
            "journal_entry",
            "journal_entry_number",
            "created_at",
            "approved_at",
            "voided_at",
            "void_reason",
            "lines",
        )
        read_only_fields = fields

    def get_gross_in_words(self, invoice: Invoice) -> str:
        """价税合计 (大写)."""
        return gross_in_words(invoice)


class InvoiceLineInputSerializer(serializers.Serializer):
    """A line to write: exactly one source — a delivery line (customer invoice), a receipt line
    (bill), a line of the credited document (credit note) or an item (a free line)."""

    delivery_line = serializers.PrimaryKeyRelatedField(
        queryset=DeliveryLine.objects.all(), required=False, allow_null=True
    )
    receipt_line = serializers.PrimaryKeyRelatedField(
        queryset=PurchaseReceiptLine.objects.all(), required=False, allow_null=True
    )
    credited_line = serializers.PrimaryKeyRelatedField(
        queryset=InvoiceLine.objects.all(), required=False, allow_null=True
    )
    item = serializers.PrimaryKeyRelatedField(
        queryset=Item.objects.all(), required=False, allow_null=True
    )
    description = serializers.CharField(max_length=255, required=False, allow_blank=True)
    quantity = DecimalNumberField(
        **QUANTITY, required=False, help_text="Default: what is left to invoice, bill or credit."
    )
    unit_price = DecimalNumberField(
        **PRICE, required=False, help_text="Bills: the supplier's price (default the order's)."
    )
    discount_percent = DecimalNumberField(
        max_digits=7, decimal_places=4, min_value=Decimal("0"), max_value=Decimal("100"),
        required=False,
    )  # fmt: skip
    tax_code = serializers.PrimaryKeyRelatedField(
        queryset=TaxCode.objects.all(), required=False, allow_null=True
    )
    account = serializers.PrimaryKeyRelatedField(
        queryset=Account.objects.all(), required=False, allow_null=True
    )

    def validate(self, attrs: dict) -> dict:
        """Exactly one source per line."""
        sources = [
            name
            for name in ("delivery_line", "receipt_line", "credited_line", "item")
            if attrs.get(name) is not None
        ]
        if len(sources) != 1:
            raise serializers.ValidationError(
                "Give exactly one of delivery_line, receipt_line, credited_line or item."
            )
        return {name: value for name, value in attrs.items() if value is not None}


class InvoiceWriteSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to save a document: an invoice or a bill (partner and lines), or a credit note of
    a posted one (``credit_note_of`` and optional lines — none credits everything left)."""

    read_serializer = InvoiceSerializer

    # The values only: the read serializer documents the labels (one enum per component).
    kind = serializers.ChoiceField(choices=Invoice.Kind.values)
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(), required=False, allow_null=True
    )
    credit_note_of = serializers.PrimaryKeyRelatedField(
        queryset=Invoice.objects.all(), required=False, allow_null=True
    )
    date = serializers.DateField()
    due_date = serializers.DateField(required=False, allow_null=True)
    memo = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    supplier_invoice_number = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default=""
    )
    lines = InvoiceLineInputSerializer(many=True, required=False)

    def validate(self, attrs: dict) -> dict:
        """A credit note names what it credits; any other kind its partner and lines."""
        if attrs["kind"] in Invoice.CREDIT_NOTE_KINDS:
            if attrs.get("credit_note_of") is None:
                raise serializers.ValidationError(
                    {"credit_note_of": "A credit note names the invoice or bill it credits."}
                )
        else:
            errors = {}
            if attrs.get("partner") is None:
                errors["partner"] = "This field is required."
            if not attrs.get("lines"):
                errors["lines"] = "A document has at least one line."
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class InvoiceUpdateSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to change a saved document; lines, when given, replace them all."""

    read_serializer = InvoiceSerializer

    revision = serializers.IntegerField(required=False, min_value=1)
    date = serializers.DateField(required=False)
    due_date = serializers.DateField(required=False)
    memo = serializers.CharField(max_length=255, required=False, allow_blank=True)
    supplier_invoice_number = serializers.CharField(max_length=64, required=False, allow_blank=True)
    lines = InvoiceLineInputSerializer(many=True, required=False, allow_empty=False)


# --- Payments ----------------------------------------------------------------------------------


class PaymentAllocationSerializer(ModelSerializer):
    """An allocation as the API shows it."""

    partner_fields = ("id", "invoice", "invoice_number", "amount", "created_at")

    invoice_number = serializers.CharField(source="invoice.number", read_only=True)

    class Meta:
        model = PaymentAllocation
        fields = ("id", "invoice", "invoice_number", "amount", "created_at")
        read_only_fields = fields


class PaymentSerializer(ModelSerializer):
    """A payment with its allocations and unapplied cash.

    A partner's user sees ``partner_fields``: not the company's bank account, the journal
    entry or the internal memo.
    """

    partner_fields = (
        "id",
        "number",
        "direction",
        "status",
        "partner",
        "partner_code",
        "partner_name",
        "date",
        "amount",
        "currency",
        "reference",
        "amount_allocated",
        "unapplied_amount",
        "created_at",
        "approved_at",
        "allocations",
    )

    partner_code = serializers.CharField(source="partner.code", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    bank_account_code = serializers.CharField(source="bank_account.code", read_only=True)
    journal_entry_number = serializers.CharField(
        source="journal_entry.number", read_only=True, default=None
    )
    # The values only, so that the schema does not merge it with the invoice's status enum.
    status = serializers.ChoiceField(choices=Payment.Status.values, read_only=True)
    unapplied_amount = DecimalNumberField(read_only=True, **MONEY)
    allocations = PaymentAllocationSerializer(many=True, read_only=True)

    class Meta:
        model = Payment
        fields = (
            "id",
            "number",
            "direction",
            "status",
            "revision",
            "partner",
            "partner_code",
            "partner_name",
            "date",
            "amount",
            "currency",
            "bank_account",
            "bank_account_code",
            "reference",
            "memo",
            "amount_allocated",
            "unapplied_amount",
            "journal_entry",
            "journal_entry_number",
            "created_at",
            "approved_at",
            "voided_at",
            "void_reason",
            "allocations",
        )
        read_only_fields = fields


class AllocationInputSerializer(serializers.Serializer):
    """Part of a payment for a posted invoice or bill of the same partner."""

    invoice = serializers.PrimaryKeyRelatedField(queryset=Invoice.objects.all())
    amount = DecimalNumberField(**AMOUNT)


class PaymentWriteSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to save a payment, with planned allocations."""

    read_serializer = PaymentSerializer

    direction = serializers.ChoiceField(choices=Payment.Direction.choices)
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    date = serializers.DateField()
    amount = DecimalNumberField(**AMOUNT)
    bank_account = serializers.PrimaryKeyRelatedField(
        queryset=Account.objects.all(), required=False, allow_null=True
    )
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    memo = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True)
    allocations = AllocationInputSerializer(many=True, required=False)


class PaymentUpdateSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to change a saved payment; allocations, when given, replace the planned ones."""

    read_serializer = PaymentSerializer

    revision = serializers.IntegerField(required=False, min_value=1)
    date = serializers.DateField(required=False)
    amount = DecimalNumberField(**AMOUNT, required=False)
    bank_account = serializers.PrimaryKeyRelatedField(
        queryset=Account.objects.all(), required=False
    )
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True)
    memo = serializers.CharField(max_length=255, required=False, allow_blank=True)
    allocations = AllocationInputSerializer(many=True, required=False)


class PaymentAllocateInputSerializer(serializers.Serializer):
    """Allocations to add to a payment."""

    allocations = AllocationInputSerializer(many=True, allow_empty=False)


class PaymentUnallocateInputSerializer(serializers.Serializer):
    """The invoice or bill whose allocation is taken back."""

    invoice = serializers.PrimaryKeyRelatedField(queryset=Invoice.objects.all())


# --- Reports -----------------------------------------------------------------------------------


class AgingQuerySerializer(serializers.Serializer):
    """Which side and on which date."""

    kind = serializers.ChoiceField(choices=SIDES, help_text="receivable or payable")
    as_of = serializers.DateField(required=False, help_text="Default: today.")


class AgingRowSerializer(serializers.Serializer):
    """A partner's open amounts by days past due."""

    partner_id = serializers.IntegerField()
    partner_code = serializers.CharField()
    partner_name = serializers.CharField()
    current = DecimalNumberField(**MONEY, help_text="0-30 days past due, or not yet due.")
    days_31_60 = DecimalNumberField(**MONEY)
    days_61_90 = DecimalNumberField(**MONEY)
    over_90 = DecimalNumberField(**MONEY)
    unapplied = DecimalNumberField(**MONEY, help_text="Unapplied cash, deducted.")
    total = DecimalNumberField(**MONEY)


class AgingSerializer(serializers.Serializer):
    """The aging of receivables or payables on a date."""

    kind = serializers.CharField(source="side")
    as_of = serializers.DateField()
    rows = AgingRowSerializer(many=True)
    totals = AgingRowSerializer()


class StatementQuerySerializer(serializers.Serializer):
    """Whose statement, which side and which range."""

    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all(), required=False)
    kind = serializers.ChoiceField(
        choices=SIDES, required=False, help_text="Default: receivable for a customer."
    )
    date_from = serializers.DateField()
    date_to = serializers.DateField()

    def __init__(self, *args, **kwargs) -> None:
        """A partner user may name only its own partner: another one's id is refused exactly
        as an id that does not exist, so that the answer tells nothing about other partners."""
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and is_partner_user(request.user):
            field = self.fields["partner"]
            field.queryset = field.queryset.filter(pk=request.user.partner_id)

    def validate(self, attrs: dict) -> dict:
        """An ordered range."""
        if attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": "The range ends before it starts."})
        return attrs


class StatementLineSerializer(serializers.Serializer):
    """A document on a statement, with the balance after it."""

    date = serializers.DateField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    number = serializers.CharField()
    reference = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    increase = DecimalNumberField(**MONEY)
    decrease = DecimalNumberField(**MONEY)
    balance = DecimalNumberField(**MONEY)
    document_type = serializers.CharField()
    document_id = serializers.IntegerField()


class StatementSerializer(serializers.Serializer):
    """A partner's statement of account: opening balance, documents, closing balance."""

    partner = serializers.IntegerField(source="partner.pk")
    partner_code = serializers.CharField(source="partner.code")
    partner_name = serializers.CharField(source="partner.name")
    kind = serializers.CharField(source="side")
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    opening = DecimalNumberField(**MONEY)
    lines = StatementLineSerializer(many=True)
    total_increase = DecimalNumberField(**MONEY)
    total_decrease = DecimalNumberField(**MONEY)
    closing = DecimalNumberField(**MONEY)


class AsOfQuerySerializer(serializers.Serializer):
    """On which date."""

    as_of = serializers.DateField(required=False, help_text="Default: all posted documents.")


class UnbilledReceiptSerializer(serializers.Serializer):
    """A stocked receipt line not (all) billed: what it credited to 1401 and what is left."""

    receipt_id = serializers.IntegerField(
        allow_null=True, help_text="null: a stock receipt booked without a purchase receipt"
    )
    receipt_number = serializers.CharField()
    receipt_date = serializers.DateField()
    supplier = serializers.CharField()
    line_no = serializers.IntegerField()
    item_code = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=18, decimal_places=6)
    received_value = serializers.DecimalField(max_digits=20, decimal_places=2)
    billed_value = serializers.DecimalField(max_digits=20, decimal_places=2)
    unbilled_value = serializers.DecimalField(max_digits=20, decimal_places=2)


class MonthEndStepInputSerializer(serializers.Serializer):
    """The fiscal period whose month-end step to run."""

    period = serializers.PrimaryKeyRelatedField(queryset=FiscalPeriod.objects.all())


class MonthEndStepResultSerializer(serializers.Serializer):
    """The entry the step posted; ``null`` when there was nothing to post."""

    entry_id = serializers.IntegerField(allow_null=True)
    entry_number = serializers.CharField(allow_null=True)
