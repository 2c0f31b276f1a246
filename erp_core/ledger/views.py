"""Staff pages of finance: journal entries, the chart of accounts, periods, reports, reconcile.

Views only call selectors, reports and services; forms validate and display errors.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from common.errors import DomainError
from common.htmx import wants_partial
from erp_core.documents.sources import source_labels
from erp_core.documents.views import Step, StepTable, error_text, staff_required
from erp_core.ledger import closing, reports, selectors, services
from erp_core.ledger.forms import (
    CompanySettingsForm,
    GeneralLedgerForm,
    JournalEntryForm,
    JournalLineFormSet,
    ReverseForm,
    TrialBalanceForm,
)
from erp_core.ledger.models import FiscalYear, JournalEntry
from erp_core.ledger.reconcile import run_checks

FINANCE = "erp_core.access_finance"
ENTRIES_PER_PAGE = 25


@staff_required("ledger.view_journalentry", modules=(FINANCE,))
@vary_on_headers("HX-Request")
def entry_list(request: HttpRequest) -> HttpResponse:
    """Journal entries, newest first, filtered by status and searched by number or memo."""
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if status not in JournalEntry.Status.values:
        status = ""
    entries = selectors.journal_entry_list(status=status or None, search=search)
    page_obj = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    template = (
        "ledger/partials/entry_table.html" if wants_partial(request) else "ledger/entry_list.html"
    )
    return render(
        request,
        template,
        {
            "page_obj": page_obj,
            "q": search,
            "status": status,
            "statuses": JournalEntry.Status.choices,
        },
    )


@staff_required("ledger.view_journalentry", modules=(FINANCE,))
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One entry with its lines, totals and reversal links; post and reverse buttons."""
    entry = get_object_or_404(selectors.journal_entry_detail_list(), pk=pk)
    lines = list(entry.lines.all())
    return render(
        request,
        "ledger/entry_detail.html",
        {
            "entry": entry,
            "lines": lines,
            "total_debit": sum(line.debit for line in lines),
            "total_credit": sum(line.credit for line in lines),
            "reversal": getattr(entry, "reversal", None),
            "source": "".join(source_labels([(entry.source_type, entry.source_id)]).values()),
            "steps": STEPS.buttons(request.user, entry),
        },
    )


@staff_required("ledger.add_journalentry", modules=(FINANCE,))
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest) -> HttpResponse:
    """Create a draft entry: a head form and a formset of lines; the service checks balance."""
    if request.method == "POST":
        form = JournalEntryForm(request.POST)
        formset = JournalLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            try:
                entry = services.journal_entry_create_draft(
                    **form.cleaned_data, lines=_draft_lines(formset), actor=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("Draft entry %(entry)s was saved.") % {"entry": entry})
                return redirect("ledger:entry-detail", pk=entry.pk)
    else:
        form = JournalEntryForm(initial={"date": timezone.localdate()})
        formset = JournalLineFormSet(prefix="lines")
    return render(request, "ledger/entry_form.html", {"form": form, "formset": formset})


def _draft_lines(formset) -> list[dict]:
    """The filled lines of the formset (a line without an amount is ignored)."""
    return [
        line for line in formset.cleaned_data if line and (line.get("debit") or line.get("credit"))
    ]


