"""Viewsets of the billing API under /api/v1/erp/: invoices, payments, aging, statements.

Explicit queryset, serializers and filterset; writes and state changes through the services.
Staff need the finance module (reading invoices: the ERP module, so that sales can look them
up) and the model's permissions; partner users see their own posted documents only — a
customer its invoices, credit notes and payments received, a supplier its bills, credit notes
and payments made — and another partner's document is a 404.
"""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from common.errors import NotFound
from erp_core.api.idempotency import IdempotentCreateMixin
from erp_core.api.permissions import is_partner_user
from erp_core.api.schema import AutoSchema
from erp_core.billing import selectors, services
from erp_core.billing.api.filters import InvoiceFilterSet, PaymentFilterSet
from erp_core.billing.api.serializers import (
    AgingQuerySerializer,
    AgingSerializer,
    InvoiceSerializer,
    InvoiceUpdateSerializer,
    InvoiceWriteSerializer,
    PaymentAllocateInputSerializer,
    PaymentSerializer,
    PaymentUnallocateInputSerializer,
    PaymentUpdateSerializer,
    PaymentWriteSerializer,
    StatementQuerySerializer,
    StatementSerializer,
)
from erp_core.billing.models import Invoice, Payment
from erp_core.billing.printing import invoice_pdf
from erp_core.documents.api import DOCUMENT_PERMISSIONS, DocumentFlowMixin, PartnerScopedMixin

ERP = "erp_core.access_erp"
FINANCE = "erp_core.access_finance"
ORIGINAL_KIND = {
    Invoice.Kind.CUSTOMER_CREDIT_NOTE: Invoice.Kind.CUSTOMER_INVOICE,
    Invoice.Kind.SUPPLIER_CREDIT_NOTE: Invoice.Kind.SUPPLIER_BILL,
}


