"""CRM's staff pages: the sales dashboard, my day, accounts with their 360 page, leads (entry
with de-duplication, conversion), the pipeline as a kanban board and a list, quotes (accept,
approve, PDF), activities, tickets, collections, and the Excel import and exports."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.errors import DomainError
from common.forms import show_refusal
from crm import selectors
from crm.forms import (
    AccountForm,
    ActivityForm,
    ConvertForm,
    ImportForm,
    LeadForm,
    OpportunityForm,
    PromiseToPayForm,
    QuoteForm,
    TicketForm,
)
from crm.models import Lead, Quote, Stage
from crm.services import accounts, activities, collections, imports, pipeline, quotes
from crm.services.common import signed_in_user
from erp_core.documents.printing import pdf_response, xlsx_response
from erp_core.documents.views import error_text, staff_required

CRM = "crm.access_crm"
PER_PAGE = 50


def crm_required(*perms: str) -> Callable:
    """Signed in with access to CRM (and ``perms``); else 403."""
    return staff_required(*perms, modules=(CRM,))


def _page(request: HttpRequest, rows) -> Page:
    return Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))


def _q(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:100]


def _wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


@dataclass(frozen=True)
class _Export:
    """What a list page's ``?format=xlsx`` download holds: its file, sheet title, column
    headers and how one row becomes cells."""

    filename: str
    title: str
    headers: Sequence[str]
    cells: Callable[[Any], Sequence]


def _list_page(
    request: HttpRequest,
    rows: Iterable,
    *,
    template: str,
    export: _Export,
    extra: dict | None = None,
    on_page: Callable[[Page], None] | None = None,
) -> HttpResponse:
    """A list page: ``?format=xlsx`` downloads every row through ``export``; otherwise one page
    of the rows (``on_page`` may add to its rows), the search and ``extra``."""
    if _wants_xlsx(request):
        return xlsx_response(
            filename=export.filename,
            title=export.title,
            headers=export.headers,
            rows=(export.cells(row) for row in rows),
        )
    page = _page(request, rows)
    if on_page is not None:
        on_page(page)
    return render(request, template, {"page_obj": page, "q": _q(request), **(extra or {})})


def _visible(request: HttpRequest, rows: Callable[..., Any], pk: int) -> Any:
    """The row ``pk`` among those ``rows(user=…)`` lets the signed-in user see; else 404."""
    return get_object_or_404(rows(user=signed_in_user(request)), pk=pk)


def _form_page(
    request: HttpRequest, form: BaseForm, *, title: str, cancel: str, extra: dict | None = None
) -> HttpResponse:
    return render(
        request,
        "crm/form.html",
        {"form": form, "title": title, "cancel_url": cancel, **(extra or {})},
        status=400 if form.is_bound else 200,
    )


def _create_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], HttpResponse],
    title: str,
    cancel: str,
    refused: Callable[[dict[str, Any]], dict] | None = None,
) -> HttpResponse:
    """A create page: a valid POSTed form goes to its service (``save``) and on to ``done``;
    bad input or the service's refusal shows the form again (400) with the errors beside their
    fields, and ``refused`` may add to the page what explains the refusal."""
    extra: dict = {}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            created = save(data)
        except (ValidationError, DomainError) as exc:
            show_refusal(form, exc)
            extra = refused(data) if refused is not None else {}
        else:
            return done(created)
    return _form_page(request, form, title=title, cancel=cancel, extra=extra)


# --- Dashboard and my day -----------------------------------------------------------------------


@crm_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    """Pipeline by stage, weighted forecast, win rate, overdue activities, top overdue debts."""
    data = selectors.sales_dashboard(user=signed_in_user(request))
    chart = {
        "stages": [str(row["name"]) for row in data.stages],
        "amount": [str(row["amount"]) for row in data.stages],
        "weighted": [str(row["weighted"]) for row in data.stages],
        "labels": {"amount": _("Amount"), "weighted": _("Weighted")},
    }
    return render(request, "crm/dashboard.html", {"data": data, "chart": chart})


@crm_required()
def my_day(request: HttpRequest) -> HttpResponse:
    """The signed-in salesperson's overdue, today's and coming activities."""
    return render(
        request, "crm/my_day.html", {"day": selectors.my_day(user=signed_in_user(request))}
    )


# --- Accounts -----------------------------------------------------------------------------------


@crm_required("crm.view_account")
def account_list(request: HttpRequest) -> HttpResponse:
    """Accounts the user may see, searched; ``?format=xlsx`` exports them."""
    return _list_page(
        request,
        selectors.account_list(user=signed_in_user(request), search=_q(request)),
        template="crm/account_list.html",
        export=_Export(
            filename="accounts.xlsx",
            title=_("Accounts"),
            headers=[
                _("Name"),
                _("ERP customer"),
                _("Owner"),
                _("Tax id"),
                _("Phone"),
                _("E-mail"),
            ],
            cells=lambda a: [
                a.name,
                a.partner.code if a.partner else "",
                str(a.owner or ""),
                a.tax_id,
                a.phone,
                a.email,
            ],
        ),
    )


@crm_required("crm.add_account")
@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    """Open an account (the ERP registers its customer)."""
    return _create_page(
        request,
        AccountForm(request.POST or None, initial={"owner": signed_in_user(request)}),
        save=lambda data: accounts.account_create(
            **{**data, "owner": data.get("owner") or signed_in_user(request)}
        ),
        done=lambda account: redirect("crm:account-detail", pk=account.pk),
        title=_("New account"),
        cancel=reverse("crm:account-list"),
    )


@crm_required("crm.view_account")
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The customer 360 page: deals, quotes, ERP orders, invoices, tickets, activities and one
    timeline of them."""
    try:
        account = selectors.account_get(user=signed_in_user(request), pk=pk)
    except selectors.Account.DoesNotExist:
        raise Http404 from None
    view = selectors.customer_360(user=signed_in_user(request), account=account)
    return render(request, "crm/account_detail.html", {"account": account, **view})


