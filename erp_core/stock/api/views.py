"""Read-only API of the stock ledger: staff with ERP access read moves and balances."""

import django_filters
from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from erp_core.api.permissions import RESOURCE_PERMISSIONS
from erp_core.stock import selectors
from erp_core.stock.api.serializers import StockBalanceSerializer, StockMoveSerializer
from erp_core.stock.models import StockBalance, StockMove


class StockMoveFilterSet(django_filters.FilterSet):
    """Filter ledger rows by item, warehouse, reason and time."""

    moved_after = django_filters.IsoDateTimeFilter(field_name="moved_at", lookup_expr="gte")
    moved_before = django_filters.IsoDateTimeFilter(field_name="moved_at", lookup_expr="lt")

    class Meta:
        model = StockMove
        fields = ("item", "warehouse", "reason", "source_type", "source_id")


class StockBalanceFilterSet(django_filters.FilterSet):
    """Filter balances by item and warehouse."""

    class Meta:
        model = StockBalance
        fields = ("item", "warehouse")


class StockMoveViewSet(viewsets.ReadOnlyModelViewSet):
    """The stock ledger, in booking order. Written only by the stock services."""

    queryset = StockMove.objects.all()
    serializer_class = StockMoveSerializer
    filterset_class = StockMoveFilterSet
    ordering_fields = ("moved_at", "id", "value")
    permission_classes = (IsAuthenticated, *RESOURCE_PERMISSIONS)
    module_permission = "erp_core.access_erp"
    partner_actions = ()

    def get_queryset(self):
        """All rows with their item, warehouse and journal entry (no query per row)."""
        return selectors.stock_move_list()


class StockBalanceViewSet(viewsets.ReadOnlyModelViewSet):
    """Quantity and value on hand per item × warehouse."""

    queryset = StockBalance.objects.all()
    serializer_class = StockBalanceSerializer
    filterset_class = StockBalanceFilterSet
    search_fields = ("item__code", "item__name")
    ordering_fields = ("value", "quantity")
    permission_classes = (IsAuthenticated, *RESOURCE_PERMISSIONS)
    module_permission = "erp_core.access_erp"
    partner_actions = ()

    def get_queryset(self):
        """All balances with their item and warehouse."""
        return selectors.stock_balance_list()
