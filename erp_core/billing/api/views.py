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
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from common.errors import NotFound
from erp_core.api.permissions import is_partner_user
from erp_core.api.schema import AutoSchema
from erp_core.billing import selectors, services
from erp_core.billing.api.filters import InvoiceFilterSet, PaymentFilterSet
from erp_core.billing.api.serializers import (
    AgingQuerySerializer,
    AgingSerializer,
    AsOfQuerySerializer,
    InvoiceSerializer,
    InvoiceUpdateSerializer,
    InvoiceWriteSerializer,
    MonthEndStepInputSerializer,
    MonthEndStepResultSerializer,
    PaymentAllocateInputSerializer,
    PaymentSerializer,
    PaymentUnallocateInputSerializer,
    PaymentUpdateSerializer,
    PaymentWriteSerializer,
    StatementQuerySerializer,
    StatementSerializer,
    UnbilledReceiptSerializer,
)
from erp_core.billing.models import Invoice, Payment
from erp_core.billing.printing import invoice_pdf
from erp_core.documents.api import (
    DOCUMENT_PERMISSIONS,
    DocumentViewSet,
    Step,
    approve_step,
    unapprove_step,
    void_step,
)
from erp_core.stock.clearing import count_differences_clear

ERP = "erp_core.access_erp"
FINANCE = "erp_core.access_finance"
ORIGINAL_KIND = {
    Invoice.Kind.CUSTOMER_CREDIT_NOTE: Invoice.Kind.CUSTOMER_INVOICE,
    Invoice.Kind.SUPPLIER_CREDIT_NOTE: Invoice.Kind.SUPPLIER_BILL,
}


def _unallocate(*, payment: Payment, invoice: Invoice, actor) -> Payment:
    """``allocation_remove`` of the payment's allocation to ``invoice``."""
    allocation = payment.allocations.filter(invoice=invoice).first()
    if allocation is None:
        raise ValidationError({"invoice": _("The payment is not allocated to it.")})
    return services.allocation_remove(allocation=allocation, actor=actor)


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
    ),
    partial_update=extend_schema(
        summary="Change a saved document",
        description="Refused with 409 once posted or voided, or when `revision` is stale.",
    ),
)
class InvoiceViewSet(DocumentViewSet):
    """Customer invoices, supplier bills and credit notes: saved, posted (审核), unposted
    (反审核) while nothing is allocated to them or credited, voided (作废) while saved."""

    queryset = selectors.invoice_detail_list()
    serializer_class = InvoiceSerializer
    write_serializer_class = InvoiceWriteSerializer
    update_serializer_class = InvoiceUpdateSerializer
    filterset_class = InvoiceFilterSet
    search_fields = ("number", "supplier_invoice_number", "partner__name", "memo")
    ordering_fields = ("date", "due_date", "number", "gross_amount")
    partner_field = "partner"
    partner_actions = ("list", "retrieve", "pdf")
    document_argument = "invoice"
    update_service = services.invoice_update
    steps = {
        "approve": approve_step(services.invoice_approve, permission="billing.approve_invoice"),
        "unapprove": unapprove_step(
            services.invoice_unapprove, permission="billing.approve_invoice"
        ),
        "void": void_step(services.invoice_void, permission="billing.void_invoice"),
    }

    @property
    def module_permission(self) -> str:
        """Reading needs the ERP module (sales look invoices up); the rest needs finance."""
        return ERP if getattr(self, "action", None) in ("list", "retrieve", "pdf") else FINANCE

    def partner_queryset(self, queryset: QuerySet, partner) -> QuerySet[Invoice]:
        """A partner's own posted documents of the kinds it is party to."""
        return (
            super()
            .partner_queryset(queryset, partner)
            .filter(
                kind__in=selectors.partner_visible_kinds(partner),
                status=Invoice.Status.APPROVED,
            )
        )

    def perform_create(self, serializer: InvoiceWriteSerializer) -> Invoice:
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
            return services.credit_note_create(
                invoice=original,
                date=data["date"],
                lines=lines or None,
                memo=data.get("memo", ""),
                supplier_invoice_number=data.get("supplier_invoice_number", ""),
                actor=self.request.user,
            )
        return services.invoice_create(
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

    @extend_schema(
        summary="Print (PDF)",
        description="The VAT invoice layout with the gross amount in capital numerals.",
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
    ),
    partial_update=extend_schema(
        summary="Change a saved payment",
        description="Refused with 409 once posted or voided, or when `revision` is stale.",
    ),
)
class PaymentViewSet(DocumentViewSet):
    """Payments received and made: saved, posted, allocated to invoices or bills (partly, or
    left unapplied), unposted while unallocated, voided while saved."""

    queryset = selectors.payment_detail_list()
    serializer_class = PaymentSerializer
    write_serializer_class = PaymentWriteSerializer
    update_serializer_class = PaymentUpdateSerializer
    filterset_class = PaymentFilterSet
    search_fields = ("number", "reference", "partner__name", "memo")
    ordering_fields = ("date", "number", "amount")
    module_permission = FINANCE
    partner_field = "partner"
    partner_actions = ("list", "retrieve")
    document_argument = "payment"
    update_service = services.payment_update
    steps = {
        "approve": approve_step(services.payment_approve, permission="billing.approve_payment"),
        "unapprove": unapprove_step(
            services.payment_unapprove, permission="billing.approve_payment"
        ),
        "void": void_step(services.payment_void, permission="billing.void_payment"),
        "allocate": Step(
            services.payment_allocate,
            input=PaymentAllocateInputSerializer,
            permission="billing.change_payment",
            summary="Allocate unapplied cash to invoices or bills",
        ),
        "unallocate": Step(
            _unallocate,
            input=PaymentUnallocateInputSerializer,
            permission="billing.change_payment",
            summary="Take an allocation back",
        ),
    }

    def partner_queryset(self, queryset: QuerySet, partner) -> QuerySet[Payment]:
        """A partner's own posted payments of the directions it is party to."""
        return (
            super()
            .partner_queryset(queryset, partner)
            .filter(
                direction__in=selectors.partner_visible_directions(partner),
                status=Payment.Status.APPROVED,
            )
        )

    def perform_create(self, serializer: PaymentWriteSerializer) -> Payment:
        """Save through ``payment_create`` (the base currency unless one is named)."""
        data = dict(serializer.validated_data)
        data["currency"] = data.get("currency") or None
        return services.payment_create(**data, actor=self.request.user)


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
        query = StatementQuerySerializer(data=request.query_params, context={"request": request})
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


