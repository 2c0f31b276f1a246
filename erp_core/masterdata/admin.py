"""Django admin of master data: partners, units, categories, taxes, currencies, items,
warehouses, work centers, BOMs and routings, with history and Excel import/export."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from erp_core.masterdata.resources import (
    ItemCategoryResource,
    ItemResource,
    PartnerResource,
    TaxCodeResource,
    UnitOfMeasureResource,
    WarehouseResource,
    WorkCenterResource,
)
from erp_core.masterdata.services import bom_refuse_cycle
from erp_core.models import (
    BillOfMaterials,
    BomLine,
    Currency,
    ExchangeRate,
    Item,
    ItemCategory,
    Partner,
    PartnerAddress,
    PartnerContact,
    Routing,
    RoutingOperation,
    TaxCode,
    UnitConversion,
    UnitOfMeasure,
    Warehouse,
    WorkCenter,
)


class ExcelImportExportMixin(ImportExportMixin):
    """Excel (xlsx) import and export, CSV as a fallback; rows validated like the services."""

    formats = (XLSX, CSV)


class PartnerAddressInline(admin.TabularInline):
    """A partner's billing and shipping addresses."""

    model = PartnerAddress
    extra = 0


class PartnerContactInline(admin.TabularInline):
    """A partner's contact persons."""

    model = PartnerContact
    extra = 0


@admin.register(Partner)
class PartnerAdmin(ExcelImportExportMixin, SimpleHistoryAdmin):
    """Customers and suppliers, with addresses, contacts, history and Excel import/export."""

    resource_classes = (PartnerResource,)
    list_display = ("code", "name", "kind", "tax_id", "email", "phone", "currency", "is_active")
    list_filter = ("kind", "is_active", "currency")
    list_select_related = ("currency",)
    search_fields = ("code", "name", "tax_id")
    readonly_fields = ("created_at", "updated_at")
    inlines = (PartnerAddressInline, PartnerContactInline)


@admin.register(PartnerAddress)
class PartnerAddressAdmin(SimpleHistoryAdmin):
    """Partner addresses, searchable across partners."""

    list_display = ("partner", "kind", "address", "contact", "phone", "is_default")
    list_filter = ("kind", "is_default")
    list_select_related = ("partner",)
    search_fields = ("partner__code", "partner__name", "address", "contact")
    autocomplete_fields = ("partner",)


@admin.register(PartnerContact)
class PartnerContactAdmin(SimpleHistoryAdmin):
    """Partner contact persons, searchable across partners."""

    list_display = ("partner", "name", "role", "phone", "email")
    list_select_related = ("partner",)
    search_fields = ("partner__code", "partner__name", "name", "email", "phone")
    autocomplete_fields = ("partner",)


class UnitConversionInline(admin.TabularInline):
    """Conversions from a unit (or of an item)."""

    model = UnitConversion
    fk_name = "from_unit"
    extra = 0
    autocomplete_fields = ("to_unit", "item")


class ItemUnitConversionInline(UnitConversionInline):
    """An item's own unit conversions (1 BOX = 12 PCS)."""

    fk_name = "item"
    autocomplete_fields = ("from_unit", "to_unit")


@admin.register(UnitOfMeasure)
class UnitOfMeasureAdmin(ExcelImportExportMixin, SimpleHistoryAdmin):
    """Units of measure and their general conversions."""

    resource_classes = (UnitOfMeasureResource,)
    list_display = ("code", "name", "category", "decimals")
    list_filter = ("category",)
    search_fields = ("code", "name")
    inlines = (UnitConversionInline,)


@admin.register(UnitConversion)
class UnitConversionAdmin(SimpleHistoryAdmin):
    """Unit conversions, general and item-specific."""

    list_display = ("from_unit", "factor", "to_unit", "item")
    list_filter = ("from_unit", "to_unit")
    list_select_related = ("from_unit", "to_unit", "item")
    search_fields = ("from_unit__code", "to_unit__code", "item__code", "item__name")
    autocomplete_fields = ("from_unit", "to_unit", "item")


@admin.register(ItemCategory)
class ItemCategoryAdmin(ExcelImportExportMixin, SimpleHistoryAdmin):
    """The item category tree."""

    resource_classes = (ItemCategoryResource,)
    list_display = ("code", "name", "parent")
    list_select_related = ("parent",)
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)


