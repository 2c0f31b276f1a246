"""Viewsets of the ledger API under /api/v1/erp/: accounts, journals, entries, periods, reports.

Same pattern as ``erp_core.masterdata.api.views.PartnerViewSet``: explicit queryset, serializers and
filterset; writes and state changes through services; finance module permission; partner users
see nothing. Actions with rules of their own (post, reverse, close, reopen) also need the
model's custom permission (``ledger.post_journalentry``…).
"""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from erp_core.api.idempotency import IdempotentCreateMixin
from erp_core.api.permissions import RESOURCE_PERMISSIONS, HasActionPermission
from erp_core.ledger import reports, selectors, services
from erp_core.ledger.api.filters import (
    AccountFilterSet,
    FiscalPeriodFilterSet,
    JournalEntryFilterSet,
)
from erp_core.ledger.api.serializers import (
    AccountSerializer,
    AccountUpdateSerializer,
    AccountWriteSerializer,
    FiscalPeriodSerializer,
    JournalEntryReverseInputSerializer,
    JournalEntrySerializer,
    JournalEntryWriteSerializer,
    JournalSerializer,
    TrialBalanceQuerySerializer,
    TrialBalanceSerializer,
)
from erp_core.ledger.models import Account, FiscalPeriod, Journal, JournalEntry

FINANCE = "erp_core.access_finance"


PERMISSIONS = (IsAuthenticated, *RESOURCE_PERMISSIONS, HasActionPermission)


