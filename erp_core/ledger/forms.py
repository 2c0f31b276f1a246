"""Forms of the finance pages: they validate and display; the ledger services do the saving."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin, DecimalNumberField
from common.widgets import DateInput, SearchSelect
from erp_core.ledger.models import Account, CompanySettings, FiscalPeriod, Journal
from erp_core.ledger.services import COMPANY_FIELDS
from erp_core.models import Partner

AMOUNT = {"max_digits": 18, "decimal_places": 2, "min_value": 0, "required": False}


class JournalEntryForm(BootstrapFormMixin, forms.Form):
    """The head of a draft entry: journal, date, memo."""

    journal = forms.ModelChoiceField(
        label=_("Journal"), queryset=Journal.objects.filter(is_active=True).order_by("code")
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    memo = forms.CharField(label=_("Memo"), max_length=255, required=False)


class JournalLineForm(BootstrapFormMixin, forms.Form):
    """A line of a draft entry: an account and a debit or a credit."""

    account = forms.ModelChoiceField(
        label=_("Account"),
        queryset=Account.objects.filter(is_postable=True, is_active=True).order_by("code"),
    )
    debit = DecimalNumberField(label=_("Debit"), **AMOUNT)
    credit = DecimalNumberField(label=_("Credit"), **AMOUNT)
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.order_by("code"),
        required=False,
        widget=SearchSelect(reverse_lazy("erp_core:partner-options")),
    )
    memo = forms.CharField(label=_("Memo"), max_length=255, required=False)


JournalLineFormSet = forms.formset_factory(
    JournalLineForm, extra=4, min_num=2, validate_min=True, max_num=200, validate_max=True
)


class ReverseForm(BootstrapFormMixin, forms.Form):
    """The date of a reversal."""

    date = forms.DateField(label=_("Reversal date"), widget=DateInput())


class TrialBalanceForm(BootstrapFormMixin, forms.Form):
    """The period range of a trial balance."""

    period_from = forms.ModelChoiceField(
        label=_("From period"), queryset=FiscalPeriod.objects.select_related("fiscal_year")
    )
    period_to = forms.ModelChoiceField(
        label=_("To period"), queryset=FiscalPeriod.objects.select_related("fiscal_year")
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("period_from"), cleaned.get("period_to")
        if start and end and start.start > end.start:
            self.add_error("period_to", _("The range ends before it starts."))
        return cleaned


class GeneralLedgerForm(BootstrapFormMixin, forms.Form):
    """The account and date range of a general ledger."""

    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.order_by("code"))
    date_from = forms.DateField(label=_("From"), widget=DateInput())
    date_to = forms.DateField(label=_("To"), widget=DateInput())

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The range ends before it starts."))
        return cleaned


class CompanySettingsForm(BootstrapFormMixin, forms.ModelForm):
    """The company's settings a page may change; ``company_settings_update`` checks and saves."""

    production_output_tolerance_percent = CompanySettings._meta.get_field(
        "production_output_tolerance_percent"
    ).formfield(form_class=DecimalNumberField)

    class Meta:
        model = CompanySettings
        fields = COMPANY_FIELDS