# --- Leads --------------------------------------------------------------------------------------


@crm_required("crm.view_lead")
def lead_list(request: HttpRequest) -> HttpResponse:
    """Leads by status and search; ``?format=xlsx`` exports them."""
    status = request.GET.get("status", "")
    status = status if status in Lead.Status.values else ""
    return _list_page(
        request,
        selectors.lead_list(user=signed_in_user(request), status=status, search=_q(request)),
        template="crm/lead_list.html",
        export=_Export(
            filename="leads.xlsx",
            title=_("Leads"),
            headers=[
                _("Company"),
                _("Contact"),
                _("Phone"),
                _("E-mail"),
                _("Tax id"),
                _("Source"),
                _("Status"),
                _("Score"),
                _("Owner"),
            ],
            cells=lambda lead: [
                lead.company,
                lead.contact_name,
                lead.phone,
                lead.email,
                lead.tax_id,
                lead.get_source_display(),
                lead.get_status_display(),
                lead.score,
                str(lead.owner or ""),
            ],
        ),
        extra={"status": status, "statuses": Lead.Status.choices},
    )


@crm_required("crm.add_lead")
@require_http_methods(["GET", "POST"])
def lead_create(request: HttpRequest) -> HttpResponse:
    """Enter a lead; one that looks known is shown with its look-alikes, to keep or drop."""

    def done(lead: Lead) -> HttpResponse:
        messages.success(request, _("Lead %(name)s saved.") % {"name": lead.company})
        return redirect("crm:lead-list")

    return _create_page(
        request,
        LeadForm(request.POST or None, initial={"owner": signed_in_user(request)}),
        save=lambda data: accounts.lead_create(
            **{**data, "owner": data.get("owner") or signed_in_user(request)}
        ),
        done=done,
        title=_("New lead"),
        cancel=reverse("crm:lead-list"),
        refused=lambda data: {
            "duplicates": accounts.duplicates_of(
                company=data.get("company", ""),
                phone=data.get("phone", ""),
                email=data.get("email", ""),
                tax_id=data.get("tax_id", ""),
            )
        },
    )


@crm_required("crm.add_account")
@require_http_methods(["GET", "POST"])
def lead_convert(request: HttpRequest, pk: int) -> HttpResponse:
    """Convert a lead to an account, a contact and an opportunity."""
    lead = _visible(request, selectors.lead_list, pk)

    def done(result: accounts.Conversion) -> HttpResponse:
        messages.success(request, _("Lead converted."))
        return redirect("crm:account-detail", pk=result.account.pk)

    return _create_page(
        request,
        ConvertForm(request.POST or None, initial={"opportunity_name": lead.company}),
        save=lambda data: accounts.lead_convert(lead=lead, actor=signed_in_user(request), **data),
        done=done,
        title=_("Convert %(name)s") % {"name": lead.company},
        cancel=reverse("crm:lead-list"),
    )