@extend_schema_view(
    list=extend_schema(summary="List invoices, bills and credit notes"),
    retrieve=extend_schema(summary="Get an invoice, bill or credit note with its lines"),
    create=extend_schema(
        summary="Save an invoice, a bill or a credit note (draft)",
        description=(
            "A customer invoice's lines name shipped `delivery_line`s (priced from the sales "
            "order) or an `item` (a free line); a supplier bill's name received `receipt_line`s "
            "with the supplier's `unit_price` (three-way matched against the order) or an "
            "`item`; a credit note names `credit_note_of` and optionally `credited_line`s "
            "(none: everything not yet credited). Send an `Idempotency-Key` header to make "
            "retries safe."
        ),
        request=InvoiceWriteSerializer,
        responses={201: InvoiceSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a saved document",
        description="Refused with 409 once posted or voided, or when `revision` is stale.",
        request=InvoiceUpdateSerializer,
        responses={200: InvoiceSerializer},
    ),
)
class InvoiceViewSet(
    IdempotentCreateMixin,
    PartnerScopedMixin,
    DocumentFlowMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Customer invoices, supplier bills and credit notes: saved, posted (审核), unposted
    (反审核) while nothing is allocated to them or credited, voided (作废) while saved."""

    queryset = selectors.invoice_detail_list()
    serializer_class = InvoiceSerializer
    filterset_class = InvoiceFilterSet
    search_fields = ("number", "supplier_invoice_number", "partner__name", "memo")
    ordering_fields = ("date", "due_date", "number", "gross_amount")
    ordering = ("-date", "-id")
    permission_classes = DOCUMENT_PERMISSIONS
    partner_actions = ("list", "retrieve", "pdf")
    action_permissions = {
        "approve": "billing.approve_invoice",
        "unapprove": "billing.approve_invoice",
        "void": "billing.void_invoice",
    }
    http_method_names = ("get", "post", "patch", "head", "options")

    @property
    def module_permission(self) -> str:
        """Reading needs the ERP module (sales look invoices up); the rest needs finance."""
        return ERP if getattr(self, "action", None) in ("list", "retrieve", "pdf") else FINANCE

    def get_queryset(self) -> QuerySet[Invoice]:
        """Documents with their lines and allocations; a partner user's own posted ones."""
        queryset = super().get_queryset()
        user = self.request.user
        if is_partner_user(user):
            queryset = queryset.filter(
                kind__in=selectors.partner_visible_kinds(user.partner),
                status=Invoice.Status.APPROVED,
            )
        return queryset

    def get_serializer_class(self) -> type[BaseSerializer]:
        """Input serializers for writes, the read serializer otherwise."""
        if self.action == "create":
            return InvoiceWriteSerializer
        if self.action == "partial_update":
            return InvoiceUpdateSerializer
        return InvoiceSerializer

    def perform_create(self, serializer: InvoiceWriteSerializer) -> None:
        """Save through ``invoice_create`` or, for a credit note, ``credit_note_create``."""
        data = dict(serializer.validated_data)
        kind = data.pop("kind")
        lines = data.get("lines")
        if kind in Invoice.CREDIT_NOTE_KINDS:
            original = data["credit_note_of"]
            if original.kind != ORIGINAL_KIND[kind]:
                raise ValidationError(
                    {"credit_note_of": _("A %(kind)s credits a %(original)s.")
                     % {"kind": Invoice.Kind(kind).label.lower(),
                        "original": Invoice.Kind(ORIGINAL_KIND[kind]).label.lower()}}
                )  # fmt: skip
            if data.get("partner") is not None and data["partner"] != original.partner:
                raise ValidationError({"partner": _("A credit note is the credited partner's.")})
            serializer.instance = services.credit_note_create(
                invoice=original,
                date=data["date"],
                lines=lines or None,
                memo=data.get("memo", ""),
                supplier_invoice_number=data.get("supplier_invoice_number", ""),
                actor=self.request.user,
            )
            return
        serializer.instance = services.invoice_create(
            kind=kind,
            partner=data["partner"],
            date=data["date"],
            lines=lines,
            due_date=data.get("due_date"),
            memo=data.get("memo", ""),
            currency=data.get("currency") or None,
            supplier_invoice_number=data.get("supplier_invoice_number", ""),
            actor=self.request.user,
        )

    def perform_update(self, serializer: InvoiceUpdateSerializer) -> None:
        """Change the draft through ``invoice_update`` (409 once posted or when stale)."""
        data = dict(serializer.validated_data)
        serializer.instance = services.invoice_update(
            invoice=serializer.instance,
            expected_revision=data.pop("revision", None),
            actor=self.request.user,
            **data,
        )

    def flow_approve(self, document: Invoice, *, actor, expected_revision) -> Invoice:
        """Post through ``invoice_approve``."""
        return services.invoice_approve(
            invoice=document, actor=actor, expected_revision=expected_revision
        )

    def flow_unapprove(self, document: Invoice, *, actor, expected_revision) -> Invoice:
        """Unpost through ``invoice_unapprove``."""
        return services.invoice_unapprove(
            invoice=document, actor=actor, expected_revision=expected_revision
        )

    def flow_void(self, document: Invoice, *, actor, reason, expected_revision) -> Invoice:
        """Void through ``invoice_void``."""
        return services.invoice_void(
            invoice=document, actor=actor, reason=reason, expected_revision=expected_revision
        )

    @extend_schema(
        summary="Print (PDF)",
        description="The VAT invoice layout with 价税合计 in capital numerals.",
        responses={(200, "application/pdf"): OpenApiResponse(response=OpenApiTypes.BINARY)},
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The document as a PDF."""
        return invoice_pdf(self.get_object(), request=request)


@extend_schema_view(
    list=extend_schema(summary="List payments received and made"),
    retrieve=extend_schema(summary="Get a payment with its allocations"),
    create=extend_schema(
        summary="Save a payment (draft) with planned allocations",
        description=(
            "Allocations settle posted invoices (received) or bills (made) of the partner when "
            "the payment is posted. Send an `Idempotency-Key` header to make retries safe."
        ),
        request=PaymentWriteSerializer,
        responses={201: PaymentSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a saved payment",
        request=PaymentUpdateSerializer,
        responses={200: PaymentSerializer},
    ),
)
class PaymentViewSet(
    IdempotentCreateMixin,
    PartnerScopedMixin,
    DocumentFlowMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Payments received and made: saved, posted, allocated to invoices or bills (partly, or
    left unapplied), unposted while unallocated, voided while saved."""

    queryset = selectors.payment_detail_list()
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilterSet
    search_fields = ("number", "reference", "partner__name", "memo")
    ordering_fields = ("date", "number", "amount")
    ordering = ("-date", "-id")
    permission_classes = DOCUMENT_PERMISSIONS
    module_permission = FINANCE
    partner_actions = ("list", "retrieve")
    action_permissions = {
        "approve": "billing.approve_payment",
        "unapprove": "billing.approve_payment",
        "void": "billing.void_payment",
        "allocate": "billing.change_payment",
        "unallocate": "billing.change_payment",
    }
    http_method_names = ("get", "post", "patch", "head", "options")

    def get_queryset(self) -> QuerySet[Payment]:
        """Payments with their allocations; a partner user's own posted ones."""
        queryset = super().get_queryset()
        user = self.request.user
        if is_partner_user(user):
            queryset = queryset.filter(
                direction__in=selectors.partner_visible_directions(user.partner),
                status=Payment.Status.APPROVED,
            )
        return queryset

    def get_serializer_class(self) -> type[BaseSerializer]:
        """Input serializers for writes, the read serializer otherwise."""
        if self.action == "create":
            return PaymentWriteSerializer
        if self.action == "partial_update":
            return PaymentUpdateSerializer
        return PaymentSerializer

    def perform_create(self, serializer: PaymentWriteSerializer) -> None:
        """Save through ``payment_create``."""
        data = dict(serializer.validated_data)
        data["currency"] = data.get("currency") or None
        serializer.instance = services.payment_create(**data, actor=self.request.user)

    def perform_update(self, serializer: PaymentUpdateSerializer) -> None:
        """Change the draft through ``payment_update``."""
        data = dict(serializer.validated_data)
        serializer.instance = services.payment_update(
            payment=serializer.instance,
            expected_revision=data.pop("revision", None),
            actor=self.request.user,
            **data,
        )

    def flow_approve(self, document: Payment, *, actor, expected_revision) -> Payment:
        """Post through ``payment_approve``."""
        return services.payment_approve(
            payment=document, actor=actor, expected_revision=expected_revision
        )

    def flow_unapprove(self, document: Payment, *, actor, expected_revision) -> Payment:
        """Unpost through ``payment_unapprove``."""
        return services.payment_unapprove(
            payment=document, actor=actor, expected_revision=expected_revision
        )

    def flow_void(self, document: Payment, *, actor, reason, expected_revision) -> Payment:
        """Void through ``payment_void``."""
        return services.payment_void(
            payment=document, actor=actor, reason=reason, expected_revision=expected_revision
        )

    @extend_schema(
        summary="Allocate unapplied cash to invoices or bills",
        request=PaymentAllocateInputSerializer,
        responses={200: PaymentSerializer},
    )
    @action(detail=True, methods=["post"])
    def allocate(self, request: Request, pk: str | None = None) -> Response:
        """Add allocations through ``payment_allocate``."""
        data = self._input(request, PaymentAllocateInputSerializer)
        payment = services.payment_allocate(
            payment=self.get_object(), allocations=data["allocations"], actor=request.user
        )
        return self.answer(payment)

    @extend_schema(
        summary="Take an allocation back",
        request=PaymentUnallocateInputSerializer,
        responses={200: PaymentSerializer},
    )
    @action(detail=True, methods=["post"])
    def unallocate(self, request: Request, pk: str | None = None) -> Response:
        """Remove the allocation to ``invoice`` through ``allocation_remove``."""
        data = self._input(request, PaymentUnallocateInputSerializer)
        payment = self.get_object()
        allocation = payment.allocations.filter(invoice=data["invoice"]).first()
        if allocation is None:
            raise ValidationError({"invoice": _("The payment is not allocated to it.")})
        payment = services.allocation_remove(allocation=allocation, actor=request.user)
        return self.answer(payment)


class ReportSchema(AutoSchema):
    """A report's ``list`` answers one object (the report), not a list of them."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class AgingViewSet(viewsets.GenericViewSet):
    """``aging/?kind=receivable|payable&as_of=``: open items per partner by days past due."""

    queryset = Invoice.objects.all()  # the model permission: billing.view_invoice
    serializer_class = AgingSerializer
    schema = ReportSchema()
    filter_backends = ()
    pagination_class = None
    permission_classes = DOCUMENT_PERMISSIONS
    module_permission = FINANCE
    partner_actions = ()

    @extend_schema(
        summary="AR or AP aging",
        description=(
            "Per partner, what was open on `as_of` of the posted documents dated up to then, "
            "in buckets of days past the due date: 0-30 (not yet due included), 31-60, 61-90, "
            "90+; credit notes negative; cash unapplied on that date in its own column, "
            "deducted in the total, which equals the partner's ledger balance on `as_of`."
        ),
        parameters=[AgingQuerySerializer],
        responses={200: AgingSerializer},
    )
    def list(self, request: Request) -> Response:
        """Compute the aging asked for."""
        query = AgingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        report = selectors.aging(
            kind=query.validated_data["kind"],
            as_of=query.validated_data.get("as_of") or timezone.localdate(),
        )
        return Response(AgingSerializer(report).data)


class PartnerStatementViewSet(viewsets.GenericViewSet):
    """``partner-statements/?partner=&kind=&date_from=&date_to=``: a statement of account.

    A partner user gets its own (``partner`` may be left out); another partner's is a 404.
    """

    queryset = Invoice.objects.all()  # the model permission: billing.view_invoice
    serializer_class = StatementSerializer
    schema = ReportSchema()
    filter_backends = ()
    pagination_class = None
    permission_classes = DOCUMENT_PERMISSIONS
    module_permission = FINANCE
    partner_actions = ("list",)

    @extend_schema(
        summary="Partner statement",
        description=(
            "Opening balance, the posted invoices, credit notes and payments of the range with "
            "a running balance, and the closing balance. `kind` receivable (default for a "
            "customer) or payable."
        ),
        parameters=[StatementQuerySerializer],
        responses={200: StatementSerializer},
    )
    def list(self, request: Request) -> Response:
        """Compute the statement asked for."""
        query = StatementQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        partner = data.get("partner")
        user = request.user
        if is_partner_user(user):
            if partner is not None and partner.pk != user.partner_id:
                raise NotFound(_("No such partner."))
            partner = user.partner
        if partner is None:
            raise ValidationError({"partner": _("This field is required.")})
        side = data.get("kind") or selectors.default_side(partner)
        if is_partner_user(user) and side not in selectors.partner_sides(partner):
            raise NotFound(_("No such statement."))
        report = selectors.statement(
            partner=partner, kind=side, date_from=data["date_from"], date_to=data["date_to"]
        )
        return Response(StatementSerializer(report).data, status=status.HTTP_200_OK)
