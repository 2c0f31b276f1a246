"""Reads of WMS outbound: outbound orders, pick lists, packages and shipments, each with what
its pages and API show fetched in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

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
