"""What the billing pages share: permissions, error text, list filters from the query string."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from erp_core.billing.models import Invoice

ERP = "erp_core.access_erp"
FINANCE = "erp_core.access_finance"
PER_PAGE = 25


def parse_date(value: str | None) -> dt.date | None:
    """A date from the query string, or None when absent or malformed."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def require_side_access(request: HttpRequest, invoice: Invoice) -> None:
    """Supplier bills and their credit notes are for finance only (sales see invoices)."""
    if invoice.is_supplier_side and not request.user.has_perm(FINANCE):
        raise PermissionDenied


def list_filters(request: HttpRequest, *, statuses, kinds=None) -> dict:
    """The filters of a list page: search, status, kind, partner, date range."""
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    partner = request.GET.get("partner", "")
    return {
        "q": request.GET.get("q", "").strip(),
        "status": status if status in dict(statuses) else "",
        "kind": kind if kinds and kind in dict(kinds) else "",
        "partner": int(partner) if partner.isdigit() else None,
        "date_from": parse_date(request.GET.get("date_from")),
        "date_to": parse_date(request.GET.get("date_to")),
    }
