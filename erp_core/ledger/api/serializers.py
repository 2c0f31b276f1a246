"""Serializers of the ledger API: a read serializer per resource, input serializers for writes.

Input serializers only validate shapes; the views hand ``validated_data`` to
``erp_core.ledger.services``, where the accounting rules live.
"""

from decimal import Decimal

from rest_framework import serializers

from common.serializers import AnswersWithReadSerializer, DecimalNumberField, ModelSerializer
from erp_core.ledger.models import (
    Account,
    FiscalPeriod,
    Journal,
    JournalEntry,
    JournalLine,
)
from erp_core.models import Partner

AMOUNT = {"max_digits": 18, "decimal_places": 2, "min_value": Decimal("0.00")}


class AccountSerializer(ModelSerializer):
    """An account of the chart as the API shows it."""

    parent_code = serializers.CharField(source="parent.code", read_only=True, allow_null=True)

    class Meta:
        model = Account
        fields = (
            "id",
            "code",
            "name_zh",
            "name_en",
            "type",
            "normal_balance",
            "parent",
            "parent_code",
            "is_postable",
            "is_active",
            "is_rounding",
        )
        read_only_fields = fields


class AccountWriteSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to add an account; the parent follows from the code (its longest prefix)."""

    read_serializer = AccountSerializer

    code = serializers.RegexField(r"^[0-9]{4}([0-9]{2})*$", max_length=20)
    name_zh = serializers.CharField(max_length=100)
    name_en = serializers.CharField(max_length=100)
    type = serializers.ChoiceField(choices=Account.Type.choices, required=False)
    normal_balance = serializers.ChoiceField(
        choices=Account._meta.get_field("normal_balance").choices, required=False
    )
    is_active = serializers.BooleanField(default=True)


class AccountUpdateSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to change an account's names or flags."""

    read_serializer = AccountSerializer

    name_zh = serializers.CharField(max_length=100, required=False)
    name_en = serializers.CharField(max_length=100, required=False)
    is_active = serializers.BooleanField(required=False)
    is_rounding = serializers.BooleanField(required=False)


class JournalSerializer(ModelSerializer):
    """A journal (book of entries with its own numbering)."""

    class Meta:
        model = Journal
        fields = ("id", "code", "name", "name_zh", "is_active")
        read_only_fields = fields


class FiscalPeriodSerializer(ModelSerializer):
    """A fiscal period and whether it is open."""

    year = serializers.IntegerField(source="fiscal_year.year", read_only=True)

    class Meta:
        model = FiscalPeriod
        fields = ("id", "year", "number", "start", "end", "status", "closed_at", "closed_by")
        read_only_fields = fields


class JournalLineSerializer(ModelSerializer):
    """A line of an entry as the API shows it."""

    account_code = serializers.CharField(source="account.code", read_only=True)
    memo = serializers.CharField(
        source="memo_display",
        read_only=True,
        help_text="The memo in the caller's language (a generated one rendered from its kind).",
    )

    class Meta:
        model = JournalLine
        fields = (
            "id",
            "account",
            "account_code",
            "debit",
            "credit",
            "partner",
            "memo",
            "memo_kind",
            "memo_args",
        )
        read_only_fields = fields


class JournalEntrySerializer(ModelSerializer):
    """An entry with its lines, status, number and reversal links."""

    journal_code = serializers.CharField(source="journal.code", read_only=True)
    lines = JournalLineSerializer(many=True, read_only=True)
    reversed_by = serializers.SerializerMethodField()
    memo = serializers.CharField(
        source="memo_display",
        read_only=True,
        help_text="The memo in the caller's language (a generated one rendered from its kind).",
    )

    class Meta:
        model = JournalEntry
        fields = (
            "id",
            "journal",
            "journal_code",
            "number",
            "date",
            "period",
            "memo",
            "memo_kind",
            "memo_args",
            "status",
            "source_type",
            "source_id",
            "source_event_id",
            "reversal_of",
            "reversed_by",
            "created_at",
            "created_by",
            "posted_at",
            "posted_by",
            "lines",
        )
        read_only_fields = fields

    def get_reversed_by(self, entry: JournalEntry) -> int | None:
        """The id of the entry that reverses this one, if any."""
        reversal = getattr(entry, "reversal", None)
        return reversal.pk if reversal is not None else None


class JournalLineInputSerializer(serializers.Serializer):
    """A line to write: an account and a debit or a credit (the other zero)."""

    account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.all())
    debit = DecimalNumberField(**AMOUNT, default=Decimal("0.00"))
    credit = DecimalNumberField(**AMOUNT, default=Decimal("0.00"))
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.all(), required=False, allow_null=True, default=None
    )
    memo = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class JournalEntryWriteSerializer(AnswersWithReadSerializer, serializers.Serializer):
    """Input to create or replace a draft entry with its lines."""

    read_serializer = JournalEntrySerializer

    journal = serializers.PrimaryKeyRelatedField(queryset=Journal.objects.all())
    date = serializers.DateField()
    memo = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    lines = JournalLineInputSerializer(many=True, allow_empty=False)


class JournalEntryReverseInputSerializer(serializers.Serializer):
    """Input to reverse a posted entry: the reversal's date and an optional memo."""

    date = serializers.DateField()
    memo = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class TrialBalanceQuerySerializer(serializers.Serializer):
    """The range of a trial balance: two periods, or two dates."""

    period_from = serializers.PrimaryKeyRelatedField(
        queryset=FiscalPeriod.objects.all(), required=False
    )
    period_to = serializers.PrimaryKeyRelatedField(
        queryset=FiscalPeriod.objects.all(), required=False
    )
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    include_empty = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs: dict) -> dict:
        """Turn periods into dates; require a complete, ordered range."""
        if attrs.get("period_from") is not None:
            attrs.setdefault("date_from", attrs["period_from"].start)
        if attrs.get("period_to") is not None:
            attrs.setdefault("date_to", attrs["period_to"].end)
        if not attrs.get("date_from") or not attrs.get("date_to"):
            raise serializers.ValidationError(
                "Give period_from and period_to, or date_from and date_to."
            )
        if attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": "The range ends before it starts."})
        return attrs


class TrialBalanceRowSerializer(serializers.Serializer):
    """One account of the trial balance (debit-positive balances and both sides)."""

    account_id = serializers.IntegerField()
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    level = serializers.IntegerField()
    is_postable = serializers.BooleanField()
    opening_debit = DecimalNumberField(max_digits=20, decimal_places=2)
    opening_credit = DecimalNumberField(max_digits=20, decimal_places=2)
    debit = DecimalNumberField(max_digits=20, decimal_places=2)
    credit = DecimalNumberField(max_digits=20, decimal_places=2)
    closing_debit = DecimalNumberField(max_digits=20, decimal_places=2)
    closing_credit = DecimalNumberField(max_digits=20, decimal_places=2)


class TrialBalanceSerializer(serializers.Serializer):
    """A trial balance with its totals: opening, movements and closing each balance."""

    date_from = serializers.DateField()
    date_to = serializers.DateField()
    rows = TrialBalanceRowSerializer(many=True)
    opening_debit = DecimalNumberField(max_digits=20, decimal_places=2)
    opening_credit = DecimalNumberField(max_digits=20, decimal_places=2)
    debit = DecimalNumberField(max_digits=20, decimal_places=2)
    credit = DecimalNumberField(max_digits=20, decimal_places=2)
    closing_debit = DecimalNumberField(max_digits=20, decimal_places=2)
    closing_credit = DecimalNumberField(max_digits=20, decimal_places=2)
    is_balanced = serializers.BooleanField()
