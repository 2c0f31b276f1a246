"""Admin for the stock ledger: read-only, since rows are written by the services only."""

from django.contrib import admin

from common.admin import ReadOnlyAdminMixin
from erp_core.stock.models import StockBalance, StockMove


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Viewable, searchable, never edited by hand."""


@admin.register(StockMove)
class StockMoveAdmin(ReadOnlyAdmin):
    """The stock ledger."""

    list_display = (
        "moved_at", "item", "warehouse", "reason", "quantity", "unit_cost", "value", "variance",
        "journal_entry",
    )  # fmt: skip
    list_filter = ("reason", "abnormal_loss", "warehouse")
    search_fields = ("item__code", "item__name", "source_id")
    date_hierarchy = "moved_at"
    list_select_related = ("item", "warehouse", "journal_entry")


@admin.register(StockBalance)
class StockBalanceAdmin(ReadOnlyAdmin):
    """Quantity and value per item × warehouse."""

    list_display = ("item", "warehouse", "quantity", "value", "updated_at")
    list_filter = ("warehouse",)
    search_fields = ("item__code", "item__name")
    list_select_related = ("item", "warehouse")
