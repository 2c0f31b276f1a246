"""Forms of the WMS pages: zones and bins (the warehouse's layout)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin, DecimalNumberField
from wms.models import Bin, Zone


def _decimal(model_field, **kwargs):
    return model_field.formfield(form_class=DecimalNumberField, **kwargs)


class ZoneForm(BootstrapFormMixin, forms.ModelForm):
    """A zone of a warehouse; the warehouse is fixed once the zone exists."""

    class Meta:
        model = Zone
        fields = ("warehouse", "code", "name")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["warehouse"].disabled = True


class BinForm(BootstrapFormMixin, forms.ModelForm):
    """A bin: where it is, how it is scanned, what it may hold and where it lies on the route."""

    formfield_callback = None

    class Meta:
        model = Bin
        fields = (
            "warehouse",
            "zone",
            "code",
            "barcode",
            "bin_type",
            "capacity_units",
            "capacity_volume",
            "capacity_weight",
            "walking_order",
            "is_blocked",
        )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("capacity_units", "capacity_volume", "capacity_weight"):
            model_field = Bin._meta.get_field(name)
            self.fields[name] = _decimal(model_field, min_value=0)
            self.fields[name].widget.attrs["class"] = "form-control"
        self.fields["zone"].queryset = Zone.objects.select_related("warehouse").order_by(
            "warehouse__code", "code"
        )
        if self.instance.pk:
            self.fields["warehouse"].disabled = True

    def clean(self) -> dict:
        cleaned = super().clean()
        zone, warehouse = cleaned.get("zone"), cleaned.get("warehouse")
        if zone is not None and warehouse is not None and zone.warehouse_id != warehouse.pk:
            raise ValidationError({"zone": _("The zone belongs to another warehouse.")})
        return cleaned
