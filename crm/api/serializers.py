"""Serializers of the CRM API: read serializers per resource and input serializers for writes.

Input serializers only check shapes and resolve ids (to rows the caller may see); the views
hand ``validated_data`` to ``crm.services``, where the rules live.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.serializers import AnswersWithReadSerializer, DecimalNumberField, ModelSerializer
from crm import selectors
from crm.models import (
    Account,
    Activity,
    Contact,
    Lead,
    Opportunity,
    PromiseToPay,
    Quote,
    QuoteLine,
    Receivable,
    Stage,
    Ticket,
)
from erp_core.models import Item, User
from erp_core.sales.models import PriceList, SalesOrder

QUANTITY = {
    "max_digits": 18,
    "decimal_places": 6,
    "min_value": Decimal("0.000001"),
    "max_value": Decimal("1000000000"),
}
PRICE = {
    "max_digits": 18,
    "decimal_places": 6,
    "min_value": Decimal("0"),
    "max_value": Decimal("1000000000"),
}
PERCENT = {"max_digits": 7, "decimal_places": 4, "min_value": Decimal("0"), "max_value": 100}
AMOUNT = {
    "max_digits": 18,
    "decimal_places": 2,
    "min_value": Decimal("0"),
    "max_value": Decimal("1000000000000"),
}


def _user(serializer: serializers.Field) -> User | None:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class _Visible(serializers.PrimaryKeyRelatedField):
    """An id of a row the caller may see; another salesperson's answers as if unknown."""

    def __init__(self, selector, **kwargs) -> None:
        self.selector = selector
        kwargs.setdefault("queryset", selector(user=None))
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.selector(user=_user(self))


