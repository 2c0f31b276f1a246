"""Serializers of the ERP core API: a read serializer per resource, an input one for writes.

Input serializers only validate; the views hand ``validated_data`` to services
(``erp_core.masterdata.services``), so no rule lives in ``serializer.save()``.
"""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.serializers import DecimalNumberField
from erp_core.masterdata.services import (
    BOM_FIELDS,
    BOM_LINE_FIELDS,
    CURRENCY_FIELDS,
    EXCHANGE_RATE_FIELDS,
    ITEM_CATEGORY_FIELDS,
    ITEM_FIELDS,
    PARTNER_FIELDS,
    ROUTING_FIELDS,
    ROUTING_OPERATION_FIELDS,
    TAX_CODE_FIELDS,
    UNIT_CONVERSION_FIELDS,
    UNIT_FIELDS,
    WAREHOUSE_FIELDS,
    WORK_CENTER_FIELDS,
)
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


class _WriteSerializer(serializers.ModelSerializer):
    """Base of input serializers: validates only, answers with the read serializer's shape."""

    read_serializer_class: type[serializers.Serializer]

    def to_representation(self, instance) -> dict:
        """Answer with the read representation, so writes and reads return the same shape."""
        return self.read_serializer_class(instance, context=self.context).data

    def create(self, validated_data: dict):
        """Never used: the view calls the entity's ``_create`` service."""
        raise NotImplementedError("Create through erp_core.masterdata.services.")

    def update(self, instance, validated_data: dict):
        """Never used: the view calls the entity's ``_update`` service."""
        raise NotImplementedError("Update through erp_core.masterdata.services.")


class PartnerAddressSerializer(serializers.ModelSerializer):
    """A billing or shipping address of a partner."""

    class Meta:
        model = PartnerAddress
        fields = ("id", "kind", "address", "contact", "phone", "is_default")
        read_only_fields = fields


class PartnerContactSerializer(serializers.ModelSerializer):
    """A contact person of a partner."""

    email = serializers.EmailField(read_only=True, allow_blank=True)

    class Meta:
        model = PartnerContact
        fields = ("id", "name", "role", "phone", "email")
        read_only_fields = fields


class PartnerSerializer(serializers.ModelSerializer):
    """A partner as the API shows it; its own user sees ``partner_fields`` (no credit limit:
    that is the company's decision about the partner, not the partner's data)."""

    partner_fields = (
        "id",
        *(name for name in PARTNER_FIELDS if name != "credit_limit"),
        "addresses",
        "contacts",
        "created_at",
        "updated_at",
    )

    # Declared so that the schema allows the empty string partners without e-mail have.
    email = serializers.EmailField(read_only=True, allow_blank=True)
    addresses = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField()

    class Meta:
        model = Partner
        fields = ("id", *PARTNER_FIELDS, "addresses", "contacts", "created_at", "updated_at")
        read_only_fields = fields

    @extend_schema_field(PartnerAddressSerializer(many=True))
    def get_addresses(self, partner: Partner) -> list:
        """The partner's addresses (prefetched by ``partner_list(with_contacts=True)``)."""
        return list(PartnerAddressSerializer(partner.addresses.all(), many=True).data)

    @extend_schema_field(PartnerContactSerializer(many=True))
    def get_contacts(self, partner: Partner) -> list:
        """The partner's contact persons."""
        return list(PartnerContactSerializer(partner.contacts.all(), many=True).data)


class PartnerWriteSerializer(serializers.ModelSerializer):
    """Input to create or change a partner; the answer is shown as a ``PartnerSerializer``."""

    class Meta:
        model = Partner
        fields = PARTNER_FIELDS

    def to_representation(self, instance: Partner) -> dict:
        """Answer with the read representation, so writes and reads return the same shape."""
        return PartnerSerializer(instance, context=self.context).data

    def create(self, validated_data: dict) -> Partner:
        """Never used: the view calls ``partner_create``."""
        raise NotImplementedError("Use erp_core.masterdata.services.partner_create.")

    def update(self, instance: Partner, validated_data: dict) -> Partner:
        """Never used: the view calls ``partner_update``."""
        raise NotImplementedError("Use erp_core.masterdata.services.partner_update.")


