"""Admin of planning: forecasts (with history), runs, planned orders with their pegs, the pegs
of open supply, exception messages and shortages (read-only: a run writes them)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from erp_core.planning.models import (
    ExceptionMessage,
    Forecast,
    MrpRun,
    PlannedOrder,
    PlannedOrderPeg,
    Shortage,
    SupplyPeg,
)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Forecast)
class ForecastAdmin(SimpleHistoryAdmin):
    list_display = ("item", "period_start", "period_end", "quantity")
    list_filter = ("period_start",)
    search_fields = ("item__code", "item__name", "memo")
    autocomplete_fields = ("item",)


@admin.register(MrpRun)
class MrpRunAdmin(_ReadOnly):
    list_display = ("id", "kind", "status", "progress", "plan_date", "finished_at",
                    "planned_order_count", "shortage_count")  # fmt: skip
    list_filter = ("kind", "status")
    search_fields = ("id",)


class PlannedOrderPegInline(admin.TabularInline):
    model = PlannedOrderPeg
    fk_name = "planned_order"
    extra = 0
    can_delete = False
    raw_id_fields = ("sales_order_line", "forecast", "production_order", "parent")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PlannedOrder)
class PlannedOrderAdmin(_ReadOnly):
    list_display = ("id", "item", "kind", "status", "quantity", "start_date", "due_date",
                    "is_short")  # fmt: skip
    list_filter = ("kind", "status", "is_short")
    search_fields = ("item__code", "item__name")
    raw_id_fields = ("item", "run", "requisition_line", "production_order")
    inlines = (PlannedOrderPegInline,)


@admin.register(SupplyPeg)
class SupplyPegAdmin(_ReadOnly):
    list_display = ("supply_kind", "supply_id", "item", "supply_date", "kind", "quantity",
                    "need_date")  # fmt: skip
    list_filter = ("supply_kind", "kind")
    search_fields = ("item__code", "item__name", "supply_id")
    raw_id_fields = ("item", "sales_order_line", "forecast", "production_order", "parent")


@admin.register(ExceptionMessage)
class ExceptionMessageAdmin(_ReadOnly):
    list_display = ("kind", "item", "supply_kind", "supply_number", "current_date",
                    "suggested_date", "quantity")  # fmt: skip
    list_filter = ("kind", "supply_kind")
    search_fields = ("item__code", "supply_number")
    raw_id_fields = ("item", "run")


@admin.register(Shortage)
class ShortageAdmin(_ReadOnly):
    list_display = ("item", "need_date", "quantity")
    search_fields = ("item__code", "item__name")
    raw_id_fields = ("item", "run")