class _Staff(serializers.PrimaryKeyRelatedField):
    """An active staff user (an owner)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("queryset", User.objects.filter(is_active=True, partner__isnull=True))
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)


# --- Accounts, contacts, leads ----------------------------------------------------------------


class CustomerAccountSerializer(ModelSerializer):
    """An account with its owner and ERP customer."""

    owner_name = serializers.CharField(source="owner.username", read_only=True, default=None)
    partner_code = serializers.CharField(source="partner.code", read_only=True, default=None)

    class Meta:
        model = Account
        fields = (
            "id",
            "name",
            "partner",
            "partner_code",
            "owner",
            "owner_name",
            "tax_id",
            "phone",
            "email",
            "industry",
            "address",
            "created_at",
        )
        read_only_fields = fields


class CustomerAccountWriteSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to open or change an account."""

    read_serializer = CustomerAccountSerializer

    name = serializers.CharField(max_length=200)
    owner = _Staff()
    tax_id = serializers.CharField(max_length=18, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    industry = serializers.CharField(max_length=100, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ContactSerializer(ModelSerializer):
    """A person at an account."""

    account_name = serializers.CharField(source="account.name", read_only=True)

    class Meta:
        model = Contact
        fields = (
            "id",
            "account",
            "account_name",
            "name",
            "title",
            "phone",
            "email",
            "is_primary",
            "created_at",
        )
        read_only_fields = fields


class ContactWriteSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to add or change a contact."""

    read_serializer = ContactSerializer

    account = _Visible(selectors.account_list)
    name = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    is_primary = serializers.BooleanField(required=False, default=False)


class LeadSerializer(ModelSerializer):
    """A lead, what it may duplicate and the account it became."""

    owner_name = serializers.CharField(source="owner.username", read_only=True, default=None)

    class Meta:
        model = Lead
        fields = (
            "id",
            "company",
            "contact_name",
            "phone",
            "email",
            "tax_id",
            "source",
            "status",
            "score",
            "owner",
            "owner_name",
            "notes",
            "duplicate_of",
            "account",
            "created_at",
            "converted_at",
        )
        read_only_fields = fields


class LeadWriteSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to enter or change a lead; ``allow_duplicate`` keeps one that looks known."""

    read_serializer = LeadSerializer

    company = serializers.CharField(max_length=200)
    contact_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    tax_id = serializers.CharField(max_length=18, required=False, allow_blank=True)
    # The lead's source; the stubs take ``source`` for the serializer's own attribute.
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=Lead.Source.choices, required=False
    )
    status = serializers.ChoiceField(
        choices=[c for c in Lead.Status.choices if c[0] != Lead.Status.CONVERTED], required=False
    )
    score = serializers.IntegerField(min_value=0, max_value=100, required=False)
    owner = _Staff()
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    allow_duplicate = serializers.BooleanField(required=False, default=False, write_only=True)


class DuplicateCheckInputSerializer(serializers.Serializer):
    """What to look for among leads and accounts."""

    company = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    tax_id = serializers.CharField(max_length=18, required=False, allow_blank=True)

    def validate(self, attrs: dict) -> dict:
        if not any(attrs.values()):
            raise serializers.ValidationError(_("Give a company name, phone, e-mail or tax id."))
        return attrs


class DuplicateSerializer(serializers.Serializer):
    """A lead or account that looks like the same company."""

    kind = serializers.CharField()
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    matched = serializers.ListField(child=serializers.CharField())


class DuplicatesSerializer(serializers.Serializer):
    """The look-alikes found (empty when none)."""

    duplicates = DuplicateSerializer(many=True)


class LeadConvertInputSerializer(serializers.Serializer):
    """How to convert a lead: into a new account, or into ``account`` (the same company)."""

    account = _Visible(selectors.account_list, required=False, allow_null=True, default=None)
    opportunity_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    amount = DecimalNumberField(**AMOUNT, required=False, allow_null=True, default=None)
    expected_close = serializers.DateField(required=False, allow_null=True, default=None)
    create_opportunity = serializers.BooleanField(required=False, default=True)


# --- Pipeline ---------------------------------------------------------------------------------


class StageSerializer(ModelSerializer):
    """A stage of the pipeline."""

    class Meta:
        model = Stage
        fields = ("id", "name", "position", "probability", "outcome", "is_active")
        read_only_fields = ("id",)


class OpportunitySerializer(ModelSerializer):
    """A deal, its stage and its weighted amount."""

    account_name = serializers.CharField(source="account.name", read_only=True)
    stage_name = serializers.CharField(source="stage.name", read_only=True)
    weighted_amount = DecimalNumberField(max_digits=18, decimal_places=2, read_only=True)

    class Meta:
        model = Opportunity
        fields = (
            "id",
            "account",
            "account_name",
            "name",
            "stage",
            "stage_name",
            "amount",
            "probability",
            "weighted_amount",
            "expected_close",
            "owner",
            "lead",
            "closed_at",
            "created_at",
        )
        read_only_fields = fields


class OpportunityWriteSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to open or change a deal."""

    read_serializer = OpportunitySerializer

    account = _Visible(selectors.account_list)
    name = serializers.CharField(max_length=200)
    stage = serializers.PrimaryKeyRelatedField(
        queryset=Stage.objects.filter(is_active=True), required=False
    )
    amount = DecimalNumberField(**AMOUNT, required=False)
    probability = DecimalNumberField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False
    )
    expected_close = serializers.DateField(required=False, allow_null=True)
    owner = _Staff()


class OpportunityMoveInputSerializer(serializers.Serializer):
    """The stage to move a deal to."""

    stage = serializers.PrimaryKeyRelatedField(queryset=Stage.objects.filter(is_active=True))


# --- Quotes -----------------------------------------------------------------------------------


class QuoteLineSerializer(ModelSerializer):
    """A quoted item with its amounts and promised date."""

    item_code = serializers.CharField(source="item.code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)

    class Meta:
        model = QuoteLine
        fields = (
            "id",
            "line_no",
            "item",
            "item_code",
            "item_name",
            "description",
            "quantity",
            "unit_price",
            "discount_percent",
            "tax_rate",
            "net_amount",
            "tax_amount",
            "gross_amount",
            "promised_date",
            "promise_basis",
        )
        read_only_fields = fields


class QuoteSerializer(ModelSerializer):
    """A quote with its lines and, once the ERP made it, its sales order's number."""

    lines = QuoteLineSerializer(many=True, read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    sales_order_number = serializers.SerializerMethodField()

    class Meta:
        model = Quote
        fields = (
            "id",
            "number",
            "account",
            "account_name",
            "opportunity",
            "contact",
            "price_list",
            "status",
            "date",
            "valid_until",
            "requested_date",
            "language",
            "notes",
            "net_amount",
            "tax_amount",
            "gross_amount",
            "max_discount_percent",
            "owner",
            "accepted_at",
            "sales_order_number",
            "lines",
        )
        read_only_fields = fields

    def get_sales_order_number(self, quote: Quote) -> str | None:
        """The ERP order's number (from the view's one look-up per page)."""
        orders = self.context.get("sales_orders")
        if orders is None:
            orders = selectors.quote_sales_orders([quote])
        order = orders.get(quote.pk)
        return order.number if order is not None else None


class QuoteLineInputSerializer(serializers.Serializer):
    """A line to quote; without ``unit_price`` the price list's price is taken."""

    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.filter(is_active=True))
    quantity = DecimalNumberField(**QUANTITY)
    unit_price = DecimalNumberField(**PRICE, required=False, allow_null=True)
    discount_percent = DecimalNumberField(**PERCENT, required=False, default=Decimal("0"))
    description = serializers.CharField(max_length=255, required=False, allow_blank=True)


class QuoteWriteSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to draft or change a quote."""

    read_serializer = QuoteSerializer

    account = _Visible(selectors.account_list)
    opportunity = _Visible(selectors.opportunity_list, required=False, allow_null=True)
    contact = _Visible(selectors.contact_list, required=False, allow_null=True)
    price_list = serializers.PrimaryKeyRelatedField(
        queryset=PriceList.objects.filter(is_active=True), required=False, allow_null=True
    )
    date = serializers.DateField(required=False)
    valid_until = serializers.DateField(required=False)
    requested_date = serializers.DateField(required=False, allow_null=True)
    language = serializers.ChoiceField(choices=Quote.Language.choices, required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    # ``many=True`` makes a ListSerializer, which takes the bounds (the stubs do not know it).
    lines = QuoteLineInputSerializer(many=True, min_length=1, max_length=500)  # type: ignore[call-arg]


class QuoteUpdateSerializer(QuoteWriteSerializer):
    """A change: every field optional."""

    account = _Visible(selectors.account_list, required=False)
    lines = QuoteLineInputSerializer(  # type: ignore[call-arg]
        many=True, min_length=1, max_length=500, required=False
    )


# --- Activities and tickets -------------------------------------------------------------------


class ActivitySerializer(ModelSerializer):
    """An activity; ``title`` is a generated task's meaning in the reader's language."""

    title = serializers.CharField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Activity
        fields = (
            "id",
            "kind",
            "title",
            "subject",
            "reason",
            "reason_args",
            "account",
            "opportunity",
            "owner",
            "due_at",
            "done_at",
            "is_overdue",
            "notes",
            "created_at",
        )
        read_only_fields = fields


class ActivityWriteSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to log or plan an activity."""

    read_serializer = ActivitySerializer

    kind = serializers.ChoiceField(choices=Activity.Kind.choices)
    subject = serializers.CharField(max_length=200)
    account = _Visible(selectors.account_list, required=False, allow_null=True)
    opportunity = _Visible(selectors.opportunity_list, required=False, allow_null=True)
    owner = _Staff()
    due_at = serializers.DateTimeField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class TicketSerializer(ModelSerializer):
    """A service ticket with its SLA state."""

    account_name = serializers.CharField(source="account.name", read_only=True)
    sales_order_number = serializers.CharField(
        source="sales_order.number", read_only=True, default=None
    )
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Ticket
        fields = (
            "id",
            "number",
            "account",
            "account_name",
            "sales_order",
            "sales_order_number",
            "item",
            "lot_or_serial",
            "subject",
            "description",
            "priority",
            "status",
            "owner",
            "opened_at",
            "sla_due_at",
            "is_overdue",
            "resolved_at",
            "resolution",
        )
        read_only_fields = fields


class TicketWriteSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to open or change a ticket."""

    read_serializer = TicketSerializer

    account = _Visible(selectors.account_list)
    sales_order = serializers.PrimaryKeyRelatedField(
        queryset=SalesOrder.objects.all(), required=False, allow_null=True
    )
    item = serializers.PrimaryKeyRelatedField(
        queryset=Item.objects.all(), required=False, allow_null=True
    )
    lot_or_serial = serializers.CharField(max_length=64, required=False, allow_blank=True)
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    priority = serializers.ChoiceField(choices=Ticket.Priority.choices, required=False)
    owner = _Staff()


class TicketResolveInputSerializer(serializers.Serializer):
    """How the ticket was resolved."""

    resolution = serializers.CharField(max_length=10000)


# --- Collections ------------------------------------------------------------------------------


class ReceivableSerializer(ModelSerializer):
    """An invoice followed up: what is open and its dunning stage."""

    partner_name = serializers.CharField(source="partner.name", read_only=True)

    class Meta:
        model = Receivable
        fields = (
            "id",
            "invoice_id",
            "partner",
            "partner_name",
            "amount",
            "open_amount",
            "due_date",
            "dunning_stage",
            "dunned_at",
            "posted_at",
        )
        read_only_fields = fields


class PromiseToPaySerializer(ModelSerializer):
    """A customer's promise to pay."""

    class Meta:
        model = PromiseToPay
        fields = ("id", "account", "receivable", "amount", "promised_date", "status", "notes")
        read_only_fields = fields


class PromiseToPayWriteSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to record a promise to pay."""

    read_serializer = PromiseToPaySerializer

    account = _Visible(selectors.account_list)
    receivable = serializers.PrimaryKeyRelatedField(
        queryset=Receivable.objects.all(), required=False, allow_null=True, default=None
    )
    amount = DecimalNumberField(
        max_digits=18,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("1000000000000"),
    )
    promised_date = serializers.DateField()
    notes = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TracedShipmentSerializer(serializers.Serializer):
    """A shipment of a traced lot: to whom, on which order, when, how much."""

    customer = serializers.IntegerField(source="customer_id")
    customer_name = serializers.CharField(source="customer.name")
    sales_order = serializers.IntegerField(source="sales_order_id")
    sales_order_number = serializers.CharField(source="sales_order.number")
    serial = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=18, decimal_places=6)
    shipped_at = serializers.DateTimeField()


class TraceInputSerializer(serializers.Serializer):
    """A material lot that went into a traced lot."""

    item = serializers.IntegerField(source="item.pk")
    item_code = serializers.CharField(source="item.code")
    lot_number = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=18, decimal_places=6)
    production_order_number = serializers.CharField(
        source="made.production_order_number", default=None
    )


class LotTraceSerializer(serializers.Serializer):
    """A ticket's lot through the genealogy: the order that made it, its input lots, every
    shipment of it and those to other customers. ``serial`` is set when the trace is of one
    serial number (shipped without a lot, or made on the shop floor): ``lot_number`` is then
    the lot it was made in, empty when unknown."""

    item = serializers.IntegerField(source="item.pk")
    item_code = serializers.CharField(source="item.code")
    lot_number = serializers.CharField(source="number")
    serial = serializers.CharField()
    production_order = serializers.IntegerField(source="lot.production_order_id", default=None)
    production_order_number = serializers.CharField(
        source="lot.production_order_number", default=None
    )
    made_at = serializers.DateTimeField(source="lot.made_at", default=None)
    quantity_made = serializers.DecimalField(
        source="lot.quantity", max_digits=18, decimal_places=6, default=None
    )
    inputs = TraceInputSerializer(many=True)
    shipments = TracedShipmentSerializer(many=True)
    other_customers = TracedShipmentSerializer(many=True)
