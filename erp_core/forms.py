"""Forms of the ERP core's staff pages: they validate and display; services do the saving."""

from decimal import Decimal

from django import forms

from erp_core.models import Item, Partner
from erp_core.services import ITEM_FIELDS, PARTNER_FIELDS


class BootstrapFormMixin:
    """Give every widget its Bootstrap class, and mark the fields that have errors."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            widget = form_field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if widget is not None and "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


class KeepWhenEmptyMixin:
    """Fields in ``keep_when_empty`` may be left empty: they then keep the object's value
    (its default for a new object), so a form that omits them changes nothing."""

    keep_when_empty: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.keep_when_empty:
            self.fields[name].required = False

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in self.keep_when_empty:
            if cleaned.get(name) in (None, "") and name not in self.errors:
                cleaned[name] = getattr(self.instance, name)
        return cleaned


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
    )

    class Meta:
        model = Item
        fields = ITEM_FIELDS


class ItemFilterForm(BootstrapFormMixin, forms.Form):
    """The search and filters of the item list."""

    q = forms.CharField(required=False)
    category = forms.ModelChoiceField(queryset=None, required=False)
    item_type = forms.ChoiceField(required=False)

    def __init__(self, *args, categories=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["item_type"].choices = [("", "—"), *Item.ItemType.choices]


class BomExplodeForm(BootstrapFormMixin, forms.Form):
    """How much to explode, and on which day (which BOM versions are valid)."""

    quantity = forms.DecimalField(min_value=Decimal("0.000001"), max_digits=18, decimal_places=6)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
