"""FilterSets of the ERP core API (query parameters of the list endpoints)."""

import django_filters

from erp_core.models import Partner


class PartnerFilterSet(django_filters.FilterSet):
    """Filter partners by kind, active flag and exact code."""

    class Meta:
        model = Partner
        fields = {"kind": ["exact"], "is_active": ["exact"], "code": ["exact"]}
