"""Django admin of WMS: the layout and settings are edited here (with history); stock, its
journal and the documents are read-only, since only the services change them."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyAdminMixin
from wms.models import (
    Bin,
    Count,
    CountLine,
    CountPlan,
    CountSerial,
    CustomerShelfLife,
    ExpectedReceipt,
    ExpectedReceiptLine,
    ItemMeasure,
    ItemPlacement,
    Lot,
    MoveTask,
    Quant,
    QuantMove,
    ReceiptScan,
    ReplenishmentRule,
    SerialNumber,
    Transfer,
    TransferLine,
    WarehouseSetup,
    Zone,
)


class ReadOnlyAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Viewable, searchable, never edited by hand."""


class _ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Zone)
class ZoneAdmin(SimpleHistoryAdmin):
    """Zones of a warehouse."""

    list_display = ("code", "name", "warehouse")
    list_filter = ("warehouse",)
    search_fields = ("code", "name")
    list_select_related = ("warehouse",)


@admin.register(Bin)
class BinAdmin(SimpleHistoryAdmin):
    """Bins with their type, capacity and walking order."""

    list_display = (
        "code", "barcode", "warehouse", "zone", "bin_type", "capacity_units", "is_blocked",
        "walking_order",
    )  # fmt: skip
    list_filter = ("warehouse", "bin_type", "is_blocked", "zone")
    search_fields = ("code", "barcode")
    list_select_related = ("warehouse", "zone")


@admin.register(WarehouseSetup)
class WarehouseSetupAdmin(SimpleHistoryAdmin):
    """Which warehouses WMS runs; going live is the takeover service's (``wms_warehouse_adopt``)."""

    list_display = ("warehouse", "live", "live_since", "receiving_bin", "default_bin")
    list_filter = ("live",)
    readonly_fields = ("live", "live_since")
    list_select_related = ("warehouse", "receiving_bin", "default_bin")


@admin.register(ItemPlacement)
class ItemPlacementAdmin(SimpleHistoryAdmin):
    """An item's fixed bin, preferred zone and ABC class per warehouse."""

    list_display = ("item", "warehouse", "fixed_bin", "preferred_zone", "abc_class")
    list_filter = ("warehouse", "abc_class")
    search_fields = ("item__code", "item__name")
    list_select_related = ("item", "warehouse", "fixed_bin", "preferred_zone")
    raw_id_fields = ("item",)


@admin.register(ItemMeasure)
class ItemMeasureAdmin(SimpleHistoryAdmin):
    """Items' weight and volume per unit, checked against bins' weight and volume capacity."""

    list_display = ("item", "unit_weight", "unit_volume")
    search_fields = ("item__code", "item__name")
    list_select_related = ("item",)
    raw_id_fields = ("item",)


@admin.register(CustomerShelfLife)
class CustomerShelfLifeAdmin(SimpleHistoryAdmin):
    """Customers' minimum remaining shelf life."""

    list_display = ("partner", "min_remaining_days")
    search_fields = ("partner__code", "partner__name")
    list_select_related = ("partner",)
    raw_id_fields = ("partner",)


@admin.register(Lot)
class LotAdmin(SimpleHistoryAdmin):
    """Lots with their dates and status."""

    list_display = ("lot_number", "item", "made_on", "expiry", "status")
    list_filter = ("status",)
    search_fields = ("lot_number", "item__code", "item__name")
    date_hierarchy = "expiry"
    list_select_related = ("item",)
    raw_id_fields = ("item",)


@admin.register(SerialNumber)
class SerialNumberAdmin(ReadOnlyAdmin):
    """Serial numbers and where each unit is."""

    list_display = ("serial", "item", "lot", "bin", "status")
    list_filter = ("status",)
    search_fields = ("serial", "item__code")
    list_select_related = ("item", "lot", "bin")


