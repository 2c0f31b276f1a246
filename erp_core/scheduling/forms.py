"""Forms of the schedule pages: a maintenance window, a shift, a holiday."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.forms import BootstrapFormMixin
from erp_core.masterdata.models import WorkCenter
from erp_core.scheduling.models import WorkCenterShift


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker (local time)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class TimeInput(forms.TimeInput):
    """The browser's time picker (hours and minutes)."""

    input_type = "time"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%H:%M")


class DateInput(forms.DateInput):
    """The browser's date picker."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


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


class WorkCenterShiftForm(BootstrapFormMixin, forms.Form):
    """A shift of a work center's week; an end at or before the start runs into the next day
    (the service refuses a shift overlapping another)."""

    work_center = forms.ModelChoiceField(
        label=_("Work center"), queryset=WorkCenter.objects.filter(is_active=True)
    )
    weekday = forms.TypedChoiceField(
        label=pgettext_lazy("scheduling", "Weekday"),
        choices=WorkCenterShift.Weekday.choices,
        coerce=int,
    )
    start = forms.TimeField(label=_("Start"), widget=TimeInput(), input_formats=["%H:%M"])
    end = forms.TimeField(
        label=_("End"),
        widget=TimeInput(),
        input_formats=["%H:%M"],
        help_text=pgettext_lazy("scheduling", "At or before the start: the next day."),
    )


class HolidayForm(BootstrapFormMixin, forms.Form):
    """A day off, at every work center or at one (the service refuses the same day twice)."""

    date = forms.DateField(label=_("Date"), widget=DateInput(), input_formats=["%Y-%m-%d"])
    work_center = forms.ModelChoiceField(
        label=_("Work center"),
        queryset=WorkCenter.objects.filter(is_active=True),
        required=False,
        empty_label=pgettext_lazy("scheduling", "Every work center"),
    )
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
