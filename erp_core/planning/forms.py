"""Forms of the planning pages: a forecast, the planned-order filters."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin
from common.widgets import DateInput, SearchSelect
from erp_core.models import Item
from erp_core.planning.models import Forecast, PlannedOrder

ITEM_SEARCH = reverse_lazy("erp_core:item-options", query={"stocked": "1"})


class ForecastForm(BootstrapFormMixin, forms.ModelForm):
    """An item's expected sales over a period (the service checks the rules)."""

    class Meta:
        model = Forecast
        fields = ("item", "period_start", "period_end", "quantity", "memo")
        widgets = {
            "item": SearchSelect(ITEM_SEARCH),
            "period_start": DateInput(),
            "period_end": DateInput(),
        }


class PlannedOrderFilterForm(BootstrapFormMixin, forms.Form):
    """The planned-order list's filters."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *PlannedOrder.Status.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "—"), *PlannedOrder.Kind.choices]
    )
    item = forms.ModelChoiceField(
        label=_("Item"),
        queryset=Item.objects.all(),
        required=False,
        widget=SearchSelect(ITEM_SEARCH),
    )
    short = forms.BooleanField(label=_("Short only"), required=False)
