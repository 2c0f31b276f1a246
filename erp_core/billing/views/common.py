"""What the billing pages share: permissions, list filters from the query string, the status
steps of a document."""

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from erp_core.billing.models import Invoice
from erp_core.documents.views import REQUIRED, Step, StepTable

FINANCE = "erp_core.access_finance"
PER_PAGE = 25


def parse_date(value: str | None) -> dt.date | None:
    """A date from the query string, or None when absent or malformed."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def document_steps(
    *, argument: str, kind: str, approve: Callable, unapprove: Callable, void: Callable, missing
) -> StepTable:
    """Post (审核), unpost (反审核) and void (作废, with a reason: ``missing`` says so when
    none is given) of an invoice or a payment, through the given services."""
    return StepTable(
        argument=argument,
        detail=f"billing:{argument}-detail",
        url=f"billing:{argument}-{{name}}",
        steps=(
            Step(
                "approve",
                approve,
                f"billing.approve_{kind}",
                _("%(document)s was posted."),
                label=_("Post (approve)"),
                when=lambda document: document.is_draft,
            ),
            Step(
                "unapprove",
                unapprove,
                f"billing.approve_{kind}",
                _("%(document)s was unposted: it is saved again."),
                label=_("Unpost (unapprove)"),
                button_class="btn-outline-danger",
                when=lambda document: document.is_approved,
            ),
            Step(
                "void",
                void,
                f"billing.void_{kind}",
                _("%(document)s was voided."),
                label=_("Void"),
                reason=REQUIRED,
                missing=missing,
                button_class="btn-outline-danger",
                when=lambda document: document.is_draft,
            ),
        ),
    )


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
