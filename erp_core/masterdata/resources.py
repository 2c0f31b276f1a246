"""Excel import/export of master data (django-import-export resources).

Foreign keys travel as codes (the unit ``KG``, the category ``RAW-STEEL``), never as database
ids, so a sheet exported from one installation imports into another. Rows are validated with
the model's ``full_clean()`` (``clean_model_instances``) as the services validate them.
"""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from erp_core.masterdata.mnemonic import pinyin_initials
from erp_core.masterdata.services import (
    ITEM_FIELDS,
    PARTNER_FIELDS,
    TAX_CODE_FIELDS,
    UNIT_FIELDS,
    WAREHOUSE_FIELDS,
    WORK_CENTER_FIELDS,
)
from erp_core.models import (
    Currency,
    Item,
    ItemCategory,
    Partner,
    TaxCode,
    UnitOfMeasure,
    Warehouse,
    WorkCenter,
)


class _CodeResource(resources.ModelResource):
    """Rows are matched on ``code``: importing a sheet again updates instead of duplicating."""

    class Meta:
        abstract = True
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


class UnitOfMeasureResource(_CodeResource):
    """Units of measure."""

    class Meta(_CodeResource.Meta):
        model = UnitOfMeasure
        fields = UNIT_FIELDS
        export_order = UNIT_FIELDS


class ItemCategoryResource(_CodeResource):
    """Item categories; the parent by its code."""

    parent = fields.Field(
        attribute="parent", column_name="parent", widget=ForeignKeyWidget(ItemCategory, "code")
    )

    class Meta(_CodeResource.Meta):
        model = ItemCategory
        fields = ("code", "name", "parent")
        export_order = ("code", "name", "parent")


class TaxCodeResource(_CodeResource):
    """Tax codes (rate as a fraction, 0.13)."""

    class Meta(_CodeResource.Meta):
        model = TaxCode
        fields = TAX_CODE_FIELDS
        export_order = TAX_CODE_FIELDS


class ItemResource(_CodeResource):
    """Items; unit, category and VAT by code. Empty pinyin initials are computed on import."""

    unit = fields.Field(
        attribute="unit", column_name="unit", widget=ForeignKeyWidget(UnitOfMeasure, "code")
    )
    category = fields.Field(
        attribute="category",
        column_name="category",
        widget=ForeignKeyWidget(ItemCategory, "code"),
    )
    vat = fields.Field(attribute="vat", column_name="vat", widget=ForeignKeyWidget(TaxCode, "code"))

    class Meta(_CodeResource.Meta):
        model = Item
        fields = ITEM_FIELDS
        export_order = ITEM_FIELDS

    def before_save_instance(self, instance: Item, row, **kwargs) -> None:
        """Fill the mnemonic code as ``item_create`` does, when the sheet leaves it empty."""
        if not instance.pinyin_initials:
            instance.pinyin_initials = pinyin_initials(instance.name)


class PartnerResource(_CodeResource):
    """Partners; the currency by its ISO code."""

    currency = fields.Field(
        attribute="currency", column_name="currency", widget=ForeignKeyWidget(Currency, "code")
    )

    class Meta(_CodeResource.Meta):
        model = Partner
        fields = PARTNER_FIELDS
        export_order = PARTNER_FIELDS


class WarehouseResource(_CodeResource):
    """Warehouses."""

    class Meta(_CodeResource.Meta):
        model = Warehouse
        fields = WAREHOUSE_FIELDS
        export_order = WAREHOUSE_FIELDS


class WorkCenterResource(_CodeResource):
    """Work centers with their shift calendar and rates."""

    class Meta(_CodeResource.Meta):
        model = WorkCenter
        fields = WORK_CENTER_FIELDS
        export_order = WORK_CENTER_FIELDS
