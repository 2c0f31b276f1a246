"""Forms of the stock pages: they validate and display; the stock services do the booking."""

from decimal import Decimal

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin, DecimalNumberField
from common.widgets import SearchSelect
from erp_core.models import Item, Warehouse
from erp_core.stock.models import StockMove

QUANTITY = {"max_digits": 18, "decimal_places": 6}
ITEM_SEARCH = reverse_lazy("erp_core:item-options", query={"stocked": "1"})


class AdjustmentForm(BootstrapFormMixin, forms.Form):
    """A counted difference: in (found, come back) or out (lost, broken), with the reason."""

    IN = "in"
    OUT = "out"

    item = forms.ModelChoiceField(
        label=_("Item"),
        queryset=Item.objects.filter(is_active=True)
        .exclude(item_type=Item.ItemType.SERVICE)
        .order_by("code"),
        widget=SearchSelect(ITEM_SEARCH),
    )
    warehouse = forms.ModelChoiceField(
        label=_("Warehouse"), queryset=Warehouse.objects.filter(is_active=True).order_by("code")
    )
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[(IN, _("In: more on hand than booked")), (OUT, _("Out: less on hand"))],
        widget=forms.RadioSelect,
        initial=IN,
    )
    quantity = DecimalNumberField(label=_("Quantity"), min_value=Decimal("0.000001"), **QUANTITY)
    unit_cost = DecimalNumberField(
        label=_("Unit cost"),
        min_value=0,
        required=False,
        help_text=_("Goods in only. Empty: the item's current cost."),
        **QUANTITY,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("Why the stock is adjusted: a count, goods that came back, breakage…"),
    )
    abnormal = forms.BooleanField(
        label=_("Abnormal loss"),
        required=False,
        help_text=_(
            "A loss beyond the norms (theft, mismanagement, spoilage): its input VAT is "
            "transferred out at month end."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Radio buttons take Bootstrap's check class, not the select's the mixin gave them.
        self.fields["direction"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("direction") == self.OUT and cleaned.get("unit_cost") is not None:
            self.add_error(
                "unit_cost", _("A loss is valued by the costing method: give no unit cost.")
            )
        return cleaned

    def signed_quantity(self) -> Decimal:
        """The quantity as the ledger books it: + in, − out."""
        quantity = self.cleaned_data["quantity"]
        return quantity if self.cleaned_data["direction"] == self.IN else -quantity


class MoveFilterForm(forms.Form):
    """The filters of the moves page (bad values are ignored)."""

    q = forms.CharField(required=False, max_length=100)
    warehouse = forms.ModelChoiceField(queryset=Warehouse.objects.order_by("code"), required=False)
    reason = forms.ChoiceField(
        choices=[("", _("All reasons")), *StockMove.Reason.choices], required=False
    )