@staff_required("ledger.change_journalentry", modules=(FINANCE,))
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft: its head and its lines (replaced as a whole by the service).

    A posted entry cannot change: the page says so and goes back to the entry (reverse it).
    """
    entry = get_object_or_404(selectors.journal_entry_detail_list(), pk=pk)
    if not entry.is_draft:
        messages.error(
            request,
            _("Entry %(entry)s is posted: it cannot change; reverse it instead.")
            % {"entry": entry},
        )
        return redirect("ledger:entry-detail", pk=pk)
    if request.method == "POST":
        form = JournalEntryForm(request.POST)
        formset = JournalLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            try:
                entry = services.journal_entry_update_draft(
                    entry=entry,
                    actor=request.user,
                    **form.cleaned_data,
                    lines=_draft_lines(formset),
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            except DomainError as exc:
                messages.error(request, error_text(exc))
                return redirect("ledger:entry-detail", pk=pk)
            else:
                messages.success(request, _("Draft entry %(entry)s was saved.") % {"entry": entry})
                return redirect("ledger:entry-detail", pk=entry.pk)
    else:
        form = JournalEntryForm(
            initial={"journal": entry.journal, "date": entry.date, "memo": entry.memo}
        )
        formset = JournalLineFormSet(
            prefix="lines",
            initial=[
                {
                    "account": line.account,
                    "debit": line.debit or None,
                    "credit": line.credit or None,
                    "partner": line.partner,
                    "memo": line.memo,
                }
                for line in entry.lines.all()
            ],
        )
    return render(
        request, "ledger/entry_form.html", {"form": form, "formset": formset, "entry": entry}
    )


STEPS = StepTable(
    argument="entry",
    detail="ledger:entry-detail",
    url="ledger:entry-{name}",
    steps=(
        Step(
            "delete",
            services.journal_entry_delete_draft,
            "ledger.delete_journalentry",
            gettext_lazy("Draft entry %(document)s was deleted."),
            label=gettext_lazy("Delete draft"),
            testid="delete-entry",
            button_class="btn-outline-danger",
            when=lambda entry: entry.is_draft,
            revision=False,
            actor=False,
            then="ledger:entry-list",
        ),
        Step(
            "post",
            services.journal_entry_post,
            "ledger.post_journalentry",
            gettext_lazy("Entry %(document)s was posted."),
            label=gettext_lazy("Post"),
            testid="post-entry",
            when=lambda entry: entry.is_draft,
            revision=False,
        ),
        Step(
            "reverse",
            services.journal_entry_reverse,
            "ledger.reverse_journalentry",
            gettext_lazy("Reversal %(document)s was posted."),
            label=gettext_lazy("Reverse"),
            testid="reverse-entry",
            button_class="btn-outline-danger",
            form=lambda data, entry: ReverseForm(data, initial={"date": timezone.localdate()}),
            inline_fields=("date",),
            missing=gettext_lazy("Give the reversal's date."),
            when=lambda entry: (
                entry.is_posted and not getattr(entry, "reversal", None) and not entry.reversal_of
            ),
            revision=False,
            follow=True,
        ),
    ),
)


@staff_required(modules=(FINANCE,))
@require_POST
def entry_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Delete a draft, post it, or reverse a posted entry on the date given (then show the
    reversal); a refusal is a message on the entry's page."""
    return STEPS.run(request, get_object_or_404(JournalEntry, pk=pk), step)


@staff_required("ledger.view_account", modules=(FINANCE,))
def account_tree(request: HttpRequest) -> HttpResponse:
    """The chart of accounts as a tree (indented by level), with balances as of today."""
    as_of = timezone.localdate()
    balances = reports.account_balances(as_of=as_of)
    accounts = list(selectors.account_list())
    rows = []
    for account in accounts:
        balance = sum(
            (amount for code, amount in balances.items() if code.startswith(account.code)), 0
        )
        rows.append({"account": account, "balance": balance, "indent": account.level - 1})
    return render(request, "ledger/account_tree.html", {"rows": rows, "as_of": as_of})


@staff_required("ledger.view_fiscalperiod", modules=(FINANCE,))
def period_list(request: HttpRequest) -> HttpResponse:
    """Fiscal periods with their month-end close (the steps it runs, the entries it posted)
    and reopen, and each year's year-end close."""
    periods = list(selectors.fiscal_period_list())
    found = closing.closings_by_period(periods)
    rows = [(period, found.get(period.pk, [])) for period in periods]
    years = []
    for period in periods:
        if not years or years[-1]["year"].pk != period.fiscal_year_id:
            years.append({"year": period.fiscal_year, "rows": [], "closed": None})
        years[-1]["rows"].append((period, found.get(period.pk, [])))
        for standing in found.get(period.pk, []):
            if standing.kind == standing.Kind.YEAR_END:
                years[-1]["closed"] = standing
    return render(
        request,
        "ledger/period_list.html",
        {"periods": periods, "rows": rows, "years": years, "steps": closing.month_end_steps()},
    )


def _period_action(request: HttpRequest, pk: int, *, close: bool) -> HttpResponse:
    period = get_object_or_404(selectors.fiscal_period_list(), pk=pk)
    try:
        if close:
            period = closing.period_month_end_close(period=period, user=request.user).period
        else:
            period = closing.period_month_end_reopen(period=period, user=request.user)
    except (ValidationError, DomainError) as exc:
        messages.error(request, error_text(exc))
    else:
        text = _("Period %(period)s was closed.") if close else _("Period %(period)s was reopened.")
        messages.success(request, text % {"period": period})
    return redirect("ledger:period-list")