@extend_schema_view(
    list=extend_schema(summary="List accounts of the chart"),
    retrieve=extend_schema(summary="Get an account"),
    create=extend_schema(
        summary="Add an account",
        description="The parent is the account whose code is the longest prefix of the new code.",
        request=AccountWriteSerializer,
        responses={201: AccountSerializer},
    ),
    partial_update=extend_schema(
        summary="Change an account's names or flags",
        request=AccountUpdateSerializer,
        responses={200: AccountSerializer},
    ),
)
class AccountViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The chart of accounts (企业会计准则): read, add sub-accounts, rename or deactivate."""

    queryset = Account.objects.all()
    serializer_class = AccountSerializer
    filterset_class = AccountFilterSet
    search_fields = ("code", "name_zh", "name_en")
    ordering_fields = ("code", "name_en", "type")
    ordering = ("code",)
    permission_classes = PERMISSIONS
    module_permission = FINANCE
    partner_actions = ()
    http_method_names = ("get", "post", "patch", "head", "options")

    def get_queryset(self) -> QuerySet[Account]:
        """All accounts, with their parent."""
        return selectors.account_list()

    def get_serializer_class(self) -> type[BaseSerializer]:
        """Input serializers for writes, the read serializer otherwise."""
        if self.action == "create":
            return AccountWriteSerializer
        if self.action == "partial_update":
            return AccountUpdateSerializer
        return AccountSerializer

    def perform_create(self, serializer: AccountWriteSerializer) -> None:
        """Add the account through ``account_create``; the serializer only validated."""
        serializer.instance = services.account_create(**serializer.validated_data)

    def perform_update(self, serializer: AccountUpdateSerializer) -> None:
        """Change names or flags through ``account_update``."""
        serializer.instance = services.account_update(
            account=serializer.instance, **serializer.validated_data
        )


@extend_schema_view(
    list=extend_schema(summary="List journals"), retrieve=extend_schema(summary="Get a journal")
)
class JournalViewSet(viewsets.ReadOnlyModelViewSet):
    """Journals (books with their own numbering): GEN 记, STK 存货, SAL, PUR…"""

    queryset = Journal.objects.all()
    serializer_class = JournalSerializer
    search_fields = ("code", "name", "name_zh")
    ordering_fields = ("code",)
    ordering = ("code",)
    filterset_fields = ("code", "is_active")
    permission_classes = PERMISSIONS
    module_permission = FINANCE
    partner_actions = ()

    def get_queryset(self) -> QuerySet[Journal]:
        """All journals."""
        return selectors.journal_list()


@extend_schema_view(
    list=extend_schema(summary="List journal entries"),
    retrieve=extend_schema(summary="Get a journal entry with its lines"),
    create=extend_schema(
        summary="Create a draft journal entry with its lines",
        description=(
            "Lines must balance and use postable, active accounts; the date must fall in an "
            "open period. Send an `Idempotency-Key` header to make retries safe."
        ),
        request=JournalEntryWriteSerializer,
        responses={201: JournalEntrySerializer},
    ),
    update=extend_schema(
        summary="Replace a draft entry and its lines",
        description="Refused with 409 once the entry is posted: reverse it instead.",
        request=JournalEntryWriteSerializer,
        responses={200: JournalEntrySerializer},
    ),
    destroy=extend_schema(
        summary="Delete a draft entry", description="Refused with 409 once the entry is posted."
    ),
)
class JournalEntryViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Journal entries: drafts are created and edited, then posted (numbered, immutable) or
    reversed by a mirrored entry."""

    queryset = JournalEntry.objects.all()
    serializer_class = JournalEntrySerializer
    filterset_class = JournalEntryFilterSet
    search_fields = ("number", "memo")
    ordering_fields = ("date", "number", "posted_at", "created_at")
    ordering = ("-date", "-id")
    permission_classes = PERMISSIONS
    module_permission = FINANCE
    partner_actions = ()
    action_permissions = {
        "post": "ledger.post_journalentry",
        "reverse": "ledger.reverse_journalentry",
    }
    http_method_names = ("get", "post", "put", "delete", "head", "options")

    def get_queryset(self) -> QuerySet[JournalEntry]:
        """Entries with their lines, journal and reversal links, in one query each."""
        return selectors.journal_entry_detail_list()

    def get_serializer_class(self) -> type[BaseSerializer]:
        """The input serializer for writes, the read serializer otherwise."""
        if self.action in ("create", "update"):
            return JournalEntryWriteSerializer
        if self.action == "reverse":
            return JournalEntryReverseInputSerializer
        return JournalEntrySerializer

    def _answer(self, entry: JournalEntry, code: int = status.HTTP_200_OK) -> Response:
        entry = selectors.journal_entry_detail_list().get(pk=entry.pk)
        return Response(JournalEntrySerializer(entry).data, status=code)

    def perform_create(self, serializer: JournalEntryWriteSerializer) -> None:
        """Create a draft through ``journal_entry_create_draft``."""
        serializer.instance = services.journal_entry_create_draft(
            **serializer.validated_data, actor=self.request.user
        )

    def perform_update(self, serializer: JournalEntryWriteSerializer) -> None:
        """Replace a draft through ``journal_entry_update_draft`` (409 once posted)."""
        serializer.instance = services.journal_entry_update_draft(
            entry=serializer.instance, **serializer.validated_data, actor=self.request.user
        )

    def perform_destroy(self, instance: JournalEntry) -> None:
        """Delete a draft; a posted entry is a 409."""
        services.journal_entry_delete_draft(entry=instance)

    @extend_schema(
        summary="Post a draft entry",
        description="Numbers the entry (gapless per journal and year) and makes it immutable.",
        request=None,
        responses={200: JournalEntrySerializer},
    )
    @action(detail=True, methods=["post"])
    def post(self, request: Request, pk: str | None = None) -> Response:
        """Post the entry through ``journal_entry_post``."""
        entry = services.journal_entry_post(entry=self.get_object(), actor=request.user)
        return self._answer(entry)

    @extend_schema(
        summary="Reverse a posted entry",
        description="Posts a mirrored entry on the given date; an entry is reversed at most once.",
        request=JournalEntryReverseInputSerializer,
        responses={201: JournalEntrySerializer},
    )
    @action(detail=True, methods=["post"])
    def reverse(self, request: Request, pk: str | None = None) -> Response:
        """Reverse the entry through ``journal_entry_reverse``; answers the reversal."""
        entry = self.get_object()
        serializer = JournalEntryReverseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reversal = services.journal_entry_reverse(
            entry=entry, **serializer.validated_data, actor=request.user
        )
        return self._answer(reversal, status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="List fiscal periods"),
    retrieve=extend_schema(summary="Get a fiscal period"),
)
class FiscalPeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """Fiscal periods; closing one stops posting into it until it is reopened."""

    queryset = FiscalPeriod.objects.all()
    serializer_class = FiscalPeriodSerializer
    filterset_class = FiscalPeriodFilterSet
    ordering_fields = ("start",)
    ordering = ("start",)
    permission_classes = PERMISSIONS
    module_permission = FINANCE
    partner_actions = ()
    action_permissions = {
        "close": "ledger.close_fiscalperiod",
        "reopen": "ledger.close_fiscalperiod",
    }

    def get_queryset(self) -> QuerySet[FiscalPeriod]:
        """Periods in date order with their year."""
        return selectors.fiscal_period_list()

    @extend_schema(summary="Close a period", request=None, responses={200: FiscalPeriodSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close the period through ``fiscal_period_close``."""
        period = services.fiscal_period_close(period=self.get_object(), actor=request.user)
        return Response(FiscalPeriodSerializer(period).data)

    @extend_schema(summary="Reopen a period", request=None, responses={200: FiscalPeriodSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """Reopen the period through ``fiscal_period_reopen``."""
        period = services.fiscal_period_reopen(period=self.get_object(), actor=request.user)
        return Response(FiscalPeriodSerializer(period).data)


class ReportViewSet(viewsets.GenericViewSet):
    """The ledger's reports, read-only: ``reports/trial-balance/``."""

    queryset = Account.objects.all()  # the model permission: ledger.view_account
    serializer_class = TrialBalanceSerializer
    filter_backends = ()
    pagination_class = None
    permission_classes = PERMISSIONS
    module_permission = FINANCE
    partner_actions = ()

    @extend_schema(
        summary="Trial balance",
        description=(
            "Per account: opening balance, debits, credits and closing balance (each on its "
            "debit or credit side), with totals; parent accounts sum their sub-accounts. "
            "Give `period_from` and `period_to` (period ids) or `date_from` and `date_to`."
        ),
        parameters=[TrialBalanceQuerySerializer],
        responses={200: TrialBalanceSerializer},
    )
    @action(detail=False, methods=["get"], url_path="trial-balance")
    def trial_balance(self, request: Request) -> Response:
        """Compute the trial balance of the range asked."""
        query = TrialBalanceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        report = reports.trial_balance(
            date_from=query.validated_data["date_from"],
            date_to=query.validated_data["date_to"],
            include_empty=query.validated_data["include_empty"],
        )
        return Response(TrialBalanceSerializer(report).data)
