"""Reads of WMS outbound: outbound orders, pick lists, packages and shipments, each with what
its pages and API show fetched in a fixed number of queries."""

from django.db.models import Prefetch, Q, QuerySet

from wms.models import Allocation, OutboundOrder, Package, PickList, Shipment


def outbound_order_list() -> QuerySet[OutboundOrder]:
    """Outbound orders with their warehouse, customer, sales order and lines."""
    return OutboundOrder.objects.select_related(
        "warehouse", "customer", "sales_order"
    ).prefetch_related("lines__item")


def pick_list_list() -> QuerySet[PickList]:
    """Pick lists with their orders and their tasks in walking order."""
    tasks = Allocation.objects.select_related("bin", "item", "lot", "serial", "line").order_by(
        "sequence", "pk"
    )
    return PickList.objects.select_related("warehouse").prefetch_related(
        "orders", Prefetch("tasks", queryset=tasks)
    )


def package_list() -> QuerySet[Package]:
    """Packages with their order, shipment and contents."""
    return Package.objects.select_related("order", "shipment").prefetch_related(
        "contents__item", "contents__lot", "contents__serial"
    )


def shipment_list() -> QuerySet[Shipment]:
    """Shipments with their order and packages."""
    return Shipment.objects.select_related("order", "warehouse").prefetch_related("packages")


def outbound_order_page_list(*, status: str = "", search: str = "") -> QuerySet[OutboundOrder]:
    """Outbound orders for their list page, newest first, by status, searched by number,
    sales order or customer."""
    qs = OutboundOrder.objects.select_related("warehouse", "customer", "sales_order")
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            Q(number__icontains=search)
            | Q(sales_order__number__icontains=search)
            | Q(customer__name__icontains=search)
        )
    return qs.order_by("-pk")


def outbound_order_get(*, pk: int) -> OutboundOrder | None:
    """An outbound order with its lines, pick lists, packages (and their contents) and
    shipments."""
    return (
        OutboundOrder.objects.select_related("warehouse", "customer", "sales_order",
                                             "shipping_bin")
        .prefetch_related(
            "lines__item__unit",
            "pick_lists",
            "shipments",
            Prefetch("packages", queryset=Package.objects.select_related("shipment")
                     .prefetch_related("contents__item", "contents__lot", "contents__serial")),
        )
        .filter(pk=pk)
        .first()
    )  # fmt: skip


def pick_list_get(*, pk: int) -> PickList | None:
    """A pick list with its orders and its tasks in walking order (the print-out)."""
    tasks = Allocation.objects.select_related(
        "bin", "bin__zone", "item", "item__unit", "lot", "serial", "line__order"
    ).order_by("sequence", "pk")
    return (
        PickList.objects.select_related("warehouse")
        .prefetch_related("orders__customer", Prefetch("tasks", queryset=tasks))
        .filter(pk=pk)
        .first()
    )


def package_get(*, pk: int) -> Package | None:
    """A package with its order, customer and shipment (its label)."""
    return (
        Package.objects.select_related("order", "order__customer", "order__warehouse", "shipment")
        .prefetch_related("contents__item")
        .filter(pk=pk)
        .first()
    )