@admin.register(TaxCode)
class TaxCodeAdmin(ExcelImportExportMixin, SimpleHistoryAdmin):
    """VAT codes."""

    resource_classes = (TaxCodeResource,)
    list_display = ("code", "name", "rate", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")


class ExchangeRateInline(admin.TabularInline):
    """A currency's rates."""

    model = ExchangeRate
    extra = 0
    ordering = ("-date",)


@admin.register(Currency)
class CurrencyAdmin(SimpleHistoryAdmin):
    """Currencies with their exchange rates."""

    list_display = ("code", "name", "decimals")
    search_fields = ("code", "name")
    inlines = (ExchangeRateInline,)


@admin.register(ExchangeRate)
class ExchangeRateAdmin(SimpleHistoryAdmin):
    """Exchange rates to CNY."""

    list_display = ("currency", "date", "rate")
    list_filter = ("currency",)
    list_select_related = ("currency",)
    search_fields = ("currency__code",)
    date_hierarchy = "date"


@admin.register(Item)
class ItemAdmin(ExcelImportExportMixin, SimpleHistoryAdmin):
    """Items, searchable by code, name, barcode and pinyin initials; Excel import/export."""

    resource_classes = (ItemResource,)
    list_display = (
        "code",
        "name",
        "specification",
        "item_type",
        "make_or_buy",
        "category",
        "unit",
        "pinyin_initials",
        "is_active",
    )
    list_filter = (
        "item_type",
        "make_or_buy",
        "tracking",
        "costing_method",
        "is_active",
        "category",
    )
    list_select_related = ("category", "unit")
    search_fields = ("code", "name", "barcode", "pinyin_initials", "specification")
    autocomplete_fields = ("category", "unit", "vat")
    readonly_fields = ("created_at", "updated_at")
    inlines = (ItemUnitConversionInline,)


@admin.register(Warehouse)
class WarehouseAdmin(ExcelImportExportMixin, SimpleHistoryAdmin):
    """Warehouses."""

    resource_classes = (WarehouseResource,)
    list_display = ("code", "name", "address", "allow_negative_stock", "is_active")
    list_filter = ("is_active", "allow_negative_stock")
    search_fields = ("code", "name", "address")


@admin.register(WorkCenter)
class WorkCenterAdmin(ExcelImportExportMixin, SimpleHistoryAdmin):
    """Work centers with their shift calendar and rates."""

    resource_classes = (WorkCenterResource,)
    list_display = (
        "code",
        "name",
        "machines",
        "shifts_per_day",
        "hours_per_shift",
        "working_days",
        "capacity_hours_per_day",
        "is_active",
    )
    list_filter = ("is_active",)
    search_fields = ("code", "name")

    @admin.display(description=_("capacity (h/day)"))
    def capacity_hours_per_day(self, obj: WorkCenter):
        """Machine hours on a working day."""
        return obj.capacity_hours_per_day


class BomLineFormSet(BaseInlineFormSet):
    """BOM lines edited in the admin get the service's cycle check (A uses B uses A)."""

    def clean(self) -> None:
        super().clean()
        bom = self.instance
        if not bom.item_id or not bom.is_active:
            return
        lines = [
            form.instance
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("component")
        ]
        try:
            bom_refuse_cycle(item=bom.item, lines=lines, bom_pk=bom.pk)
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class BomLineInline(admin.TabularInline):
    """The lines of a BOM."""

    model = BomLine
    formset = BomLineFormSet
    extra = 0
    autocomplete_fields = ("component",)
    ordering = ("sequence",)


@admin.register(BillOfMaterials)
class BillOfMaterialsAdmin(SimpleHistoryAdmin):
    """BOM versions with their lines. Prefer the API or bom_create: it refuses cycles."""

    list_display = ("item", "version", "valid_from", "valid_to", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("item",)
    search_fields = ("item__code", "item__name", "version")
    autocomplete_fields = ("item",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (BomLineInline,)


class RoutingOperationInline(admin.TabularInline):
    """The operations of a routing."""

    model = RoutingOperation
    extra = 0
    autocomplete_fields = ("work_center",)
    ordering = ("sequence",)


@admin.register(Routing)
class RoutingAdmin(SimpleHistoryAdmin):
    """Routing versions with their operations."""

    list_display = ("item", "version", "valid_from", "valid_to", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("item",)
    search_fields = ("item__code", "item__name", "version")
    autocomplete_fields = ("item",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (RoutingOperationInline,)
