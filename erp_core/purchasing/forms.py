"""Forms of the purchasing pages: they validate and display; the services do the saving."""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin, DecimalNumberField
from common.widgets import RateSelect, SearchSelect
from erp_core.models import Item, Partner, TaxCode, Warehouse
from erp_core.purchasing.models import PurchaseOrder, PurchaseRequisitionLine

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
QUANTITY = {"max_digits": 18, "decimal_places": 6, "min_value": Decimal("0.000001")}
PRICE = {"max_digits": 18, "decimal_places": 6, "min_value": Decimal("0")}
PERCENT = {"max_digits": 7, "decimal_places": 4, "min_value": Decimal("0")}
ITEM_SEARCH = reverse_lazy("erp_core:item-options")
SUPPLIER_SEARCH = reverse_lazy("erp_core:partner-options", query={"role": "supplier"})


def _suppliers():
    return Partner.objects.filter(
        Q(kind=Partner.Kind.SUPPLIER) | Q(kind=Partner.Kind.BOTH), is_active=True
    ).order_by("code")


def _items():
    return Item.objects.filter(is_active=True).order_by("code")


def _warehouses():
    return Warehouse.objects.filter(is_active=True).order_by("code")


class AcknowledgeForm(BootstrapFormMixin, forms.Form):
    """The supplier's acknowledgement, recorded by staff on its behalf."""

    supplier_reference = forms.CharField(
        label=_("Supplier's reference"),
        max_length=64,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "zt-reason", "placeholder": _("Supplier's reference")}
        ),
    )


# --- Requisitions ------------------------------------------------------------------------------


class RequisitionForm(BootstrapFormMixin, forms.Form):
    """The head of a requisition."""

    date = forms.DateField(label=_("Date"), widget=DATE)
    memo = forms.CharField(label=_("Memo"), max_length=255, required=False)


