"""Django admin of purchasing: requisitions, orders and receipts with their lines and history.

Documents are read-only here: they are saved, approved and voided through the services (the
staff pages, the API, or the admin actions below), never by a plain save, so that numbering,
amounts, stock and events always follow the rules.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyAdminMixin
from common.errors import DomainError
from erp_core.purchasing import services
from erp_core.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseReceipt,
    PurchaseReceiptLine,
    PurchaseRequisition,
    PurchaseRequisitionLine,
)


def _report(admin_obj: admin.ModelAdmin, request: HttpRequest, obj, exc: Exception) -> None:
    """Show a refused service call as an error message naming the document."""
    text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    admin_obj.message_user(request, f"{obj}: {text}", messages.ERROR)


class _ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


class PurchaseRequisitionLineInline(_ReadOnlyInline):
    """A requisition's lines."""

    model = PurchaseRequisitionLine
    fields = ("line_no", "item", "quantity", "needed_by", "suggested_supplier", "ordered_quantity")
    readonly_fields = fields


class PurchaseOrderLineInline(_ReadOnlyInline):
    """An order's lines with amounts and received quantities."""

    model = PurchaseOrderLine
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
        "expected_date",
        "confirmed_date",
        "received_quantity",
    )
    readonly_fields = fields


class PurchaseReceiptLineInline(_ReadOnlyInline):
    """A receipt's lines with cost, billed quantity and stock move."""

    model = PurchaseReceiptLine
    fields = ("line_no", "order_line", "item", "quantity", "unit_cost", "billed_quantity")
    readonly_fields = fields


class _DocumentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """What the document admins share: search by number, filter by status, date hierarchy."""

    date_hierarchy = "date"
    search_fields = ("number", "memo")
    list_filter = ("status",)

    def _run(self, request: HttpRequest, queryset: QuerySet, service, **kwargs) -> None:
        done = 0
        for document in queryset.order_by("date", "pk"):
            try:
                service(actor=request.user, **{self.document_arg: document}, **kwargs)
            except (ValidationError, DomainError) as exc:
                _report(self, request, document, exc)
            else:
                done += 1
        if done:
            self.message_user(request, _("%(count)d document(s) done.") % {"count": done})


@admin.register(PurchaseRequisition)
class PurchaseRequisitionAdmin(_DocumentAdmin):
    """Purchase requisitions with their lines and history; approve as an action."""

    document_arg = "requisition"
    list_display = ("number", "date", "status", "requested_by", "memo", "approved_at")
    list_select_related = ("requested_by",)
    inlines = (PurchaseRequisitionLineInline,)
    actions = ("approve_selected",)

    @admin.action(description=_("Approve the selected requisitions"), permissions=("approve",))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Approve each through ``purchase_requisition_approve``."""
        self._run(request, queryset, services.purchase_requisition_approve)

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("purchasing.approve_purchaserequisition")


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(_DocumentAdmin):
    """Purchase orders with their lines and history; place as an action."""

    document_arg = "order"
    list_display = (
        "number",
        "date",
        "supplier",
        "warehouse",
        "status",
        "expected_date",
        "acknowledged_at",
    )
    list_filter = ("status", "warehouse", ("acknowledged_at", admin.EmptyFieldListFilter))
    list_select_related = ("supplier", "warehouse")
    search_fields = ("number", "memo", "supplier__code", "supplier__name", "supplier_reference")
    inlines = (PurchaseOrderLineInline,)
    actions = ("place_selected",)

    @admin.action(description=_("Place (approve) the selected orders"), permissions=("approve",))
    def place_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Place each through ``purchase_order_approve``."""
        self._run(request, queryset, services.purchase_order_approve)

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("purchasing.approve_purchaseorder")


@admin.register(PurchaseReceipt)
class PurchaseReceiptAdmin(_DocumentAdmin):
    """Purchase receipts with their lines and history; book as an action."""

    document_arg = "receipt"
    list_display = ("number", "date", "supplier", "purchase_order", "warehouse", "status")
    list_filter = ("status", "warehouse")
    list_select_related = ("supplier", "purchase_order", "warehouse")
    search_fields = (
        "number",
        "memo",
        "delivery_note",
        "purchase_order__number",
        "supplier__code",
        "supplier__name",
        "source_event_id",
    )
    inlines = (PurchaseReceiptLineInline,)
    actions = ("book_selected",)

    @admin.action(description=_("Book the selected receipts into stock"), permissions=("receive",))
    def book_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Book each through ``purchase_receipt_approve``."""
        self._run(request, queryset, services.purchase_receipt_approve)

    def has_receive_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("purchasing.receive_purchasereceipt")


@admin.register(PurchaseRequisitionLine)
class PurchaseRequisitionLineAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Requisition lines, searchable by document and item."""

    list_display = ("requisition", "line_no", "item", "quantity", "ordered_quantity", "needed_by")
    list_filter = ("requisition__status",)
    list_select_related = ("requisition", "item")
    search_fields = ("requisition__number", "item__code", "item__name")


@admin.register(PurchaseOrderLine)
class PurchaseOrderLineAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Order lines, searchable by document and item."""

    list_display = (
        "order",
        "line_no",
        "item",
        "quantity",
        "unit_price",
        "received_quantity",
        "expected_date",
    )
    list_filter = ("order__status",)
    list_select_related = ("order", "item")
    search_fields = ("order__number", "item__code", "item__name")


@admin.register(PurchaseReceiptLine)
class PurchaseReceiptLineAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Receipt lines, searchable by document and item; billed quantities for matching."""

    list_display = ("receipt", "line_no", "item", "quantity", "unit_cost", "billed_quantity")
    list_filter = ("receipt__status",)
    list_select_related = ("receipt", "item")
    search_fields = ("receipt__number", "item__code", "item__name")