@admin.register(Quant)
class QuantAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Stock per bin × item × lot."""

    list_display = ("bin", "item", "lot", "on_hand", "reserved", "updated_at")
    list_filter = ("bin__warehouse", "bin__bin_type")
    search_fields = ("item__code", "item__name", "bin__code", "lot__lot_number")
    list_select_related = ("bin", "item", "lot")


@admin.register(QuantMove)
class QuantMoveAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The WMS movement journal."""

    list_display = (
        "moved_at", "kind", "reason", "item", "lot", "serial", "from_bin", "to_bin", "quantity",
        "source_type", "source_id",
    )  # fmt: skip
    list_filter = ("kind", "reason")
    search_fields = ("item__code", "source_id", "lot__lot_number", "serial__serial")
    date_hierarchy = "moved_at"
    list_select_related = ("item", "lot", "serial", "from_bin", "to_bin")


class ExpectedReceiptLineInline(_ReadOnlyInline):
    """An expected receipt's lines."""

    model = ExpectedReceiptLine
    fields = ("line_no", "item", "quantity", "limit", "received_quantity", "cancelled")
    readonly_fields = fields


@admin.register(ExpectedReceipt)
class ExpectedReceiptAdmin(ReadOnlyAdmin):
    """Receipts the warehouse expects from placed purchase orders."""

    list_display = ("number", "date", "status", "warehouse", "supplier", "purchase_order")
    list_filter = ("status", "warehouse")
    search_fields = ("number", "purchase_order__number", "supplier__name")
    list_select_related = ("warehouse", "supplier", "purchase_order")
    inlines = [ExpectedReceiptLineInline]


@admin.register(ReceiptScan)
class ReceiptScanAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Scans against expected receipts."""

    list_display = ("line", "lot", "serial_number", "quantity", "scanned_at", "scanned_by")
    search_fields = ("serial_number", "lot__lot_number")
    list_select_related = ("line", "lot", "scanned_by")


@admin.register(MoveTask)
class MoveTaskAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Putaway, replenishment, staging and move tasks."""

    list_display = (
        "pk", "kind", "status", "item", "lot", "quantity", "from_bin", "to_bin", "done_bin",
        "created_at",
    )  # fmt: skip
    list_filter = ("kind", "status", "warehouse")
    search_fields = ("item__code", "source_id")
    list_select_related = ("item", "lot", "from_bin", "to_bin", "done_bin")


@admin.register(ReplenishmentRule)
class ReplenishmentRuleAdmin(SimpleHistoryAdmin):
    """Min/max of pick bins."""

    list_display = ("bin", "item", "minimum", "maximum", "is_active")
    list_filter = ("is_active",)
    search_fields = ("bin__code", "item__code")
    list_select_related = ("bin", "item")
    raw_id_fields = ("item",)


class TransferLineInline(_ReadOnlyInline):
    """A transfer's lines."""

    model = TransferLine
    fields = ("line_no", "item", "lot", "from_bin", "quantity")
    readonly_fields = fields


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    """Warehouse-to-warehouse transfers."""

    list_display = ("number", "date", "status", "from_warehouse", "to_warehouse", "shipped_at")
    list_filter = ("status",)
    search_fields = ("number",)
    list_select_related = ("from_warehouse", "to_warehouse")
    inlines = [TransferLineInline]


@admin.register(CountPlan)
class CountPlanAdmin(SimpleHistoryAdmin):
    """Cycle-count plans."""

    list_display = ("name", "warehouse", "zone", "bin", "abc_class", "frequency_days", "next_due")
    list_filter = ("warehouse", "is_active", "abc_class")
    search_fields = ("name",)
    list_select_related = ("warehouse", "zone", "bin")


class CountLineInline(_ReadOnlyInline):
    """A count's lines."""

    model = CountLine
    fields = (
        "bin", "item", "lot", "snapshot_quantity", "counted_quantity", "expected_quantity",
        "variance",
    )  # fmt: skip
    readonly_fields = fields


@admin.register(CountSerial)
class CountSerialAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Serial numbers scanned in counts (read only: written by the count scans)."""

    list_display = ("serial", "line")
    search_fields = ("serial", "line__count__number", "line__item__code")
    list_select_related = ("line", "line__count")


@admin.register(Count)
class CountAdmin(ReadOnlyAdmin):
    """Counts and their variances."""

    list_display = ("number", "date", "status", "warehouse", "blind", "started_at")
    list_filter = ("status", "warehouse")
    search_fields = ("number",)
    list_select_related = ("warehouse",)
    inlines = [CountLineInline]
