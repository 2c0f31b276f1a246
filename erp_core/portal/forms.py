"""Forms of the partner portal: the statement's period and a new API token."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin
from common.widgets import DateInput


class StatementPeriodForm(BootstrapFormMixin, forms.Form):
    """The period of the partner's own statement (the partner is the signed-in user's)."""

    date_from = forms.DateField(label=_("From"), widget=DateInput())
    date_to = forms.DateField(label=_("To"), widget=DateInput())

    def clean(self) -> dict:
        """The period runs forward."""
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


class TokenForm(BootstrapFormMixin, forms.Form):
    """A new API token: what it is for, and the last day it works."""

    name = forms.CharField(label=_("Name"), max_length=64)
    expires_on = forms.DateField(label=_("Valid until"), widget=DateInput())
