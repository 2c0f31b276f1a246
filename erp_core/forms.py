"""Forms of the ERP core's staff pages: they validate and display; services do the saving."""

from django import forms

from erp_core.models import Partner
from erp_core.services import PARTNER_FIELDS


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


class PartnerForm(BootstrapFormMixin, forms.ModelForm):
    """A partner's editable fields, validated like the model (unique code, tax id format)."""

    class Meta:
        model = Partner
        fields = PARTNER_FIELDS
