"""Filters of the planning API."""

import django_filters

from erp_core.planning.models import (
    ExceptionMessage,
    Forecast,
    PlannedOrder,
    Shortage,
    SupplyPeg,
)


class PlannedOrderFilterSet(django_filters.FilterSet):
    """Planned orders by item, kind, status, run and due date."""

    due_from = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_to = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = PlannedOrder
        fields = ("item", "kind", "status", "run", "is_short")


class ExceptionMessageFilterSet(django_filters.FilterSet):
    """Exception messages by kind, item and supply."""

    class Meta:
        model = ExceptionMessage
        fields = ("kind", "item", "supply_kind", "run")


class SupplyPegFilterSet(django_filters.FilterSet):
    """Open supply's pegs by supply, item and the demand served."""

    class Meta:
        model = SupplyPeg
        fields = ("supply_kind", "supply_id", "item", "kind", "production_order", "parent")


class ShortageFilterSet(django_filters.FilterSet):
    """Shortages by item and run."""

    class Meta:
        model = Shortage
        fields = ("item", "run")


class ForecastFilterSet(django_filters.FilterSet):
    """Forecasts by item and period."""

    start_from = django_filters.DateFilter(field_name="period_start", lookup_expr="gte")
    start_to = django_filters.DateFilter(field_name="period_start", lookup_expr="lte")

    class Meta:
        model = Forecast
        fields = ("item",)
