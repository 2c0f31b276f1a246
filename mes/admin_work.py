"""Admin pages of work orders, operations and genealogy (registered from the app's ready(), so
that they sit beside the machines' admin without sharing its file)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from mes.models import (
    LotConsumption,
    LotShipment,
    OperationOverride,
    OperationReport,
    OperationRun,
    OutputSerial,
    ProductionLot,
    WorkOperation,
    WorkOrder,
)


class WorkOperationInline(admin.TabularInline):
    model = WorkOperation
    extra = 0
    fields = ("sequence", "name", "work_center", "machine", "status", "quantity_good",
              "quantity_scrap", "planned_start")  # fmt: skip
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(WorkOrder)
class WorkOrderAdmin(SimpleHistoryAdmin):
    list_display = ("production_order", "item", "quantity", "due_date", "status", "staged")
    list_filter = ("status", "staged")
    search_fields = ("production_order__number", "item__code", "item__name")
    list_select_related = ("production_order", "item")
    raw_id_fields = ("production_order", "item", "staged_by")
    inlines = (WorkOperationInline,)


@admin.register(WorkOperation)
class WorkOperationAdmin(SimpleHistoryAdmin):
    list_display = ("work_order", "sequence", "name", "machine", "status", "quantity_good",
                    "quantity_scrap", "planned_start")  # fmt: skip
    list_filter = ("status", "work_center", "machine")
    search_fields = ("work_order__production_order__number", "name")
    list_select_related = ("work_order__production_order", "machine")
    raw_id_fields = ("work_order", "production_order_operation", "machine")


@admin.register(OperationRun)
class OperationRunAdmin(admin.ModelAdmin):
    list_display = ("operation", "machine", "started_at", "ended_at", "hours")
    list_filter = ("machine",)
    search_fields = ("operation__work_order__production_order__number",)
    list_select_related = ("operation", "machine")
    raw_id_fields = ("operation", "machine", "started_by")


@admin.register(OperationReport)
class OperationReportAdmin(admin.ModelAdmin):
    list_display = ("operation", "quantity_good", "quantity_scrap", "scrap_reason", "output_lot",
                    "reported_at", "reported_by")  # fmt: skip
    list_filter = ("scrap_reason",)
    search_fields = ("operation__work_order__production_order__number", "output_lot__number")
    list_select_related = ("operation", "output_lot", "reported_by")
    raw_id_fields = ("operation", "output_lot", "reported_by")


@admin.register(OperationOverride)
class OperationOverrideAdmin(admin.ModelAdmin):
    list_display = ("operation", "rule", "reason", "overridden_by", "overridden_at")
    list_filter = ("rule",)
    search_fields = ("operation__work_order__production_order__number", "reason")
    list_select_related = ("operation", "overridden_by")
    raw_id_fields = ("operation", "overridden_by")


@admin.register(ProductionLot)
class ProductionLotAdmin(admin.ModelAdmin):
    list_display = ("number", "item", "work_order", "quantity_made", "created_at")
    search_fields = ("number", "item__code")
    list_select_related = ("item", "work_order__production_order")
    raw_id_fields = ("item", "work_order")


@admin.register(OutputSerial)
class OutputSerialAdmin(admin.ModelAdmin):
    list_display = ("number", "item", "lot", "report")
    search_fields = ("number", "item__code", "lot__number")
    list_select_related = ("item", "lot", "report")
    raw_id_fields = ("item", "lot", "report")

    def has_add_permission(self, request) -> bool:  # made by operation reports only
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LotConsumption)
class LotConsumptionAdmin(admin.ModelAdmin):
    list_display = ("lot", "quantity", "work_order", "operation", "consumed_at", "consumed_by")
    search_fields = ("lot__number", "work_order__production_order__number")
    list_select_related = ("lot", "work_order__production_order", "operation", "consumed_by")
    raw_id_fields = ("lot", "work_order", "operation", "consumed_by")


@admin.register(LotShipment)
class LotShipmentAdmin(admin.ModelAdmin):
    list_display = ("lot", "quantity", "customer", "sales_order", "shipment_id", "shipped_at")
    list_filter = ("customer",)
    search_fields = ("lot__number", "sales_order__number", "customer__code")
    list_select_related = ("lot", "customer", "sales_order")
    raw_id_fields = ("lot", "customer", "sales_order")
