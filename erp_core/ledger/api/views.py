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
from erp_core.documents.api import DOCUMENT_METHODS, DocumentViewSet, Step
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
from erp_core.ledger.closing import period_month_end_close, period_month_end_reopen
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
    ),
    partial_update=extend_schema(
        summary="Change a draft entry",
        description=(
            "Only the fields sent change; `lines`, when sent, replace them all. Refused with "
            "409 once the entry is posted: reverse it instead."
        ),
    ),
    destroy=extend_schema(
        summary="Delete a draft entry", description="Refused with 409 once the entry is posted."
    ),
)
class JournalEntryViewSet(mixins.DestroyModelMixin, DocumentViewSet):
    """Journal entries: drafts are created and edited, then posted (numbered, immutable) or
    reversed by a mirrored entry. Unlike the business documents they carry no revision and are
    not voided: a draft is deleted, a posted entry reversed."""

    queryset = selectors.journal_entry_detail_list()
    serializer_class = JournalEntrySerializer
    write_serializer_class = JournalEntryWriteSerializer
    filterset_class = JournalEntryFilterSet
    search_fields = ("number", "memo", "memo_args")
    ordering_fields = ("date", "number", "posted_at", "created_at")
    module_permission = FINANCE
    partner_field = None
    http_method_names = (*DOCUMENT_METHODS, "delete")
    document_argument = "entry"
    create_service = services.journal_entry_create_draft
    update_service = services.journal_entry_update_draft
    steps = {
        "post": Step(
            services.journal_entry_post,
            input=None,
            permission="ledger.post_journalentry",
            summary="Post a draft entry",
            description="Numbers the entry (gapless per journal and year) and makes it immutable.",
        ),
        "reverse": Step(
            services.journal_entry_reverse,
            input=JournalEntryReverseInputSerializer,
            permission="ledger.reverse_journalentry",
            status_code=status.HTTP_201_CREATED,
            summary="Reverse a posted entry",
            description=(
                "Posts a mirrored entry on the given date; an entry is reversed at most once. "
                "Answers the reversal."
            ),
        ),
    }

    def perform_destroy(self, instance: JournalEntry) -> None:
        """Delete a draft; a posted entry is a 409."""
        services.journal_entry_delete_draft(entry=instance)


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
        """Close the period through its month-end close (``period_month_end_close``): the
        month-end steps post first."""
        closing = period_month_end_close(period=self.get_object(), user=request.user)
        return Response(FiscalPeriodSerializer(closing.period).data)

    @extend_schema(summary="Reopen a period", request=None, responses={200: FiscalPeriodSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """Reopen the period through ``period_month_end_reopen`` (its closing is reversed)."""
        period = period_month_end_reopen(period=self.get_object(), user=request.user)
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
