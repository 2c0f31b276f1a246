"""FilterSets of the sales API (query parameters of the list endpoints)."""

import django_filters

from erp_core.api.filters import DocumentFilterSet
from erp_core.sales.models import Delivery, PriceList, SalesOrder


class PriceListFilterSet(django_filters.FilterSet):
    """Filter price lists by code, default and active flags."""

    class Meta:
        model = PriceList
        fields = {"code": ["exact"], "is_default": ["exact"], "is_active": ["exact"]}


class SalesOrderFilterSet(DocumentFilterSet):
    """Filter orders by status, customer, date range, number and CRM quote."""

    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = SalesOrder
        fields = {
            "status": ["exact"],
            "customer": ["exact"],
            "warehouse": ["exact"],
            "number": ["exact"],
            "customer_reference": ["exact"],
            "crm_quote_id": ["exact"],
        }


class DeliveryFilterSet(DocumentFilterSet):
    """Filter deliveries by status, customer, order, date range and number."""

    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Delivery
        fields = {
            "status": ["exact"],
            "customer": ["exact"],
            "sales_order": ["exact"],
            "warehouse": ["exact"],
            "number": ["exact"],
            "shipment_reference": ["exact"],
        }
