"""FilterSets of the purchasing API (query parameters of the list endpoints)."""

import django_filters

from erp_core.api.filters import DocumentFilterSet
from erp_core.purchasing.models import PurchaseOrder, PurchaseReceipt, PurchaseRequisition


class PurchaseRequisitionFilterSet(DocumentFilterSet):
    """Filter requisitions by status, number and date range."""

    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = PurchaseRequisition
        fields = {"status": ["exact"], "number": ["exact"]}


class PurchaseOrderFilterSet(DocumentFilterSet):
    """Filter orders by status, supplier, number, date and expected-date ranges."""

    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    expected_from = django_filters.DateFilter(field_name="expected_date", lookup_expr="gte")
    expected_to = django_filters.DateFilter(field_name="expected_date", lookup_expr="lte")
    acknowledged = django_filters.BooleanFilter(
        field_name="acknowledged_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = PurchaseOrder
        fields = {
            "status": ["exact"],
            "supplier": ["exact"],
            "warehouse": ["exact"],
            "number": ["exact"],
        }


class PurchaseReceiptFilterSet(DocumentFilterSet):
    """Filter receipts by status, supplier, order, warehouse and date range."""

    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = PurchaseReceipt
        fields = {
            "status": ["exact"],
            "supplier": ["exact"],
            "purchase_order": ["exact"],
            "warehouse": ["exact"],
            "number": ["exact"],
        }
