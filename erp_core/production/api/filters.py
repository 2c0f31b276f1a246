"""FilterSet of the production order API (query parameters of the list)."""

import django_filters

from erp_core.api.filters import DocumentFilterSet
from erp_core.production.models import ProductionOrder


class ProductionOrderFilterSet(DocumentFilterSet):
    """Filter orders by status, item (id or code), warehouse and due date range."""

    item_code = django_filters.CharFilter(field_name="item__code")
    due_from = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_to = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = ProductionOrder
        fields = {
            "status": ["exact"],
            "item": ["exact"],
            "warehouse": ["exact"],
            "number": ["exact"],
        }