# --- Units, categories, taxes, currencies ------------------------------------------------------


class UnitOfMeasureSerializer(serializers.ModelSerializer):
    """A unit of measure."""

    class Meta:
        model = UnitOfMeasure
        fields = ("id", *UNIT_FIELDS)
        read_only_fields = fields


class UnitOfMeasureWriteSerializer(_WriteSerializer):
    """Input to create or change a unit of measure."""

    read_serializer_class = UnitOfMeasureSerializer

    class Meta:
        model = UnitOfMeasure
        fields = UNIT_FIELDS


class UnitConversionSerializer(serializers.ModelSerializer):
    """``1 from_unit = factor × to_unit``, general or for one item."""

    from_unit_code = serializers.CharField(source="from_unit.code", read_only=True)
    to_unit_code = serializers.CharField(source="to_unit.code", read_only=True)

    class Meta:
        model = UnitConversion
        fields = ("id", *UNIT_CONVERSION_FIELDS, "from_unit_code", "to_unit_code")
        read_only_fields = fields


class UnitConversionWriteSerializer(_WriteSerializer):
    """Input to create or change a unit conversion."""

    read_serializer_class = UnitConversionSerializer

    class Meta:
        model = UnitConversion
        fields = UNIT_CONVERSION_FIELDS
        validators: list = []  # the service validates uniqueness with the model's constraints


class ItemCategorySerializer(serializers.ModelSerializer):
    """A node of the item category tree."""

    class Meta:
        model = ItemCategory
        fields = ("id", *ITEM_CATEGORY_FIELDS)
        read_only_fields = fields


class ItemCategoryWriteSerializer(_WriteSerializer):
    """Input to create or change an item category."""

    read_serializer_class = ItemCategorySerializer

    class Meta:
        model = ItemCategory
        fields = ITEM_CATEGORY_FIELDS


class TaxCodeSerializer(serializers.ModelSerializer):
    """A VAT code; ``rate`` is a fraction (0.13 for 13 %)."""

    class Meta:
        model = TaxCode
        fields = ("id", *TAX_CODE_FIELDS)
        read_only_fields = fields


class TaxCodeWriteSerializer(_WriteSerializer):
    """Input to create or change a tax code."""

    read_serializer_class = TaxCodeSerializer

    class Meta:
        model = TaxCode
        fields = TAX_CODE_FIELDS


class CurrencySerializer(serializers.ModelSerializer):
    """A currency by ISO 4217 code."""

    is_base = serializers.BooleanField(read_only=True)

    class Meta:
        model = Currency
        fields = ("id", *CURRENCY_FIELDS, "is_base")
        read_only_fields = fields


class CurrencyWriteSerializer(_WriteSerializer):
    """Input to create or change a currency; ``currency_create`` upper-cases and checks the code."""

    read_serializer_class = CurrencySerializer
    code = serializers.CharField(max_length=3)

    class Meta:
        model = Currency
        fields = CURRENCY_FIELDS


class ExchangeRateSerializer(serializers.ModelSerializer):
    """CNY per one unit of a currency, from a date on."""

    currency_code = serializers.CharField(source="currency.code", read_only=True)

    class Meta:
        model = ExchangeRate
        fields = ("id", *EXCHANGE_RATE_FIELDS, "currency_code")
        read_only_fields = fields


class ExchangeRateWriteSerializer(_WriteSerializer):
    """Input to create or change an exchange rate."""

    read_serializer_class = ExchangeRateSerializer

    class Meta:
        model = ExchangeRate
        fields = EXCHANGE_RATE_FIELDS
        validators: list = []  # the service validates (currency, date) with the model's constraint