# --- Pipeline -----------------------------------------------------------------------------------


@crm_required("crm.view_opportunity")
def pipeline_board(request: HttpRequest) -> HttpResponse:
    """The kanban board: drag a card to another stage to move the deal."""
    return render(
        request,
        "crm/pipeline_board.html",
        {"columns": selectors.pipeline_board(user=signed_in_user(request))},
    )


@crm_required("crm.change_opportunity")
@require_POST
def opportunity_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a deal to the stage posted (``stage``); answers the card's new state as JSON."""
    opportunity = _visible(request, selectors.opportunity_list, pk)
    stage = Stage.objects.filter(pk=request.POST.get("stage", "0") or 0, is_active=True).first()
    if stage is None:
        return JsonResponse({"detail": _("Unknown stage.")}, status=400)
    try:
        moved = pipeline.opportunity_move(opportunity=opportunity, stage=stage)
    except DomainError as exc:
        return JsonResponse({"detail": str(exc)}, status=exc.status_code)
    return JsonResponse(
        {"id": moved.pk, "stage": moved.stage_id, "probability": str(moved.probability)}
    )


@crm_required("crm.view_opportunity")
def opportunity_list(request: HttpRequest) -> HttpResponse:
    """Deals as a list; ``?format=xlsx`` exports them."""
    return _list_page(
        request,
        selectors.opportunity_list(user=signed_in_user(request), search=_q(request)),
        template="crm/opportunity_list.html",
        export=_Export(
            filename="opportunities.xlsx",
            title=_("Opportunities"),
            headers=[
                _("Name"),
                _("Account"),
                _("Stage"),
                _("Amount"),
                _("Probability %"),
                _("Weighted"),
                _("Expected close"),
                _("Owner"),
            ],
            cells=lambda o: [
                o.name,
                o.account.name,
                o.stage.name,
                o.amount,
                o.probability,
                o.weighted_amount,
                o.expected_close,
                str(o.owner or ""),
            ],
        ),
    )


@crm_required("crm.add_opportunity")
@require_http_methods(["GET", "POST"])
def opportunity_create(request: HttpRequest) -> HttpResponse:
    """Open a deal."""
    return _create_page(
        request,
        OpportunityForm(
            request.POST or None, accounts=selectors.account_list(user=signed_in_user(request))
        ),
        save=lambda data: pipeline.opportunity_create(owner=signed_in_user(request), **data),
        done=lambda _opportunity: redirect("crm:pipeline"),
        title=_("New opportunity"),
        cancel=reverse("crm:pipeline"),
    )


# --- Quotes -------------------------------------------------------------------------------------


@crm_required("crm.view_quote")
def quote_list(request: HttpRequest) -> HttpResponse:
    """Quotes with their status and ERP order; ``?format=xlsx`` exports them."""
    rows = list(selectors.quote_list(user=signed_in_user(request), search=_q(request))[:1000])
    orders = selectors.quote_sales_orders(rows)

    def with_orders(page: Page) -> None:
        for quote in page.object_list:
            quote.sales_order = orders.get(quote.pk)

    return _list_page(
        request,
        rows,
        template="crm/quote_list.html",
        on_page=with_orders,
        export=_Export(
            filename="quotes.xlsx",
            title=_("Quotes"),
            headers=[
                _("Number"),
                _("Account"),
                _("Date"),
                _("Valid until"),
                _("Status"),
                _("Amount incl. VAT"),
                _("Sales order"),
            ],
            cells=lambda q: [
                q.number,
                q.account.name,
                q.date,
                q.valid_until,
                q.get_status_display(),
                q.gross_amount,
                orders[q.pk].number if q.pk in orders else "",
            ],
        ),
    )


@crm_required("crm.add_quote")
@require_http_methods(["GET", "POST"])
def quote_create(request: HttpRequest) -> HttpResponse:
    """Draft a quote: prices, VAT and a promised date per line come from the ERP."""
    form = QuoteForm(
        request.POST or None,
        accounts=selectors.account_list(user=signed_in_user(request)),
        initial={"language": translation.get_language() or "zh-hans"},
    )
    header = ("account", "valid_until", "requested_date", "language")
    return _create_page(
        request,
        form,
        save=lambda data: quotes.quote_create(
            owner=signed_in_user(request),
            lines=form.lines(),
            **{k: v for k, v in data.items() if k in header and v},
        ),
        done=lambda quote: redirect("crm:quote-detail", pk=quote.pk),
        title=_("New quote"),
        cancel=reverse("crm:quote-list"),
    )


