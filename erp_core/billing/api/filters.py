"""FilterSets of the billing API (query parameters of the list endpoints)."""

import django_filters

from erp_core.api.filters import DocumentFilterSet
from erp_core.billing.models import Invoice, Payment


class InvoiceFilterSet(DocumentFilterSet):
    """Filter documents by kind, status, partner, match status, dates and open amount."""

    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    due_from = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_to = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = Invoice
        fields = {
            "kind": ["exact", "in"],
            "status": ["exact"],
            "partner": ["exact"],
            "number": ["exact"],
            "match_status": ["exact"],
            "supplier_invoice_number": ["exact"],
            "credit_note_of": ["exact"],
        }


class PaymentFilterSet(DocumentFilterSet):
    """Filter payments by direction, status, partner and dates."""

    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Payment
        fields = {
            "direction": ["exact"],
            "status": ["exact"],
            "partner": ["exact"],
            "number": ["exact"],
        }
