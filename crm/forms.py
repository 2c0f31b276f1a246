"""Forms of the CRM pages. They check shapes only; the services hold the rules and their
refusals are shown on the form."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin, DecimalNumberField
from crm.models import Account, Activity, Lead, Quote, Receivable, Stage, Ticket
from erp_core.models import Item, User


def _staff():
    return forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True, partner__isnull=True).order_by("username"),
        required=False,
        label=_("owner"),
    )


class LeadForm(BootstrapFormMixin, forms.ModelForm):
    """A lead; ``allow_duplicate`` keeps one that looks like a known company."""

    allow_duplicate = forms.BooleanField(
        label=_("Save even though it looks like a known company"), required=False
    )

    class Meta:
        model = Lead
        fields = (
            "company",
            "contact_name",
            "phone",
            "email",
            "tax_id",
            "source",
            "score",
            "owner",
            "notes",
        )


class AccountForm(BootstrapFormMixin, forms.ModelForm):
    """An account's own fields (its ERP customer is bound by the ERP)."""

    class Meta:
        model = Account
        fields = ("name", "owner", "tax_id", "phone", "email", "industry", "address")


class ConvertForm(BootstrapFormMixin, forms.Form):
    """How to convert a lead."""

    opportunity_name = forms.CharField(label=_("opportunity"), max_length=200, required=False)
    amount = DecimalNumberField(
        label=_("amount"), max_digits=18, decimal_places=2, min_value=0, required=False
    )
    expected_close = forms.DateField(
        label=_("expected close"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class OpportunityForm(BootstrapFormMixin, forms.Form):
    """A new deal."""

    account = forms.ModelChoiceField(queryset=Account.objects.none(), label=_("account"))
    name = forms.CharField(label=_("name"), max_length=200)
    stage = forms.ModelChoiceField(
        queryset=Stage.objects.filter(is_active=True), label=_("stage"), required=False
    )
    amount = DecimalNumberField(label=_("amount"), max_digits=18, decimal_places=2, min_value=0)
    expected_close = forms.DateField(
        label=_("expected close"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, accounts=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if accounts is not None:
            cast(forms.ModelChoiceField, self.fields["account"]).queryset = accounts


class QuoteForm(BootstrapFormMixin, forms.Form):
    """A new quote of up to five lines (prices from the price list unless given)."""

    LINES = 5

    account = forms.ModelChoiceField(queryset=Account.objects.none(), label=_("account"))
    valid_until = forms.DateField(
        label=_("valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    requested_date = forms.DateField(
        label=_("requested delivery date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    language = forms.ChoiceField(label=_("print language"), choices=Quote.Language.choices)

    def __init__(self, *args, accounts=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if accounts is not None:
            cast(forms.ModelChoiceField, self.fields["account"]).queryset = accounts
        items = Item.objects.filter(is_active=True).order_by("code")
        for n in range(1, self.LINES + 1):
            self.fields[f"item_{n}"] = forms.ModelChoiceField(
                queryset=items, required=n == 1, label=_("item, line %(n)s") % {"n": n}
            )
            self.fields[f"quantity_{n}"] = DecimalNumberField(
                label=_("quantity, line %(n)s") % {"n": n},
                max_digits=18,
                decimal_places=6,
                min_value="0.000001",
                required=False,
            )
            self.fields[f"discount_{n}"] = DecimalNumberField(
                label=_("discount %%, line %(n)s") % {"n": n},
                max_digits=7,
                decimal_places=4,
                min_value=0,
                max_value=100,
                required=False,
            )

    def lines(self) -> list[dict]:
        """The filled lines."""
        rows = []
        for n in range(1, self.LINES + 1):
            item = self.cleaned_data.get(f"item_{n}")
            if item is None:
                continue
            rows.append(
                {
                    "item": item,
                    "quantity": self.cleaned_data.get(f"quantity_{n}"),
                    "discount_percent": self.cleaned_data.get(f"discount_{n}") or "0",
                }
            )
        return rows


class ActivityForm(BootstrapFormMixin, forms.Form):
    """A call, meeting, visit, task or note."""

    kind = forms.ChoiceField(label=_("kind"), choices=Activity.Kind.choices)
    subject = forms.CharField(label=_("subject"), max_length=200)
    account = forms.ModelChoiceField(
        queryset=Account.objects.none(), label=_("account"), required=False
    )
    due_at = forms.DateTimeField(
        label=_("due"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, accounts=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if accounts is not None:
            cast(forms.ModelChoiceField, self.fields["account"]).queryset = accounts


class TicketForm(BootstrapFormMixin, forms.Form):
    """A new service ticket."""

    account = forms.ModelChoiceField(queryset=Account.objects.none(), label=_("customer"))
    subject = forms.CharField(label=_("subject"), max_length=200)
    priority = forms.ChoiceField(
        label=_("priority"), choices=Ticket.Priority.choices, initial=Ticket.Priority.NORMAL
    )
    item = forms.ModelChoiceField(
        queryset=Item.objects.order_by("code"), required=False, label=_("item")
    )
    lot_or_serial = forms.CharField(label=_("lot or serial"), max_length=64, required=False)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, accounts=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if accounts is not None:
            cast(forms.ModelChoiceField, self.fields["account"]).queryset = accounts


class ImportForm(BootstrapFormMixin, forms.Form):
    """An Excel file of leads or accounts."""

    KINDS = (("leads", _("Leads")), ("accounts", _("Accounts")))

    kind = forms.ChoiceField(label=_("what the file holds"), choices=KINDS)
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class PromiseToPayForm(BootstrapFormMixin, forms.Form):
    """A customer's promise to pay an amount by a date, maybe for one open invoice."""

    account = forms.ModelChoiceField(queryset=Account.objects.none(), label=_("account"))
    receivable = forms.ModelChoiceField(
        queryset=Receivable.objects.none(), label=_("invoice"), required=False
    )
    amount = DecimalNumberField(label=_("amount"), max_digits=18, decimal_places=2, min_value=0)
    promised_date = forms.DateField(
        label=_("Promised payment date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(label=_("notes"), max_length=300, required=False)

    def __init__(self, *args, accounts=None, receivables=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if accounts is not None:
            cast(forms.ModelChoiceField, self.fields["account"]).queryset = accounts
        if receivables is not None:
            cast(forms.ModelChoiceField, self.fields["receivable"]).queryset = receivables
