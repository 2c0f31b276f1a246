"""Forms of the ERP core's staff pages: they validate and display; services do the saving."""

from collections.abc import Iterable
from decimal import Decimal
from typing import cast

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin, DecimalNumberField, KeepWhenEmptyMixin
from common.widgets import DateInput, SearchSelect
from erp_core.masterdata.models.items import MAX_UNIT_DECIMALS
from erp_core.masterdata.quantities import CATEGORY_DECIMALS
from erp_core.masterdata.services import (
    BOM_FIELDS,
    CURRENCY_FIELDS,
    ITEM_CATEGORY_FIELDS,
    ITEM_FIELDS,
    PARTNER_FIELDS,
    ROUTING_FIELDS,
    TAX_CODE_FIELDS,
    UNIT_CONVERSION_FIELDS,
    UNIT_FIELDS,
    WAREHOUSE_FIELDS,
    WORK_CENTER_FIELDS,
)
from erp_core.models import (
    BillOfMaterials,
    Currency,
    ExchangeRate,
    Item,
    ItemCategory,
    Partner,
    Routing,
    TaxCode,
    UnitConversion,
    UnitOfMeasure,
    Warehouse,
    WorkCenter,
)


class PartnerForm(BootstrapFormMixin, KeepWhenEmptyMixin, forms.ModelForm):
    """A partner's editable fields, validated like the model (unique code, tax id format)."""

    keep_when_empty = ("payment_terms_days", "credit_limit")

    class Meta:
        model = Partner
        fields = PARTNER_FIELDS


class ItemForm(BootstrapFormMixin, KeepWhenEmptyMixin, forms.ModelForm):
    """An item's editable fields; empty pinyin initials are computed from the name."""

    keep_when_empty = (
        "standard_cost",
        "list_price",
        "purchase_lead_time_days",
        "production_lead_time_days",
        "safety_stock",
        "reorder_point",
        "min_order_qty",
        "order_multiple",
        "lot_sizing",
        "period_order_days",
    )

    class Meta:
        model = Item
        fields = ITEM_FIELDS


class ItemFilterForm(BootstrapFormMixin, forms.Form):
    """The search and filters of the item list."""

    q = forms.CharField(required=False)
    category = forms.ModelChoiceField(queryset=ItemCategory.objects.none(), required=False)
    item_type = forms.ChoiceField(required=False)

    def __init__(self, *args, categories=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["category"]).queryset = categories
        cast(forms.ChoiceField, self.fields["item_type"]).choices = [
            ("", "—"),
            *Item.ItemType.choices,
        ]


class BomExplodeForm(BootstrapFormMixin, forms.Form):
    """How much to explode, and on which day (which BOM versions are valid)."""

    quantity = DecimalNumberField(min_value=Decimal("0.000001"), max_digits=18, decimal_places=6)
    date = forms.DateField(widget=DateInput())


# --- Master data -------------------------------------------------------------------------------


class UnitForm(BootstrapFormMixin, forms.ModelForm):
    """A unit of measure: code, name, what it measures and the decimals of its quantities
    (left empty: a new unit takes its category's, pieces whole, kilograms 3, metres 2; a unit
    kept keeps its own)."""

    class Meta:
        model = UnitOfMeasure
        fields = UNIT_FIELDS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decimals"].required = False
        if self.instance.pk is None:
            self.fields["decimals"].initial = None

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("decimals") is None:
            if self.instance.pk is not None:
                cleaned["decimals"] = self.instance.decimals  # left empty: unchanged
            else:
                category = cleaned.get("category", "")
                cleaned["decimals"] = CATEGORY_DECIMALS.get(category, MAX_UNIT_DECIMALS)
        return cleaned


class UnitConversionForm(BootstrapFormMixin, forms.ModelForm):
    """``1 from-unit = factor × to-unit``, general or for one item."""

    class Meta:
        model = UnitConversion
        fields = UNIT_CONVERSION_FIELDS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["item"]).queryset = Item.objects.select_related(
            "unit"
        ).order_by("code")


class ItemCategoryForm(BootstrapFormMixin, forms.ModelForm):
    """A category of the item tree and its parent (not itself nor one of its descendants)."""

    class Meta:
        model = ItemCategory
        fields = ITEM_CATEGORY_FIELDS

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        parents = ItemCategory.objects.order_by("code")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = parents


class TaxCodeForm(BootstrapFormMixin, forms.ModelForm):
    """A VAT code; the rate is a fraction (0.13 for 13 %)."""

    class Meta:
        model = TaxCode
        fields = TAX_CODE_FIELDS