# --- Items, warehouses, work centers -----------------------------------------------------------


class ItemSerializer(serializers.ModelSerializer):
    """An item as the API shows it; related rows by id, with the unit's code for convenience."""

    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = Item
        fields = ("id", *ITEM_FIELDS, "unit_code", "created_at", "updated_at")
        read_only_fields = fields


class ItemWriteSerializer(_WriteSerializer):
    """Input to create or change an item; empty pinyin initials are computed from the name."""

    read_serializer_class = ItemSerializer

    class Meta:
        model = Item
        fields = ITEM_FIELDS
        validators: list = []  # the service validates code and barcode with the model's constraints


class WarehouseSerializer(serializers.ModelSerializer):
    """A warehouse."""

    class Meta:
        model = Warehouse
        fields = ("id", *WAREHOUSE_FIELDS)
        read_only_fields = fields


class WarehouseWriteSerializer(_WriteSerializer):
    """Input to create or change a warehouse."""

    read_serializer_class = WarehouseSerializer

    class Meta:
        model = Warehouse
        fields = WAREHOUSE_FIELDS


class WorkCenterSerializer(serializers.ModelSerializer):
    """A work center with its calendar, rates and machine hours per working day."""

    capacity_hours_per_day = DecimalNumberField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = WorkCenter
        fields = ("id", *WORK_CENTER_FIELDS, "capacity_hours_per_day")
        read_only_fields = fields


class WorkCenterWriteSerializer(_WriteSerializer):
    """Input to create or change a work center."""

    read_serializer_class = WorkCenterSerializer

    class Meta:
        model = WorkCenter
        fields = WORK_CENTER_FIELDS


# --- BOMs and routings -------------------------------------------------------------------------


class BomLineSerializer(serializers.ModelSerializer):
    """A component line of a BOM."""

    component_code = serializers.CharField(source="component.code", read_only=True)

    class Meta:
        model = BomLine
        fields = ("id", *BOM_LINE_FIELDS, "component_code")
        read_only_fields = fields


class BillOfMaterialsSerializer(serializers.ModelSerializer):
    """A BOM version with its lines."""

    item_code = serializers.CharField(source="item.code", read_only=True)
    lines = BomLineSerializer(many=True, read_only=True)

    class Meta:
        model = BillOfMaterials
        fields = ("id", "item", "item_code", *BOM_FIELDS, "lines", "created_at", "updated_at")
        read_only_fields = fields


class BomLineWriteSerializer(serializers.ModelSerializer):
    """A line of a BOM to create; sequence defaults to 10, 20, 30… in the given order."""

    class Meta:
        model = BomLine
        fields = BOM_LINE_FIELDS
        extra_kwargs = {"sequence": {"required": False}}


class BillOfMaterialsWriteSerializer(_WriteSerializer):
    """Input to create a BOM (item, version, validity, lines) or change it (lines replace)."""

    read_serializer_class = BillOfMaterialsSerializer
    lines = BomLineWriteSerializer(many=True)

    class Meta:
        model = BillOfMaterials
        fields = ("item", *BOM_FIELDS, "lines")
        validators: list = []  # the service validates (item, version) with the model's constraint


class BillOfMaterialsUpdateSerializer(BillOfMaterialsWriteSerializer):
    """Input to change a BOM: the item stays; ``lines``, when sent, replace all lines."""

    item: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    lines = BomLineWriteSerializer(many=True, required=False)


class RoutingOperationSerializer(serializers.ModelSerializer):
    """An operation of a routing."""

    work_center_code = serializers.CharField(source="work_center.code", read_only=True)

    class Meta:
        model = RoutingOperation
        fields = ("id", *ROUTING_OPERATION_FIELDS, "work_center_code")
        read_only_fields = fields