class RequisitionLineForm(BootstrapFormMixin, forms.Form):
    """A requisition line: item, quantity, needed by, suggested supplier."""

    item = forms.ModelChoiceField(
        label=_("Item"), queryset=_items(), required=False, widget=SearchSelect(ITEM_SEARCH)
    )
    quantity = DecimalNumberField(label=_("Quantity"), required=False, **QUANTITY)
    needed_by = forms.DateField(label=_("Needed by"), widget=DATE, required=False)
    suggested_supplier = forms.ModelChoiceField(
        label=_("Suggested supplier"),
        queryset=_suppliers(),
        required=False,
        widget=SearchSelect(SUPPLIER_SEARCH),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = _items()
        self.fields["suggested_supplier"].queryset = _suppliers()

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("item") and not cleaned.get("quantity"):
            self.add_error("quantity", _("Give the quantity."))
        if cleaned.get("quantity") and not cleaned.get("item"):
            self.add_error("item", _("Choose the item."))
        return cleaned


RequisitionLineFormSet = forms.formset_factory(
    RequisitionLineForm, extra=3, max_num=200, validate_max=True
)


class RequisitionOrderForm(BootstrapFormMixin, forms.Form):
    """Make an order from a requisition's open lines: to which supplier, into which warehouse."""

    supplier = forms.ModelChoiceField(
        label=_("Supplier"), queryset=_suppliers(), widget=SearchSelect(SUPPLIER_SEARCH)
    )
    warehouse = forms.ModelChoiceField(label=_("Deliver to"), queryset=_warehouses())
    date = forms.DateField(label=_("Order date"), widget=DATE)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = _suppliers()
        self.fields["warehouse"].queryset = _warehouses()


# --- Orders ------------------------------------------------------------------------------------


class OrderForm(BootstrapFormMixin, forms.Form):
    """The head of a purchase order."""

    supplier = forms.ModelChoiceField(
        label=_("Supplier"), queryset=_suppliers(), widget=SearchSelect(SUPPLIER_SEARCH)
    )
    date = forms.DateField(label=_("Order date"), widget=DATE)
    warehouse = forms.ModelChoiceField(label=_("Deliver to"), queryset=_warehouses())
    expected_date = forms.DateField(
        label=_("Expected date"),
        widget=DATE,
        required=False,
        help_text=_("Empty: each line's date plus the item's lead time."),
    )
    payment_terms_days = forms.IntegerField(
        label=_("Payment terms (days)"),
        min_value=0,
        max_value=3650,
        required=False,
        help_text=_("Empty: the supplier's terms."),
    )
    over_receipt_tolerance = DecimalNumberField(
        label=_("Over-receipt tolerance %"), initial=Decimal("0"), **PERCENT
    )
    under_receipt_tolerance = DecimalNumberField(
        label=_("Under-receipt tolerance %"),
        initial=Decimal("0"),
        max_value=Decimal("99.9999"),
        **PERCENT,
    )
    memo = forms.CharField(label=_("Memo"), max_length=255, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = _suppliers()
        self.fields["warehouse"].queryset = _warehouses()


class OrderLineForm(BootstrapFormMixin, forms.Form):
    """An order line; empty price, VAT code and date take the defaults."""

    item = forms.ModelChoiceField(
        label=_("Item"), queryset=_items(), required=False, widget=SearchSelect(ITEM_SEARCH)
    )
    quantity = DecimalNumberField(label=_("Quantity"), required=False, **QUANTITY)
    unit_price = DecimalNumberField(label=_("Unit price (excl. VAT)"), required=False, **PRICE)
    discount_percent = DecimalNumberField(
        label=_("Discount %"), required=False, max_value=Decimal("100"), **PERCENT
    )
    tax_code = forms.ModelChoiceField(
        label=_("VAT code"),
        queryset=TaxCode.objects.filter(is_active=True),
        required=False,
        widget=RateSelect,
    )
    expected_date = forms.DateField(label=_("Expected date"), widget=DATE, required=False)
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
    requisition_line = forms.ModelChoiceField(
        queryset=PurchaseRequisitionLine.objects.all(),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = _items()
        self.fields["tax_code"].queryset = TaxCode.objects.filter(is_active=True).order_by("code")

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("item") and not cleaned.get("quantity"):
            self.add_error("quantity", _("Give the quantity."))
        if cleaned.get("quantity") and not cleaned.get("item"):
            self.add_error("item", _("Choose the item."))
        return cleaned


OrderLineFormSet = forms.formset_factory(OrderLineForm, extra=3, max_num=200, validate_max=True)


class OrderFilterForm(forms.Form):
    """The filters of the order list (bad values are ignored)."""

    status = forms.ChoiceField(
        choices=[("", _("All statuses")), *PurchaseOrder.Status.choices], required=False
    )
    supplier = forms.ModelChoiceField(
        queryset=Partner.objects.filter(Q(kind="supplier") | Q(kind="both")), required=False
    )
    date_from = forms.DateField(required=False)
    date_to = forms.DateField(required=False)


# --- Receipts ----------------------------------------------------------------------------------


class ReceiptForm(BootstrapFormMixin, forms.Form):
    """The head of a receipt against an order."""

    date = forms.DateField(label=_("Date received"), widget=DATE)
    warehouse = forms.ModelChoiceField(label=_("Warehouse"), queryset=_warehouses())
    delivery_note = forms.CharField(
        label=_("Supplier's delivery note"), max_length=64, required=False
    )
    memo = forms.CharField(label=_("Memo"), max_length=255, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = _warehouses()


class ReceiptLineForm(BootstrapFormMixin, forms.Form):
    """A quantity received on one order line (empty or zero: nothing of it)."""

    order_line = forms.IntegerField(widget=forms.HiddenInput)
    quantity = DecimalNumberField(
        label=_("Quantity received"),
        required=False,
        max_digits=18,
        decimal_places=6,
        min_value=Decimal("0"),
    )


ReceiptLineFormSet = forms.formset_factory(ReceiptLineForm, extra=0, max_num=200)