class CurrencyForm(BootstrapFormMixin, KeepWhenEmptyMixin, forms.ModelForm):
    """A currency by ISO code (upper-cased on save) and its decimals."""

    keep_when_empty = ("decimals",)

    class Meta:
        model = Currency
        fields = CURRENCY_FIELDS

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class ExchangeRateForm(BootstrapFormMixin, forms.ModelForm):
    """The CNY value of one unit of the page's currency from a date on."""

    class Meta:
        model = ExchangeRate
        fields = ("date", "rate")
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class WarehouseForm(BootstrapFormMixin, forms.ModelForm):
    """A warehouse: the ERP's stock location (bins belong to WMS)."""

    class Meta:
        model = Warehouse
        fields = WAREHOUSE_FIELDS


class WorkCenterForm(BootstrapFormMixin, KeepWhenEmptyMixin, forms.ModelForm):
    """A work center with its shift calendar and hourly rates."""

    keep_when_empty = ("machine_rate_per_hour", "labour_rate_per_hour")

    class Meta:
        model = WorkCenter
        fields = WORK_CENTER_FIELDS


# --- Bills of materials and routings -----------------------------------------------------------

DATE_WIDGET = {"type": "date"}


class _VersionForm(BootstrapFormMixin, forms.ModelForm):
    """The header of a BOM or routing version; the item is fixed once the version exists."""

    def __init__(self, *args, item_fixed: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if item_fixed:
            del self.fields["item"]
        else:
            cast(forms.ModelChoiceField, self.fields["item"]).queryset = (
                Item.objects.exclude(item_type=Item.ItemType.SERVICE)
                .filter(is_active=True)
                .order_by("code")
            )


class BomForm(_VersionForm):
    """A BOM version's item, version and validity."""

    class Meta:
        model = BillOfMaterials
        fields = ("item", *BOM_FIELDS)
        widgets = {
            "valid_from": forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        }


class RoutingForm(_VersionForm):
    """A routing version's item, version and validity."""

    class Meta:
        model = Routing
        fields = ("item", *ROUTING_FIELDS)
        widgets = BomForm.Meta.widgets


class _ChildForm(BootstrapFormMixin, forms.Form):
    """A row of a version (BOM line, operation); an empty sequence is numbered 10, 20…

    Only active items or work centers are offered, plus the ``current`` ones the version
    already uses (an edit must not fail on a row nobody touched).
    """

    sequence = forms.IntegerField(label=_("Sequence"), min_value=1, required=False)

    def row(self) -> dict:
        """The row as the service takes it (empty optional values left out)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "DELETE" and value is not None
        }


class BomLineForm(_ChildForm):
    """A component line: quantity per unit of the parent, scrap, phantom."""

    component = forms.ModelChoiceField(
        label=_("Component"),
        queryset=Item.objects.none(),
        widget=SearchSelect(reverse_lazy("erp_core:item-options", query={"stocked": 1})),
    )
    quantity_per = DecimalNumberField(
        label=_("Quantity per"), min_value=Decimal("0.000001"), max_digits=18, decimal_places=6
    )
    scrap_percent = DecimalNumberField(
        label=_("Scrap %"),
        min_value=0,
        max_value=100,
        max_digits=9,
        decimal_places=6,
        required=False,
    )
    is_phantom = forms.BooleanField(label=_("Phantom"), required=False)

    def __init__(self, *args, current: Iterable[int] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["component"]).queryset = (
            Item.objects.exclude(item_type=Item.ItemType.SERVICE)
            .filter(Q(is_active=True) | Q(pk__in=list(current)))
            .order_by("code")
        )


class RoutingOperationForm(_ChildForm):
    """An operation: work center, description, setup once per order, run time per unit."""

    work_center = forms.ModelChoiceField(label=_("Work center"), queryset=WorkCenter.objects.none())
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    setup_minutes = DecimalNumberField(
        label=_("Setup minutes"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    run_minutes_per_unit = DecimalNumberField(
        label=_("Run minutes per unit"), min_value=0, max_digits=18, decimal_places=6,
        required=False,
    )  # fmt: skip

    def __init__(self, *args, current: Iterable[int] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["work_center"]
        ).queryset = WorkCenter.objects.filter(
            Q(is_active=True) | Q(pk__in=list(current))
        ).order_by("code")


class _ChildFormSet(forms.BaseFormSet):
    """Rows of a version: at least one; removed rows are marked, not sent to the service."""

    def rows(self) -> list[dict]:
        """The kept, filled rows in page order."""
        return [
            form.row()
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


BomLineFormSet = forms.formset_factory(
    BomLineForm,
    formset=_ChildFormSet,
    extra=3,
    can_delete=True,
    min_num=1,
    validate_min=True,
    max_num=500,
    validate_max=True,
)
RoutingOperationFormSet = forms.formset_factory(
    RoutingOperationForm,
    formset=_ChildFormSet,
    extra=3,
    can_delete=True,
    min_num=1,
    validate_min=True,
    max_num=200,
    validate_max=True,
)
