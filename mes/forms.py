"""Forms of the MES pages: machines, ideal cycle times, a stop's reason."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin, DecimalNumberField
from common.widgets import SearchSelect
from erp_core.models import Item, WorkCenter
from mes.models import DowntimeReason, Machine
from mes.models.machines import CYCLE_MAX, CYCLE_MIN

ITEM_SEARCH = reverse_lazy("erp_core:item-options")
CYCLE = {"max_digits": 12, "decimal_places": 3, "min_value": CYCLE_MIN, "max_value": CYCLE_MAX}


class MachineForm(BootstrapFormMixin, forms.ModelForm):
    """A machine: its work center, code, name, default ideal cycle time, active flag."""

    work_center = forms.ModelChoiceField(
        label=_("Work center"), queryset=WorkCenter.objects.filter(is_active=True).order_by("code")
    )
    ideal_cycle_seconds = DecimalNumberField(
        label=_("Ideal cycle time (seconds)"),
        required=False,
        help_text=_("Seconds per unit when the item made has no cycle time of its own."),
        **CYCLE,
    )

    class Meta:
        model = Machine
        fields = ("work_center", "code", "name", "ideal_cycle_seconds", "is_active")


class CycleTimeForm(BootstrapFormMixin, forms.Form):
    """An item's ideal cycle time on a machine."""

    item = forms.ModelChoiceField(
        label=_("Item"),
        queryset=Item.objects.filter(is_active=True).order_by("code"),
        widget=SearchSelect(ITEM_SEARCH),
    )
    seconds_per_unit = DecimalNumberField(label=_("Seconds per unit"), **CYCLE)


class DowntimeReasonForm(BootstrapFormMixin, forms.Form):
    """The reason of a stop, and a note."""

    reason = forms.ChoiceField(label=_("Reason"), choices=DowntimeReason.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