class RoutingSerializer(serializers.ModelSerializer):
    """A routing version with its operations."""

    item_code = serializers.CharField(source="item.code", read_only=True)
    operations = RoutingOperationSerializer(many=True, read_only=True)

    class Meta:
        model = Routing
        fields = (
            "id",
            "item",
            "item_code",
            *ROUTING_FIELDS,
            "operations",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class RoutingOperationWriteSerializer(serializers.ModelSerializer):
    """An operation of a routing to create; sequence defaults to 10, 20, 30…"""

    class Meta:
        model = RoutingOperation
        fields = ROUTING_OPERATION_FIELDS
        extra_kwargs = {"sequence": {"required": False}}


class RoutingWriteSerializer(_WriteSerializer):
    """Input to create a routing (item, version, validity, operations)."""

    read_serializer_class = RoutingSerializer
    operations = RoutingOperationWriteSerializer(many=True)

    class Meta:
        model = Routing
        fields = ("item", *ROUTING_FIELDS, "operations")
        validators: list = []


class RoutingUpdateSerializer(RoutingWriteSerializer):
    """Input to change a routing: the item stays; ``operations``, when sent, replace them all."""

    item: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    operations = RoutingOperationWriteSerializer(many=True, required=False)


class BomExplodeQuerySerializer(serializers.Serializer):
    """The query of an explosion: how much, and on which day (default today)."""

    quantity = DecimalNumberField(
        max_digits=18, decimal_places=6, min_value=Decimal("0.000001"), default=Decimal(1)
    )
    date = serializers.DateField(required=False)


class ExplosionLineSerializer(serializers.Serializer):
    """One line of a multi-level explosion."""

    level = serializers.IntegerField()
    # DRF's metaclass takes declared fields off the class, so this never shadows Field.parent.
    parent = serializers.IntegerField(source="parent.pk")  # type: ignore[assignment]
    parent_code = serializers.CharField(source="parent.code")
    component = serializers.IntegerField(source="component.pk")
    component_code = serializers.CharField(source="component.code")
    unit = serializers.CharField(source="component.unit.code")
    quantity_per = DecimalNumberField(max_digits=18, decimal_places=6)
    scrap_percent = DecimalNumberField(max_digits=9, decimal_places=6)
    quantity = DecimalNumberField(max_digits=18, decimal_places=6)
    is_leaf = serializers.BooleanField()
    via_phantom = serializers.IntegerField(source="via_phantom.pk", allow_null=True, default=None)


class RequirementSerializer(serializers.Serializer):
    """The total of one leaf component the explosion needs."""

    component = serializers.IntegerField(source="component.pk")
    component_code = serializers.CharField(source="component.code")
    unit = serializers.CharField(source="component.unit.code")
    quantity = DecimalNumberField(max_digits=18, decimal_places=6)


class BomExplosionSerializer(serializers.Serializer):
    """A multi-level explosion: every line by level, and the summed leaf requirements."""

    bom = serializers.IntegerField(source="bom.pk")
    item = serializers.IntegerField(source="bom.item_id")
    quantity = DecimalNumberField(max_digits=18, decimal_places=6)
    date = serializers.DateField(source="on_date")
    lines = ExplosionLineSerializer(many=True)
    requirements = RequirementSerializer(many=True)


class WhereUsedQuerySerializer(serializers.Serializer):
    """The query of where-used: only BOM versions valid on ``date`` when given."""

    date = serializers.DateField(required=False)


class WhereUsedSerializer(serializers.Serializer):
    """An assembly that uses the item, directly (level 1) or through others."""

    level = serializers.IntegerField()
    # DRF's metaclass takes declared fields off the class, so this never shadows Field.parent.
    parent = serializers.IntegerField(source="parent.pk")  # type: ignore[assignment]
    parent_code = serializers.CharField(source="parent.code")
    component = serializers.IntegerField(source="component.pk")
    component_code = serializers.CharField(source="component.code")
    quantity_per = DecimalNumberField(max_digits=18, decimal_places=6)
    bom = serializers.IntegerField(source="bom_id")
