"""Forms of the production order pages: they validate and display; services do the saving."""

from decimal import Decimal

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFormMixin, DecimalNumberField
from common.widgets import SearchSelect
from erp_core.models import BillOfMaterials, Item, Routing, Warehouse
from erp_core.production.models import ProductionOrder

QUANTITY = {"max_digits": 18, "decimal_places": 6}
MADE_ITEM_SEARCH = reverse_lazy(
    "erp_core:item-options", query={"make_or_buy": "make", "stocked": 1}
)
STOCKED_ITEM_SEARCH = reverse_lazy("erp_core:item-options", query={"stocked": 1})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _made_items():
    return (
        Item.objects.filter(is_active=True, make_or_buy=Item.MakeOrBuy.MAKE)
        .exclude(item_type=Item.ItemType.SERVICE)
        .select_related("unit")
        .order_by("code")
    )


def _warehouses():
    return Warehouse.objects.filter(is_active=True).order_by("code")


class ProductionOrderForm(BootstrapFormMixin, forms.Form):
    """A planned order's fields; BOM and routing left empty take the versions valid then."""

    item = forms.ModelChoiceField(
        label=_("Item"), queryset=Item.objects.none(), widget=SearchSelect(MADE_ITEM_SEARCH)
    )
    quantity = DecimalNumberField(label=_("Quantity"), min_value=Decimal("0.000001"), **QUANTITY)
    date = forms.DateField(label=_("Order date"), widget=DATE)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)
    start_date = forms.DateField(label=_("Planned start"), widget=DATE, required=False)
    warehouse = forms.ModelChoiceField(
        label=_("Output warehouse"), queryset=Warehouse.objects.none()
    )
    component_warehouse = forms.ModelChoiceField(
        label=_("Component warehouse"),
        queryset=Warehouse.objects.none(),
        required=False,
        help_text=_("Empty: the output warehouse."),
    )
    bom = forms.ModelChoiceField(
        label=_("Bill of materials"),
        queryset=BillOfMaterials.objects.none(),
        required=False,
        help_text=_("Empty: the version valid on the order date."),
    )
    routing = forms.ModelChoiceField(
        label=_("Routing"),
        queryset=Routing.objects.none(),
        required=False,
        help_text=_("Empty: the version valid on the order date."),
    )
    memo = forms.CharField(label=_("Memo"), max_length=255, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = _made_items()
        self.fields["warehouse"].queryset = _warehouses()
        self.fields["component_warehouse"].queryset = _warehouses()
        self.fields["bom"].queryset = BillOfMaterials.objects.filter(
            is_active=True, item__make_or_buy=Item.MakeOrBuy.MAKE
        ).select_related("item")
        self.fields["routing"].queryset = Routing.objects.filter(
            is_active=True, item__make_or_buy=Item.MakeOrBuy.MAKE
        ).select_related("item")

    @staticmethod
    def initial_for(order: ProductionOrder) -> dict:
        """The form's values for an existing order."""
        return {
            "item": order.item_id,
            "quantity": order.quantity.normalize(),
            "date": order.date,
            "due_date": order.due_date,
            "start_date": order.start_date,
            "warehouse": order.warehouse_id,
            "component_warehouse": order.component_warehouse_id,
            "bom": order.bom_id,
            "routing": order.routing_id,
            "memo": order.memo,
        }


class OrderFilterForm(BootstrapFormMixin, forms.Form):
    """The search and filters of the order list."""

    q = forms.CharField(required=False)
    status = forms.ChoiceField(required=False)
    item = forms.ModelChoiceField(
        queryset=Item.objects.none(), required=False, widget=SearchSelect(MADE_ITEM_SEARCH)
    )
    due_from = forms.DateField(required=False, widget=DATE)
    due_to = forms.DateField(required=False, widget=DATE)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *ProductionOrder.Status.choices]
        self.fields["item"].queryset = Item.objects.filter(
            make_or_buy=Item.MakeOrBuy.MAKE
        ).order_by("code")


class ConsumeForm(BootstrapFormMixin, forms.Form):
    """A component consumed, from the component warehouse unless another is chosen."""

    item = forms.ModelChoiceField(
        label=_("Component"),
        queryset=Item.objects.none(),
        widget=SearchSelect(STOCKED_ITEM_SEARCH),
    )
    quantity = DecimalNumberField(label=_("Quantity"), min_value=Decimal("0.000001"), **QUANTITY)
    warehouse = forms.ModelChoiceField(
        label=_("Warehouse"), queryset=Warehouse.objects.none(), required=False
    )

    override_reason = forms.CharField(
        label=_("Override reason (supervisor)"),
        required=False,
        max_length=255,
        help_text=_("Only to report beyond the limits: past the tolerance, on a done order."),
    )

    def __init__(self, *args, order: ProductionOrder | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        items = Item.objects.filter(is_active=True).exclude(item_type=Item.ItemType.SERVICE)
        if order is not None:
            items = items.exclude(pk=order.item_id)
        self.fields["item"].queryset = items.order_by("code")
        self.fields["warehouse"].queryset = _warehouses()


class ReportOutputForm(BootstrapFormMixin, forms.Form):
    """Good output and scrap."""

    quantity = DecimalNumberField(
        label=_("Good quantity"), min_value=Decimal("0"), initial=Decimal("0"), **QUANTITY
    )
    scrap_quantity = DecimalNumberField(
        label=_("Scrap quantity"), min_value=Decimal("0"), initial=Decimal("0"), **QUANTITY
    )

    override_reason = forms.CharField(
        label=_("Override reason (supervisor)"),
        required=False,
        max_length=255,
        help_text=_("Only to report beyond the limits: past the tolerance, on a done order."),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("quantity") and not cleaned.get("scrap_quantity"):
            raise forms.ValidationError(_("Report a good or a scrap quantity."))
        return cleaned


class BookTimeForm(BootstrapFormMixin, forms.Form):
    """Machine and labour hours on one of the order's operations."""

    operation = forms.ModelChoiceField(label=_("Operation"), queryset=None)
    machine_hours = DecimalNumberField(
        label=_("Machine hours"), min_value=Decimal("0"), initial=Decimal("0"), **QUANTITY
    )
    labour_hours = DecimalNumberField(
        label=_("Labour hours"), min_value=Decimal("0"), initial=Decimal("0"), **QUANTITY
    )

    override_reason = forms.CharField(
        label=_("Override reason (supervisor)"),
        required=False,
        max_length=255,
        help_text=_("Only to report beyond the limits: past the tolerance, on a done order."),
    )

    def __init__(self, *args, order: ProductionOrder, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operation"].queryset = order.operations.select_related("work_center")

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("machine_hours") and not cleaned.get("labour_hours"):
            raise forms.ValidationError(_("Book machine or labour hours."))
        return cleaned
