"""What the purchasing pages share: who opens them, paging, list filters."""

import datetime as dt

from django.http import HttpRequest
from django.utils.dateparse import parse_date

from erp_core.documents.views import ERP

# Orders and receipts are also the warehouse's business, whose staff work in WMS.
ORDER_MODULES = (ERP, "wms.access_wms")
PER_PAGE = 25


def date_param(request: HttpRequest, name: str) -> dt.date | None:
    """A date from the query string, or None when missing or malformed."""
    try:
        return parse_date(request.GET.get(name, "").strip())
    except ValueError:
        return None