class ReceiptsNotBilledViewSet(viewsets.GenericViewSet):
    """``receipts-not-billed/?as_of=``: goods received not billed (GR/IR), per receipt line."""

    queryset = Invoice.objects.all()  # the model permission: billing.view_invoice
    serializer_class = UnbilledReceiptSerializer
    filter_backends = ()
    pagination_class = None
    permission_classes = DOCUMENT_PERMISSIONS
    module_permission = FINANCE
    partner_actions = ()

    @extend_schema(
        summary="Goods received not billed",
        description=(
            "Each stocked receipt line dated up to `as_of` whose value (credited to 1401 材料采购 "
            "at the order's price) the bills posted by then have not cleared: what the month-end "
            "accrual moves to the GR/IR liability."
        ),
        parameters=[AsOfQuerySerializer],
        responses={200: UnbilledReceiptSerializer(many=True)},
    )
    def list(self, request: Request) -> Response:
        """The receipt lines not billed."""
        query = AsOfQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.receipts_not_billed(as_of=query.validated_data.get("as_of"))
        return Response(UnbilledReceiptSerializer(rows, many=True).data)


class MonthEndStepViewSet(viewsets.GenericViewSet):
    """``month-end-steps/grir-accrual/`` and ``month-end-steps/count-clear/`` (POST a period):
    the month-end steps of purchasing and counts; each posts one entry, or nothing."""

    queryset = Invoice.objects.all()
    serializer_class = MonthEndStepInputSerializer
    filter_backends = ()
    pagination_class = None
    permission_classes = DOCUMENT_PERMISSIONS
    module_permission = FINANCE
    partner_actions = ()
    step_actions = ("grir_accrual", "count_clear")
    action_permissions = {
        "grir_accrual": "ledger.post_journalentry",
        "count_clear": "ledger.post_journalentry",
    }

    def _run(self, request: Request, service) -> Response:
        data = MonthEndStepInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = service(period=data.validated_data["period"], user=request.user)
        result = {
            "entry_id": entry.pk if entry else None,
            "entry_number": entry.number if entry else None,
        }
        return Response(MonthEndStepResultSerializer(result).data, status=status.HTTP_200_OK)

    @extend_schema(
        summary="Accrue goods received not billed",
        description=(
            "Dr 1401 / Cr 2202 暂估 on the period's last day by what is received and not billed "
            "then (only the difference to the period's earlier accruals), reversed on the next "
            "period's first day."
        ),
        request=MonthEndStepInputSerializer,
        responses={200: MonthEndStepResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="grir-accrual")
    def grir_accrual(self, request: Request) -> Response:
        """Run the GR/IR accrual of a period."""
        return self._run(request, services.grir_accrual_post)

    @extend_schema(
        summary="Clear count differences",
        description=(
            "Clear 1901 待处理财产损溢 on the period's last day: abnormal losses to 6711 with "
            "their input VAT transferred out (22210103), the rest to 6602."
        ),
        request=MonthEndStepInputSerializer,
        responses={200: MonthEndStepResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="count-clear")
    def count_clear(self, request: Request) -> Response:
        """Run the clearing of count differences of a period."""
        return self._run(request, count_differences_clear)