@staff_required("ledger.close_fiscalperiod", modules=(FINANCE,))
@require_POST
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a period: its month-end steps post, then the period closes."""
    return _period_action(request, pk, close=True)


@staff_required("ledger.close_fiscalperiod", modules=(FINANCE,))
@require_POST
def period_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Reopen a period: its month-end closing is reversed."""
    return _period_action(request, pk, close=False)


@staff_required("ledger.close_fiscalperiod", modules=(FINANCE,))
@require_POST
def year_close(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Close (``step`` "close") or reopen ("reopen") a fiscal year."""
    year = get_object_or_404(FiscalYear, pk=pk)
    try:
        if step == "close":
            closing.fiscal_year_close(fiscal_year=year, user=request.user)
            text = _("The year %(year)s was closed.")
        else:
            closing.fiscal_year_reopen(fiscal_year=year, user=request.user)
            text = _("The year %(year)s was reopened.")
    except (ValidationError, DomainError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, text % {"year": year.year})
    return redirect("ledger:period-list")


def _trial_balance_form(request: HttpRequest) -> TrialBalanceForm:
    """The range asked for, or the current period when nothing was asked."""
    if "period_from" in request.GET:
        return TrialBalanceForm(request.GET)
    current = selectors.period_for_date(date=timezone.localdate())
    if current is None:
        return TrialBalanceForm()
    return TrialBalanceForm({"period_from": current.pk, "period_to": current.pk})


@staff_required("ledger.view_account", modules=(FINANCE,))
def trial_balance(request: HttpRequest) -> HttpResponse:
    """The trial balance of a period range, with totals and an Excel download."""
    form = _trial_balance_form(request)
    report = None
    if form.is_bound and form.is_valid():
        report = reports.trial_balance_for_periods(
            period_from=form.cleaned_data["period_from"], period_to=form.cleaned_data["period_to"]
        )
    return render(request, "ledger/trial_balance.html", {"form": form, "report": report})


@staff_required("ledger.view_account", modules=(FINANCE,))
def trial_balance_export(request: HttpRequest) -> HttpResponse:
    """The trial balance of a period range as an Excel workbook."""
    form = _trial_balance_form(request)
    if not (form.is_bound and form.is_valid()):
        messages.error(request, _("Choose a valid period range."))
        return redirect("ledger:trial-balance")
    report = reports.trial_balance_for_periods(
        period_from=form.cleaned_data["period_from"], period_to=form.cleaned_data["period_to"]
    )
    response = HttpResponse(
        reports.trial_balance_workbook(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"trial-balance-{report.date_from}-{report.date_to}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_required("ledger.view_account", modules=(FINANCE,))
def general_ledger(request: HttpRequest) -> HttpResponse:
    """The general ledger of one account: opening balance, lines, running balance."""
    report = None
    if "account" in request.GET:
        form = GeneralLedgerForm(request.GET)
        if form.is_valid():
            report = reports.general_ledger(**form.cleaned_data)
    else:
        today = timezone.localdate()
        form = GeneralLedgerForm(initial={"date_from": today.replace(day=1), "date_to": today})
    return render(request, "ledger/general_ledger.html", {"form": form, "report": report})


@staff_required("ledger.view_journalentry", modules=(FINANCE,))
def reconcile(request: HttpRequest) -> HttpResponse:
    """The result of the reconciliation checks, as ``manage.py reconcile`` prints it."""
    return render(request, "ledger/reconcile.html", {"breaches": run_checks()})


@staff_required("ledger.view_companysettings", modules=(FINANCE,))
@require_http_methods(["GET", "POST"])
def company_settings(request: HttpRequest) -> HttpResponse:
    """The company's settings: everyone in finance reads them; who may change them (finance,
    the admin) saves them through ``company_settings_update``, which checks every value."""
    company = selectors.company_settings()
    may_change = request.user.has_perm("ledger.change_companysettings")
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        form = CompanySettingsForm(request.POST, instance=company)
        if form.is_valid():
            try:
                services.company_settings_update(
                    **{name: form.cleaned_data[name] for name in services.COMPANY_FIELDS}
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The company settings were saved."))
                return redirect("ledger:company-settings")
    else:
        form = CompanySettingsForm(instance=company)
    if not may_change:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "ledger/company_settings.html",
        {"form": form, "company": company, "may_change": may_change},
    )


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal on the form: by field where it names one of the form's fields."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)
