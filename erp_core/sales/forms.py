"""Forms of the sales pages: they validate and display; the sales services do the saving."""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin, DecimalNumberField
from common.widgets import DateInput, RateSelect, SearchSelect
from erp_core.documents.amounts import plain
from erp_core.models import Item, Partner, TaxCode, Warehouse
from erp_core.sales.models import Delivery, PriceList, SalesOrder

DATE = {"widget": DateInput()}
QUANTITY = {"max_digits": 18, "decimal_places": 6}


ITEM_SEARCH = reverse_lazy("erp_core:item-options")
CUSTOMER_SEARCH = reverse_lazy("erp_core:partner-options", query={"role": "customer"})


def _customers():
    return Partner.objects.filter(
        Q(kind=Partner.Kind.CUSTOMER) | Q(kind=Partner.Kind.BOTH), is_active=True
    ).order_by("code")


class OrderFilterForm(BootstrapFormMixin, forms.Form):
    """The filters of the order list."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *SalesOrder.Status.choices],
    )
    customer = forms.ModelChoiceField(
        label=_("Customer"),
        required=False,
        queryset=Partner.objects.filter(kind__in=["customer", "both"]).order_by("code"),
        empty_label=_("All customers"),
    )
    date_from = forms.DateField(label=_("From"), required=False, **DATE)
    date_to = forms.DateField(label=_("To"), required=False, **DATE)


class DeliveryFilterForm(OrderFilterForm):
    """The filters of the delivery list."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Delivery.Status.choices],
    )


class OrderForm(BootstrapFormMixin, forms.Form):
    """The head of a sales order."""

    customer = forms.ModelChoiceField(
        label=_("Customer"), queryset=_customers(), widget=SearchSelect(CUSTOMER_SEARCH)
    )
    warehouse = forms.ModelChoiceField(
        label=_("Ship from"), queryset=Warehouse.objects.filter(is_active=True).order_by("code")
    )
    date = forms.DateField(label=_("Date"), **DATE)
    price_list = forms.ModelChoiceField(
        label=_("Price list"),
        required=False,
        queryset=PriceList.objects.filter(is_active=True).order_by("code"),
        empty_label=_("Default price list"),
        help_text=_("Empty: the default price list valid on the date."),
    )
    customer_reference = forms.CharField(
        label=_("Customer's PO number"), max_length=64, required=False
    )
    requested_date = forms.DateField(label=_("Requested date"), required=False, **DATE)
    promised_date = forms.DateField(label=_("Promised date"), required=False, **DATE)
    payment_terms_days = forms.IntegerField(
        label=_("Payment terms (days)"),
        min_value=0,
        max_value=3650,
        required=False,
        help_text=_("Empty: the customer's terms."),
    )
    memo = forms.CharField(label=_("Memo"), max_length=255, required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OrderLineForm(BootstrapFormMixin, forms.Form):
    """A line of a sales order; an empty price takes the price list's."""

    item = forms.ModelChoiceField(
        label=_("Item"),
        queryset=Item.objects.filter(is_active=True).order_by("code"),
        widget=SearchSelect(ITEM_SEARCH),
    )
    quantity = DecimalNumberField(label=_("Quantity"), **QUANTITY, min_value=Decimal("0.000001"))
    unit_price = DecimalNumberField(
        label=_("Unit price (excl. VAT)"), **QUANTITY, min_value=0, required=False
    )
    discount_percent = DecimalNumberField(
        label=_("Discount %"), max_digits=7, decimal_places=4, min_value=0, max_value=100,
        required=False,
    )  # fmt: skip
    tax_code = forms.ModelChoiceField(
        label=_("VAT code"),
        queryset=TaxCode.objects.filter(is_active=True).order_by("code"),
        required=False,
        empty_label=_("The item's VAT code"),
        help_text=_("Empty: the item's."),
        widget=RateSelect,
    )
    promised_date = forms.DateField(label=_("Promised date"), required=False, **DATE)


OrderLineFormSet = forms.formset_factory(
    OrderLineForm, extra=3, min_num=1, validate_min=True, max_num=200, validate_max=True
)


class ApproveForm(BootstrapFormMixin, forms.Form):
    """Confirm an order; Finance may override the credit limit with a reason."""

    override_credit = forms.BooleanField(label=_("Override the credit limit"), required=False)
    override_reason = forms.CharField(label=_("Reason"), max_length=255, required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DeliveryForm(BootstrapFormMixin, forms.Form):
    """A delivery of an order: date, warehouse, and a quantity per open order line."""

    date = forms.DateField(label=_("Date"), **DATE)
    warehouse = forms.ModelChoiceField(
        label=_("Warehouse"), queryset=Warehouse.objects.filter(is_active=True).order_by("code")
    )
    memo = forms.CharField(label=_("Memo"), max_length=255, required=False)

    def __init__(self, *args, order_lines=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order_lines = [line for line in order_lines if line.open_quantity > 0]
        for line in self.order_lines:
            self.fields[f"line_{line.pk}"] = DecimalNumberField(
                label=f"{line.line_no}. {line.item.code} {line.item.name}",
                **QUANTITY,
                min_value=0,
                max_value=line.open_quantity,
                required=False,
                initial=plain(line.open_quantity),
                # Styled here: the Bootstrap mixin has styled the fields before these are added.
                widget=forms.NumberInput(
                    attrs={
                        "class": "form-control form-control-sm text-end",
                        "style": "min-width: 8rem",
                    }
                ),
            )

    def line_fields(self) -> list:
        """(order line, bound field) for each open line."""
        return [(line, self[f"line_{line.pk}"]) for line in self.order_lines]

    def lines(self) -> list[dict]:
        """The lines to deliver: order lines with a quantity above zero."""
        return [
            {"sales_order_line": line, "quantity": self.cleaned_data[f"line_{line.pk}"]}
            for line in self.order_lines
            if self.cleaned_data.get(f"line_{line.pk}")
        ]


class PriceListForm(BootstrapFormMixin, forms.Form):
    """The head of a price list."""

    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100)
    valid_from = forms.DateField(label=_("Valid from"), required=False, **DATE)
    valid_to = forms.DateField(label=_("Valid to"), required=False, **DATE)
    is_default = forms.BooleanField(label=_("Default"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class PriceListItemForm(BootstrapFormMixin, forms.Form):
    """A row of a price list."""

    item = forms.ModelChoiceField(
        label=_("Item"),
        queryset=Item.objects.filter(is_active=True).order_by("code"),
        widget=SearchSelect(ITEM_SEARCH),
    )
    min_quantity = DecimalNumberField(
        label=_("From quantity"), **QUANTITY, min_value=0, required=False
    )
    unit_price = DecimalNumberField(label=_("Unit price (excl. VAT)"), **QUANTITY, min_value=0)


PriceListItemFormSet = forms.formset_factory(
    PriceListItemForm, extra=3, max_num=500, validate_max=True
)
