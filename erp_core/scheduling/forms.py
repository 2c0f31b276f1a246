"""Forms of the schedule pages: a maintenance window."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.forms import BootstrapFormMixin
from erp_core.masterdata.models import WorkCenter


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker (local time)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class MaintenanceWindowForm(BootstrapFormMixin, forms.Form):
    """A planned stop of a work center or of one of its machines (the service checks the rules)."""

    work_center = forms.ModelChoiceField(
        label=_("Work center"), queryset=WorkCenter.objects.filter(is_active=True)
    )
    machine_id = forms.IntegerField(
        label=pgettext_lazy("scheduling", "Machine"),
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text=pgettext_lazy("scheduling", "Empty: every machine of the center."),
    )
    start = forms.DateTimeField(
        label=_("Start"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    end = forms.DateTimeField(
        label=_("End"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
