"""FilterSets of the ledger API (query parameters of the list endpoints)."""

import django_filters

from erp_core.api.filters import DocumentFilterSet
from erp_core.ledger.models import Account, FiscalPeriod, JournalEntry


class AccountFilterSet(django_filters.FilterSet):
    """Filter accounts by type, flags, exact code or code prefix."""

    code_prefix = django_filters.CharFilter(field_name="code", lookup_expr="startswith")

    class Meta:
        model = Account
        fields = {
            "type": ["exact"],
            "code": ["exact"],
            "is_postable": ["exact"],
            "is_active": ["exact"],
        }


class JournalEntryFilterSet(DocumentFilterSet):
    """Filter entries by status, journal code, date range, account and source."""

    journal = django_filters.CharFilter(field_name="journal__code")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    account = django_filters.CharFilter(
        field_name="lines__account__code", distinct=True, label="Account code"
    )

    class Meta:
        model = JournalEntry
        fields = {
            "status": ["exact"],
            "number": ["exact"],
            "source_type": ["exact"],
            "source_id": ["exact"],
            "source_event_id": ["exact"],
        }


class FiscalPeriodFilterSet(django_filters.FilterSet):
    """Filter periods by fiscal year and status."""

    year = django_filters.NumberFilter(field_name="fiscal_year__year")

    class Meta:
        model = FiscalPeriod
        fields = {"status": ["exact"], "number": ["exact"]}
