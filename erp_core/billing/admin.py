"""Django admin of billing: invoices, bills, credit notes, payments and allocations.

Documents are read here with their lines, allocations and history; they change only through
the services (the pages, the API, or the admin actions below), never through a plain save.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyAdminMixin
from common.errors import DomainError
from erp_core.billing import services
from erp_core.billing.models import Invoice, InvoiceLine, Payment, PaymentAllocation


def _report(admin_obj: admin.ModelAdmin, request: HttpRequest, obj, exc: Exception) -> None:
    """Show a refused service call as an error message naming the object."""
    text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    admin_obj.message_user(request, f"{obj}: {text}", messages.ERROR)


class InvoiceLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A document's lines, read-only."""

    model = InvoiceLine
    extra = 0
    fields = (
        "line_no",
        "item",
        "quantity",
        "unit_price",
        "discount_percent",
        "tax_rate",
        "net_amount",
        "tax_amount",
        "gross_amount",
        "delivery_line",
        "receipt_line",
        "credited_line",
        "order_amount",
        "variance_amount",
        "match_status",
    )
    readonly_fields = fields


class InvoiceAllocationInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The payments allocated to a document."""

    model = PaymentAllocation
    fk_name = "invoice"
    extra = 0
    fields = ("payment", "amount", "created_at", "created_by")
    readonly_fields = fields


@admin.register(Invoice)
class InvoiceAdmin(SimpleHistoryAdmin):
    """Invoices, bills and credit notes with their lines, allocations and history; post,
    unpost and void as actions through the services."""

    list_display = (
        "number",
        "kind",
        "partner",
        "date",
        "due_date",
        "gross_amount",
        "amount_allocated",
        "match_status",
        "status",
    )
    list_filter = ("kind", "status", "match_status", "date")
    list_select_related = ("partner",)
    search_fields = ("number", "supplier_invoice_number", "partner__code", "partner__name", "memo")
    date_hierarchy = "date"
    readonly_fields = [field.name for field in Invoice._meta.fields]
    inlines = (InvoiceLineInline, InvoiceAllocationInline)
    actions = ("approve_documents", "unapprove_documents")

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Documents are made from deliveries, receipts or the API, not typed here."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        """Documents are voided, never deleted."""
        return False

    @admin.action(description=_("Post the selected saved documents"), permissions=("approve",))
    def approve_documents(self, request: HttpRequest, queryset: QuerySet[Invoice]) -> None:
        """Post each through ``invoice_approve``."""
        for invoice in queryset.order_by("date", "pk"):
            try:
                services.invoice_approve(invoice=invoice, actor=request.user)
            except (ValidationError, DomainError) as exc:
                _report(self, request, invoice, exc)

    @admin.action(description=_("Unpost the selected documents"), permissions=("approve",))
    def unapprove_documents(self, request: HttpRequest, queryset: QuerySet[Invoice]) -> None:
        """Unpost each through ``invoice_unapprove``."""
        for invoice in queryset.order_by("-date", "-pk"):
            try:
                services.invoice_unapprove(invoice=invoice, actor=request.user)
            except (ValidationError, DomainError) as exc:
                _report(self, request, invoice, exc)

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("billing.approve_invoice")


@admin.register(InvoiceLine)
class InvoiceLineAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Lines of every document, searchable by document number and item."""

    list_display = ("invoice", "line_no", "item", "quantity", "net_amount", "match_status")
    list_filter = ("match_status",)
    list_select_related = ("invoice", "item")
    search_fields = ("invoice__number", "item__code", "item__name", "description")

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("billing.view_invoiceline") or request.user.has_perm(
            "billing.view_invoice"
        )


class PaymentAllocationInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A payment's allocations."""

    model = PaymentAllocation
    fk_name = "payment"
    extra = 0
    fields = ("invoice", "amount", "created_at", "created_by")
    readonly_fields = fields


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    """Payments with their allocations and history; post and unpost as actions."""

    list_display = (
        "number",
        "direction",
        "partner",
        "date",
        "amount",
        "amount_allocated",
        "status",
    )
    list_filter = ("direction", "status", "date")
    list_select_related = ("partner",)
    search_fields = ("number", "reference", "partner__code", "partner__name", "memo")
    date_hierarchy = "date"
    readonly_fields = [field.name for field in Payment._meta.fields]
    inlines = (PaymentAllocationInline,)
    actions = ("approve_payments", "unapprove_payments")

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Payments are entered on the payment page or through the API."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        """Payments are voided, never deleted."""
        return False

    @admin.action(description=_("Post the selected saved payments"), permissions=("approve",))
    def approve_payments(self, request: HttpRequest, queryset: QuerySet[Payment]) -> None:
        """Post each through ``payment_approve``."""
        for payment in queryset.order_by("date", "pk"):
            try:
                services.payment_approve(payment=payment, actor=request.user)
            except (ValidationError, DomainError) as exc:
                _report(self, request, payment, exc)

    @admin.action(description=_("Unpost the selected payments"), permissions=("approve",))
    def unapprove_payments(self, request: HttpRequest, queryset: QuerySet[Payment]) -> None:
        """Unpost each through ``payment_unapprove``."""
        for payment in queryset.order_by("-date", "-pk"):
            try:
                services.payment_unapprove(payment=payment, actor=request.user)
            except (ValidationError, DomainError) as exc:
                _report(self, request, payment, exc)

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("billing.approve_payment")


@admin.register(PaymentAllocation)
class PaymentAllocationAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Allocations of payments to invoices and bills, with their history."""

    list_display = ("payment", "invoice", "amount", "created_at")
    list_select_related = ("payment", "invoice")
    search_fields = ("payment__number", "invoice__number")
