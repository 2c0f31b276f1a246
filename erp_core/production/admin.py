"""Django admin of production orders: read with history, search and filters; the status flow
runs through the services as admin actions, never through a plain save.

Orders are created and edited on the staff pages (``production:order-create``), which number
them and take the BOM and routing snapshot.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyAdminMixin
from common.errors import DomainError
from erp_core.production import services
from erp_core.production.models import (
    ProductionCostAdjustment,
    ProductionOrder,
    ProductionOrderMaterial,
    ProductionOrderOperation,
    ProductionTimeBooking,
)


def _report(model_admin: admin.ModelAdmin, request: HttpRequest, obj, exc: Exception) -> None:
    """Show a refused service call as an error message naming the order."""
    text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    model_admin.message_user(request, f"{obj}: {text}", messages.ERROR)


class MaterialInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The order's components: required, consumed, value."""

    model = ProductionOrderMaterial
    extra = 0
    fields = (
        "line_no",
        "component",
        "unit",
        "via_phantom",
        "quantity_required",
        "planned_unit_cost",
        "quantity_consumed",
        "consumed_value",
        "is_planned",
    )
    readonly_fields = fields


class OperationInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The order's operations: planned hours, rates, hours booked."""

    model = ProductionOrderOperation
    extra = 0
    fields = (
        "sequence",
        "name",
        "work_center",
        "planned_hours",
        "machine_rate",
        "labour_rate",
        "actual_machine_hours",
        "actual_labour_hours",
        "actual_machine_cost",
        "actual_labour_cost",
    )
    readonly_fields = fields


class TimeBookingInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Time booked on the order with its journal entries."""

    model = ProductionTimeBooking
    extra = 0
    fields = (
        "operation",
        "machine_hours",
        "labour_hours",
        "machine_amount",
        "labour_amount",
        "journal_entry",
        "source_event_id",
        "booked_at",
        "booked_by",
    )
    readonly_fields = fields


@admin.register(ProductionOrder)
class ProductionOrderAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Production orders with their snapshot, time and history; release and close as actions."""

    list_display = (
        "number",
        "date",
        "item",
        "quantity",
        "quantity_produced",
        "due_date",
        "status",
        "actual_cost",
        "variance",
    )
    list_filter = ("status", "due_date", "warehouse")
    list_select_related = ("item",)
    search_fields = ("number", "memo", "item__code", "item__name")
    date_hierarchy = "due_date"
    inlines = (MaterialInline, OperationInline, TimeBookingInline)
    readonly_fields = [field.name for field in ProductionOrder._meta.fields]
    actions = ("release_orders", "close_orders")

    def _run(self, request: HttpRequest, queryset: QuerySet, service) -> None:
        done = 0
        for order in queryset.order_by("pk"):
            try:
                service(order=order, actor=request.user)
            except (ValidationError, DomainError) as exc:
                _report(self, request, order, exc)
            else:
                done += 1
        if done:
            self.message_user(
                request, _("%(count)d orders done.") % {"count": done}, messages.SUCCESS
            )

    @admin.action(description=_("Release the selected orders"), permissions=("release",))
    def release_orders(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Release each order through ``production_order_release``."""
        self._run(request, queryset, services.production_order_release)

    @admin.action(description=_("Close the selected orders"), permissions=("close",))
    def close_orders(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Close each order through ``production_order_close``."""
        self._run(request, queryset, services.production_order_close)

    def has_release_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("production.release_productionorder")

    def has_close_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("production.close_productionorder")


@admin.register(ProductionOrderMaterial)
class ProductionOrderMaterialAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Components of every order, searchable by order number and component."""

    list_display = (
        "order",
        "line_no",
        "component",
        "quantity_required",
        "quantity_consumed",
        "consumed_value",
        "is_planned",
    )
    list_filter = ("is_planned", "order__status")
    list_select_related = ("order", "component")
    search_fields = ("order__number", "component__code", "component__name")


@admin.register(ProductionOrderOperation)
class ProductionOrderOperationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Operations of every order, searchable by order number and work center."""

    list_display = (
        "order",
        "sequence",
        "name",
        "work_center",
        "planned_hours",
        "actual_machine_hours",
        "actual_labour_hours",
    )
    list_filter = ("work_center", "order__status")
    list_select_related = ("order", "work_center")
    search_fields = ("order__number", "name", "work_center__code")


@admin.register(ProductionTimeBooking)
class ProductionTimeBookingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Time booked on orders with the entries that posted it."""

    list_display = (
        "order",
        "operation",
        "machine_hours",
        "labour_hours",
        "machine_amount",
        "labour_amount",
        "journal_entry",
        "booked_at",
    )
    list_filter = ("booked_at",)
    list_select_related = ("order", "operation", "journal_entry")
    search_fields = ("order__number", "source_event_id")


@admin.register(ProductionCostAdjustment)
class ProductionCostAdjustmentAdmin(admin.ModelAdmin):
    """Cost the month-end close put on orders (overhead, late costs), read-only."""

    list_display = ("order", "kind", "amount", "to_wip", "journal_entry", "created_at")
    list_filter = ("kind", "to_wip")
    list_select_related = ("order", "journal_entry")
    search_fields = ("order__number", "journal_entry__number")
    readonly_fields = (
        "order", "kind", "amount", "to_wip", "stock_move", "journal_entry", "created_at",
    )  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
