"""What the billing pages share: permissions, list filters from the query string, the status
steps of a document."""

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from common.errors import DomainError
from erp_core.billing.forms import VoidForm
from erp_core.billing.models import Invoice
from erp_core.documents.views import error_text, posted_revision

ERP = "erp_core.access_erp"
FINANCE = "erp_core.access_finance"
PER_PAGE = 25


def parse_date(value: str | None) -> dt.date | None:
    """A date from the query string, or None when absent or malformed."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


STEP_DONE = {
    "approve": _("%(number)s was posted."),
    "unapprove": _("%(number)s was unposted: it is saved again."),
    "void": _("%(number)s was voided."),
}


def run_step(
    request: HttpRequest, step: str, run: Callable, *, detail: str, pk: int, no_reason: str
) -> HttpResponse:
    """Take a status step of an invoice or payment from its page and go back to it.

    ``run(actor=, expected_revision=[, reason=])`` calls the step's service; a void needs a
    reason (``no_reason`` says so); a refusal is shown as a message and changes nothing.
    """
    extra = {}
    if step == "void":
        form = VoidForm(request.POST)
        if not form.is_valid():
            messages.error(request, no_reason)
            return redirect(detail, pk=pk)
        extra["reason"] = form.cleaned_data["reason"]
    try:
        document = run(actor=request.user, expected_revision=posted_revision(request), **extra)
    except (ValidationError, DomainError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, STEP_DONE[step] % {"number": document.number})
    return redirect(detail, pk=pk)


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