def _quote(request: HttpRequest, pk: int) -> Quote:
    return _visible(request, selectors.quote_detail_list, pk)


@crm_required("crm.view_quote")
def quote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A quote, its lines with promised dates, its steps and the ERP order once made."""
    quote = _quote(request, pk)
    order = selectors.quote_sales_orders([quote]).get(quote.pk)
    return render(
        request,
        "crm/quote_detail.html",
        {
            "quote": quote,
            "order": order,
            "can_approve": request.user.has_perm(quotes.APPROVE_PERMISSION),
        },
    )


@crm_required("crm.change_quote")
@require_POST
def quote_step(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """Accept, approve or reject a quote; a refusal is shown on its page."""
    quote = _quote(request, pk)
    steps = {
        "accept": lambda: quotes.quote_accept(quote=quote, actor=signed_in_user(request)),
        "approve": lambda: quotes.quote_approve(quote=quote, actor=signed_in_user(request)),
        "reject": lambda: quotes.quote_reject(quote=quote),
    }
    if verb not in steps:
        raise Http404
    try:
        steps[verb]()
    except (ValidationError, DomainError) as exc:
        messages.error(request, error_text(exc))
    return redirect("crm:quote-detail", pk=quote.pk)


@crm_required("crm.view_quote")
def quote_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The quote as a PDF in its print language (Chinese or English)."""
    quote = _quote(request, pk)
    language = request.GET.get("lang") or quote.language
    language = language if language in Quote.Language.values else Quote.Language.CHINESE
    with translation.override(language):
        return pdf_response(
            "crm/quote_print.html",
            {"quote": quote, "language": language},
            filename=f"{quote.number}.pdf",
            request=request,
        )


# --- Activities, tickets, collections -----------------------------------------------------------


@crm_required("crm.add_activity")
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    """Log or plan an activity."""
    form = ActivityForm(
        request.POST or None,
        accounts=selectors.account_list(user=signed_in_user(request)),
        initial={"account": request.GET.get("account")},
    )
    return _create_page(
        request,
        form,
        save=lambda data: activities.activity_create(owner=signed_in_user(request), **data),
        done=lambda _activity: redirect("crm:my-day"),
        title=_("New activity"),
        cancel=reverse("crm:my-day"),
    )


@crm_required("crm.change_activity")
@require_POST
def activity_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark an activity done."""
    activity = _visible(request, selectors.activity_list, pk)
    try:
        activities.activity_complete(activity=activity)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("crm:my-day")
    return redirect(target)


@crm_required("crm.view_ticket")
def ticket_list(request: HttpRequest) -> HttpResponse:
    """Tickets, SLA due first, overdue flagged; ``?overdue=1`` only those; xlsx export."""
    overdue = request.GET.get("overdue") == "1"
    return _list_page(
        request,
        selectors.ticket_list(user=signed_in_user(request), overdue=overdue, search=_q(request)),
        template="crm/ticket_list.html",
        extra={"overdue": overdue},
        export=_Export(
            filename="tickets.xlsx",
            title=_("Service tickets"),
            headers=[
                _("Number"),
                _("Customer"),
                _("Subject"),
                _("Priority"),
                _("Status"),
                _("SLA due"),
                _("Lot or serial"),
            ],
            cells=lambda t: [
                t.number,
                t.account.name,
                t.subject,
                t.get_priority_display(),
                t.get_status_display(),
                t.sla_due_at,
                t.lot_or_serial,
            ],
        ),
    )


@crm_required("crm.add_ticket")
@require_http_methods(["GET", "POST"])
def ticket_create(request: HttpRequest) -> HttpResponse:
    """Open a service ticket."""
    return _create_page(
        request,
        TicketForm(
            request.POST or None, accounts=selectors.account_list(user=signed_in_user(request))
        ),
        save=lambda data: activities.ticket_create(**data),
        done=lambda ticket: redirect("crm:ticket-detail", pk=ticket.pk),
        title=_("New service ticket"),
        cancel=reverse("crm:ticket-list"),
    )


@crm_required("crm.view_ticket")
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A ticket and the trace of its lot or serial number: the production order that made it,
    its input lots, and which other customers received the same lot."""
    ticket = _visible(request, selectors.ticket_list, pk)
    return render(
        request,
        "crm/ticket_detail.html",
        {"ticket": ticket, "traces": selectors.ticket_trace(ticket=ticket)},
    )


