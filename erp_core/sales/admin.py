"""Django admin of sales: price lists (editable), orders and deliveries (read-only records).

Orders and deliveries change only through their services — the staff pages and the API — so
that numbering, prices, credit checks, stock moves and events are never bypassed; the admin
shows them with their history and offers the status steps as actions.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.admin import ReadOnlyAdminMixin
from common.errors import DomainError
from erp_core.sales import services
from erp_core.sales.models import (
    Delivery,
    DeliveryLine,
    PriceList,
    PriceListItem,
    SalesOrder,
    SalesOrderLine,
)


def _report(admin_obj: admin.ModelAdmin, request: HttpRequest, obj, exc: Exception) -> None:
    """Show a refused service call as an error message naming the object."""
    text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    admin_obj.message_user(request, f"{obj}: {text}", messages.ERROR)


class PriceListItemInline(admin.TabularInline):
    """The rows of a price list: an item's price from a minimum quantity on."""

    model = PriceListItem
    extra = 1
    fields = ("item", "min_quantity", "unit_price")
    autocomplete_fields = ("item",)


@admin.register(PriceList)
class PriceListAdmin(SimpleHistoryAdmin):
    """Price lists with their rows and change history."""

    list_display = ("code", "name", "currency", "valid_from", "valid_to", "is_default", "is_active")
    list_filter = ("is_default", "is_active")
    search_fields = ("code", "name")
    inlines = (PriceListItemInline,)

    def save_model(self, request: HttpRequest, obj: PriceList, form, change: bool) -> None:
        """One default at a time: a new default takes over from the old one."""
        if obj.is_default:
            PriceList.objects.filter(is_default=True).exclude(pk=obj.pk).update(is_default=False)
        super().save_model(request, obj, form, change)


class _ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


class SalesOrderLineInline(_ReadOnlyInline):
    """An order's lines with prices, VAT and delivered quantities."""

    model = SalesOrderLine
    fields = (
        "line_no",
        "item",
        "quantity",
        "unit_price",
        "discount_percent",
        "tax_rate",
        "net_amount",
        "tax_amount",
        "gross_amount",
        "promised_date",
        "delivered_quantity",
        "closed_quantity",
    )
    readonly_fields = fields


class _DocumentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """A document: read-only here (made on the staff pages or through the API, voided, never
    deleted); the status steps run through the services as actions."""

    date_hierarchy = "date"

    def _run(self, request: HttpRequest, queryset: QuerySet, step, done: str, **kwargs) -> None:
        count = 0
        for obj in queryset.order_by("pk"):
            try:
                step(obj, actor=request.user, **kwargs)
            except (ValidationError, DomainError) as exc:
                _report(self, request, obj, exc)
            else:
                count += 1
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)


@admin.register(SalesOrder)
class SalesOrderAdmin(_DocumentAdmin):
    """Sales orders with their lines and history; confirm, close and cancel as actions."""

    list_display = ("number", "date", "customer", "status", "promised_date", "warehouse")
    list_filter = ("status", "warehouse")
    list_select_related = ("customer", "warehouse")
    search_fields = ("number", "customer__code", "customer__name", "customer_reference")
    inlines = (SalesOrderLineInline,)
    actions = ("confirm_orders", "close_orders", "cancel_orders")

    @admin.action(description=_("Confirm the selected orders"), permissions=("approve",))
    def confirm_orders(self, request: HttpRequest, queryset: QuerySet[SalesOrder]) -> None:
        """Confirm each through ``sales_order_approve`` (the credit check applies)."""
        self._run(
            request,
            queryset,
            lambda order, **kw: services.sales_order_approve(order=order, **kw),
            _("%(count)s order(s) confirmed."),
        )

    @admin.action(description=_("Close the selected orders"), permissions=("approve",))
    def close_orders(self, request: HttpRequest, queryset: QuerySet[SalesOrder]) -> None:
        """Close each through ``sales_order_close``."""
        self._run(
            request,
            queryset,
            lambda order, **kw: services.sales_order_close(order=order, **kw),
            _("%(count)s order(s) closed."),
        )

    @admin.action(description=_("Cancel the selected orders"), permissions=("approve",))
    def cancel_orders(self, request: HttpRequest, queryset: QuerySet[SalesOrder]) -> None:
        """Cancel each through ``sales_order_cancel``."""
        self._run(
            request,
            queryset,
            lambda order, **kw: services.sales_order_cancel(order=order, **kw),
            _("%(count)s order(s) cancelled."),
        )

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("sales.approve_salesorder")


class DeliveryLineInline(_ReadOnlyInline):
    """A delivery's lines with their stock moves and invoiced quantities."""

    model = DeliveryLine
    fields = ("line_no", "sales_order_line", "item", "quantity", "invoiced_quantity", "stock_move")
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(_DocumentAdmin):
    """Deliveries with their lines and history; ship as an action."""

    list_display = ("number", "date", "customer", "sales_order", "status", "warehouse")
    list_filter = ("status", "warehouse")
    list_select_related = ("customer", "sales_order", "warehouse")
    search_fields = ("number", "sales_order__number", "customer__name", "shipment_reference")
    inlines = (DeliveryLineInline,)
    actions = ("ship_deliveries",)

    @admin.action(description=_("Ship the selected deliveries"), permissions=("ship",))
    def ship_deliveries(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        """Ship each through ``delivery_approve``."""
        self._run(
            request,
            queryset,
            lambda delivery, **kw: services.delivery_approve(delivery=delivery, **kw),
            _("%(count)s delivery(ies) shipped."),
        )

    def has_ship_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("sales.ship_delivery")
