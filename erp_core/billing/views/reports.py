"""Staff pages of receivables and payables: AR and AP aging, partner statements."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from erp_core.billing import printing, selectors
from erp_core.billing.forms import AgingForm, StatementForm
from erp_core.billing.views.common import FINANCE
from erp_core.documents.views import staff_required


def _aging(request: HttpRequest, side: str, *, export: bool) -> HttpResponse:
    form = AgingForm(request.GET or None, initial={"as_of": timezone.localdate()})
    as_of = (form.cleaned_data.get("as_of") if form.is_valid() else None) or timezone.localdate()
    report = selectors.aging(kind=side, as_of=as_of)
    if export:
        return printing.aging_xlsx(report)
    return render(
        request,
        "billing/aging.html",
        {
            "form": form,
            "report": report,
            "side": side,
            "buckets": selectors.BUCKETS,
            "export_url": "billing:ar-aging-export"
            if side == selectors.RECEIVABLE
            else "billing:ap-aging-export",
        },
    )


@staff_required("billing.view_invoice", modules=(FINANCE,))
def ar_aging(request: HttpRequest) -> HttpResponse:
    """Receivables per customer by days past due."""
    return _aging(request, selectors.RECEIVABLE, export=False)


@staff_required("billing.view_invoice", modules=(FINANCE,))
def ap_aging(request: HttpRequest) -> HttpResponse:
    """Payables per supplier by days past due."""
    return _aging(request, selectors.PAYABLE, export=False)


@staff_required("billing.view_invoice", modules=(FINANCE,))
def ar_aging_export(request: HttpRequest) -> HttpResponse:
    """The AR aging as an Excel sheet."""
    return _aging(request, selectors.RECEIVABLE, export=True)


@staff_required("billing.view_invoice", modules=(FINANCE,))
def ap_aging_export(request: HttpRequest) -> HttpResponse:
    """The AP aging as an Excel sheet."""
    return _aging(request, selectors.PAYABLE, export=True)


def _statement(request: HttpRequest):
    today = timezone.localdate()
    defaults = {"date_from": today.replace(day=1).isoformat(), "date_to": today.isoformat()}
    if "partner" in request.GET:
        # A link that names only the partner (from the aging) shows this month's statement.
        data = request.GET.copy()
        for name, value in defaults.items():
            if not data.get(name):
                data[name] = value
        form = StatementForm(data)
    else:
        form = StatementForm(initial=defaults)
    report = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        report = selectors.statement(
            partner=data["partner"],
            kind=data.get("kind") or None,
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    return form, report


@staff_required("billing.view_invoice", modules=(FINANCE,))
def statement(request: HttpRequest) -> HttpResponse:
    """A customer's or supplier's statement of account, with PDF and Excel downloads."""
    form, report = _statement(request)
    return render(request, "billing/statement.html", {"form": form, "report": report})


@staff_required("billing.view_invoice", modules=(FINANCE,))
def statement_pdf(request: HttpRequest) -> HttpResponse:
    """The statement as a PDF."""
    form, report = _statement(request)
    if report is None:
        return render(request, "billing/statement.html", {"form": form, "report": None}, status=400)
    return printing.statement_pdf(report, request=request)


@staff_required("billing.view_invoice", modules=(FINANCE,))
def statement_export(request: HttpRequest) -> HttpResponse:
    """The statement as an Excel sheet."""
    form, report = _statement(request)
    if report is None:
        return render(request, "billing/statement.html", {"form": form, "report": None}, status=400)
    return printing.statement_xlsx(report)
