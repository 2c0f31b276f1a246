"""The month-end page of Finance: goods received not billed (the GR/IR report) and the two
month-end steps of purchasing and counts — the GR/IR accrual and the clearing of 1901."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError
from erp_core.billing import selectors
from erp_core.billing.services import grir_accrual_post
from erp_core.billing.views.common import FINANCE
from erp_core.documents.views import error_text, staff_required
from erp_core.ledger.models import FiscalPeriod
from erp_core.ledger.money import ZERO
from erp_core.stock.clearing import count_differences_clear, pending_balances

POST_PERMISSION = "ledger.post_journalentry"


def _period(request: HttpRequest) -> FiscalPeriod | None:
    """The period asked for (``?period=``), else today's (None when no period covers it)."""
    periods = FiscalPeriod.objects.select_related("fiscal_year")
    value = request.GET.get("period") or request.POST.get("period") or ""
    if value.isdigit():
        return get_object_or_404(periods, pk=int(value))
    today = timezone.localdate()
    return periods.filter(start__lte=today, end__gte=today).first()


@staff_required("billing.view_invoice", modules=(FINANCE,))
def month_end(request: HttpRequest) -> HttpResponse:
    """Goods received not billed at a period's end, 1901's balance, and the steps that clear
    them."""
    period = _period(request)
    periods = FiscalPeriod.objects.select_related("fiscal_year").order_by("-start")[:24]
    if period is None:
        return render(request, "billing/month_end.html", {"period": None, "periods": periods})
    unbilled = selectors.receipts_not_billed(as_of=period.end)
    pending = pending_balances(as_of=period.end)
    return render(
        request,
        "billing/month_end.html",
        {
            "period": period,
            "periods": periods,
            "unbilled": unbilled,
            "unbilled_total": sum((row.unbilled_value for row in unbilled), ZERO),
            "pending": pending,
            "pending_total": sum(pending.values(), ZERO),
            "can_post": request.user.has_perm(POST_PERMISSION),
        },
    )


@require_POST
@staff_required("billing.view_invoice", POST_PERMISSION, modules=(FINANCE,))
def month_end_step(request: HttpRequest, step: str) -> HttpResponse:
    """Run one month-end step of a period: the GR/IR accrual or the count-differences clearing."""
    period = _period(request)
    if period is None:
        raise PermissionDenied(_("No fiscal period covers today: create the fiscal year."))
    service = {"grir-accrual": grir_accrual_post, "count-clear": count_differences_clear}[step]
    try:
        entry = service(period=period, user=request.user)
    except (ValidationError, DomainError) as exc:
        messages.error(request, error_text(exc))
    else:
        if entry is None:
            messages.info(request, _("Nothing to post for %(period)s.") % {"period": period})
        else:
            messages.success(
                request,
                _("Posted %(number)s for %(period)s.") % {"number": entry.number, "period": period},
            )
    return redirect(f"{reverse('billing:month-end')}?period={period.pk}")