@crm_required("crm.change_ticket")
@require_POST
def ticket_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """Resolve a ticket with the resolution posted."""
    ticket = _visible(request, selectors.ticket_list, pk)
    try:
        activities.ticket_resolve(ticket=ticket, resolution=request.POST.get("resolution", ""))
    except (ValidationError, DomainError) as exc:
        messages.error(request, error_text(exc))
    if request.POST.get("next") == "detail":
        return redirect("crm:ticket-detail", pk=ticket.pk)
    return redirect("crm:ticket-list")


@crm_required("crm.view_receivable")
def collections_page(request: HttpRequest) -> HttpResponse:
    """Overdue receivables per customer with their dunning stage and promises to pay;
    ``?format=xlsx`` exports the overdue customers."""
    if _wants_xlsx(request):
        return xlsx_response(
            filename="collections.xlsx",
            title=_("Collections"),
            headers=[
                _("Customer"),
                _("Overdue"),
                _("Open"),
                _("Invoices overdue"),
                _("Dunning stage"),
            ],
            rows=(
                [row.partner_name, row.overdue, row.open, row.invoices, row.stage]
                for row in selectors.overdue_by_customer(user=signed_in_user(request))
            ),
        )
    return render(
        request,
        "crm/collections.html",
        {
            "rows": selectors.overdue_by_customer(user=signed_in_user(request)),
            "promises": selectors.promise_list(user=signed_in_user(request)).filter(status="open")[
                :100
            ],
        },
    )


@crm_required("crm.add_promisetopay")
@require_http_methods(["GET", "POST"])
def promise_create(request: HttpRequest) -> HttpResponse:
    """Record a customer's promise to pay; a task reminds the account owner on the day."""
    user = signed_in_user(request)
    form = PromiseToPayForm(
        request.POST or None,
        accounts=selectors.account_list(user=user),
        receivables=selectors.receivable_list(user=user),
        initial={"account": request.GET.get("account")},
    )

    def done(_promise) -> HttpResponse:
        messages.success(request, _("Promise to pay recorded."))
        return redirect("crm:collections")

    return _create_page(
        request,
        form,
        save=lambda data: collections.promise_to_pay_create(actor=user, **data),
        done=done,
        title=_("New promise to pay"),
        cancel=reverse("crm:collections"),
    )


@crm_required("crm.view_all_accounts")
@require_POST
def dunning_run(request: HttpRequest) -> HttpResponse:
    """Run dunning now (it also runs every morning)."""
    moved = collections.dunning_run()
    messages.success(
        request, _("%(count)s invoices moved to a further dunning stage.") % {"count": moved}
    )
    return redirect("crm:collections")


# --- Import ---------------------------------------------------------------------------------


SESSION_KEY = "crm_import"


@crm_required("crm.add_lead", "crm.add_account")
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload an Excel file of leads or accounts, see every row's errors, then import."""
    form = ImportForm(request.POST or None, request.FILES or None)
    results = None
    if request.method == "POST" and request.POST.get("confirm"):
        stored = request.session.pop(SESSION_KEY, None)
        if stored is None:
            messages.error(request, _("Upload the file again: the preview has expired."))
            return redirect("crm:import")
        results = imports.import_rows(
            kind=stored["kind"], rows=stored["rows"], owner=signed_in_user(request), commit=True
        )
        done = sum(1 for r in results if r.ok)
        messages.success(
            request,
            _("%(done)s rows imported, %(failed)s refused.")
            % {"done": done, "failed": len(results) - done},
        )
        return redirect("crm:lead-list" if stored["kind"] == "leads" else "crm:account-list")
    if request.method == "POST" and form.is_valid():
        try:
            content = form.cleaned_data["file"].read()
            rows = imports.read_sheet(kind=form.cleaned_data["kind"], content=content)
        except DomainError as exc:
            form.add_error("file", str(exc))
        else:
            results = imports.import_rows(
                kind=form.cleaned_data["kind"],
                rows=rows,
                owner=signed_in_user(request),
                commit=False,
            )
            request.session[SESSION_KEY] = {"kind": form.cleaned_data["kind"], "rows": rows}
    return render(
        request,
        "crm/import.html",
        {
            "form": form,
            "results": results,
            "good": sum(1 for r in results if r.ok) if results else 0,
        },
        status=400 if form.errors else 200,
    )
