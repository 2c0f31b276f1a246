"""Staff pages of customer invoices, supplier bills and credit notes.

Views only call selectors and services; forms validate and display errors; refusals of the
services are shown as messages or form errors.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from common.errors import DomainError
from common.history import history_rows
from common.htmx import wants_partial
from erp_core.billing import printing, selectors, services
from erp_core.billing.forms import (
    CreditNoteForm,
    InvoiceEditForm,
    InvoiceFromSourcesForm,
    PartnerChoiceForm,
)
from erp_core.billing.models import Invoice
from erp_core.billing.views.common import (
    FINANCE,
    PER_PAGE,
    document_steps,
    list_filters,
    require_side_access,
)
from erp_core.documents.views import error_text, posted_revision, staff_required
from erp_core.models import Partner

SIDES = {
    selectors.RECEIVABLE: {
        "kinds": Invoice.CUSTOMER_KINDS,
        "title": gettext_lazy("Customer invoices"),
        "list": "billing:invoice-list",
        "export": "billing:invoice-export",
        "create": "billing:invoice-create",
        "active": "invoices",
    },
    selectors.PAYABLE: {
        "kinds": Invoice.SUPPLIER_KINDS,
        "title": gettext_lazy("Supplier bills"),
        "list": "billing:bill-list",
        "export": "billing:bill-export",
        "create": "billing:bill-create",
        "active": "bills",
    },
}


def _documents(request: HttpRequest, side: str) -> tuple[dict, object]:
    kinds = [(kind, Invoice.Kind(kind).label) for kind in SIDES[side]["kinds"]]
    filters = list_filters(request, statuses=Invoice.Status.choices, kinds=kinds)
    documents = selectors.invoice_list(
        kinds=(filters["kind"],) if filters["kind"] else SIDES[side]["kinds"],
        status=filters["status"] or None,
        partner=filters["partner"],
        date_from=filters["date_from"],
        date_to=filters["date_to"],
        search=filters["q"],
    )
    return {**filters, "kinds": kinds}, documents


def _document_list(request: HttpRequest, side: str) -> HttpResponse:
    filters, documents = _documents(request, side)
    page_obj = Paginator(documents, PER_PAGE).get_page(request.GET.get("page"))
    template = (
        "billing/partials/invoice_table.html"
        if wants_partial(request)
        else "billing/invoice_list.html"
    )
    return render(
        request,
        template,
        {
            **filters,
            "page_obj": page_obj,
            "side": side,
            "conf": SIDES[side],
            "statuses": Invoice.Status.choices,
        },
    )


@staff_required("billing.view_invoice")
@vary_on_headers("HX-Request")
def invoice_list(request: HttpRequest) -> HttpResponse:
    """Customer invoices and credit notes, filtered by kind, status, partner, dates, search."""
    return _document_list(request, selectors.RECEIVABLE)


@staff_required("billing.view_invoice", modules=(FINANCE,))
@vary_on_headers("HX-Request")
def bill_list(request: HttpRequest) -> HttpResponse:
    """Supplier bills and credit notes, filtered like the invoices."""
    return _document_list(request, selectors.PAYABLE)


@staff_required("billing.view_invoice")
def invoice_export(request: HttpRequest) -> HttpResponse:
    """The filtered customer invoices as an Excel sheet."""
    _filters, documents = _documents(request, selectors.RECEIVABLE)
    return printing.invoices_xlsx(
        documents, title=_("Customer invoices"), filename="customer-invoices.xlsx"
    )


@staff_required("billing.view_invoice", modules=(FINANCE,))
def bill_export(request: HttpRequest) -> HttpResponse:
    """The filtered supplier bills as an Excel sheet."""
    _filters, documents = _documents(request, selectors.PAYABLE)
    return printing.invoices_xlsx(
        documents, title=_("Supplier bills"), filename="supplier-bills.xlsx"
    )


@staff_required("billing.view_invoice")
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One document: VAT parties, lines (a bill's three-way match), allocations, credit notes,
    the journal entry, the action buttons and the change history."""
    invoice = get_object_or_404(selectors.invoice_detail_list(), pk=pk)
    require_side_access(request, invoice)
    buyer, seller = selectors.vat_parties(invoice)
    side = selectors.PAYABLE if invoice.is_supplier_side else selectors.RECEIVABLE
    return render(
        request,
        "billing/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": list(invoice.lines.all()),
            "allocations": list(invoice.allocations.all()),
            "credit_notes": list(selectors.invoice_credit_notes(invoice)),
            "buyer": buyer,
            "seller": seller,
            "gross_in_words": selectors.gross_in_words(invoice),
            "conf": SIDES[side],
            "steps": STEPS.buttons(request.user, invoice) if request.user.has_perm(FINANCE) else [],
            "history": history_rows(invoice),
        },
    )


@staff_required("billing.view_invoice")
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The document printed in the VAT invoice layout (PDF)."""
    invoice = get_object_or_404(selectors.invoice_detail_list(), pk=pk)
    require_side_access(request, invoice)
    return printing.invoice_pdf(invoice, request=request)


def _create_from_sources(request: HttpRequest, *, bill: bool) -> HttpResponse:
    side = selectors.PAYABLE if bill else selectors.RECEIVABLE
    chooser = PartnerChoiceForm(request.GET or None, customer=not bill)
    context = {"chooser": chooser, "bill": bill, "conf": SIDES[side], "form": None}
    if not chooser.is_bound or not chooser.is_valid():
        return render(request, "billing/invoice_from_sources.html", context)
    partner: Partner = chooser.cleaned_data["partner"]
    rows = list(
        selectors.unbilled_receipt_lines(partner=partner)
        if bill
        else selectors.uninvoiced_delivery_lines(partner=partner)
    )
    # "Invoice this delivery" (the delivery page) offers every uninvoiced line of the customer
    # but fills in the quantities of that delivery only.
    delivery = request.GET.get("delivery", "")
    form = InvoiceFromSourcesForm(
        request.POST if request.method == "POST" else None,
        rows=rows,
        bill=bill,
        only_delivery=int(delivery) if not bill and delivery.isdigit() else None,
    )
    if request.method == "POST" and form.is_valid():
        source = "receipt_line" if bill else "delivery_line"
        lines = []
        for row, quantity, price in form.chosen():
            spec = {source: row, "quantity": quantity}
            if bill and price is not None:
                spec["unit_price"] = price
            lines.append(spec)
        head = {
            "partner": partner,
            "date": form.cleaned_data["date"],
            "due_date": form.cleaned_data.get("due_date"),
            "memo": form.cleaned_data.get("memo", ""),
            "lines": lines,
            "actor": request.user,
        }
        try:
            if bill:
                invoice = services.supplier_bill_create_from_receipts(
                    supplier_invoice_number=form.cleaned_data["supplier_invoice_number"], **head
                )
            else:
                invoice = services.customer_invoice_create_from_deliveries(**head)
        except (ValidationError, DomainError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("%(number)s was saved.") % {"number": invoice.number})
            return redirect("billing:invoice-detail", pk=invoice.pk)
    context.update({"partner": partner, "form": form})
    return render(request, "billing/invoice_from_sources.html", context)


@staff_required("billing.add_invoice", modules=(FINANCE,))
@require_http_methods(["GET", "POST"])
def invoice_create(request: HttpRequest) -> HttpResponse:
    """A customer invoice from shipped deliveries: choose the customer, then the quantities."""
    return _create_from_sources(request, bill=False)


@staff_required("billing.add_invoice", modules=(FINANCE,))
@require_http_methods(["GET", "POST"])
def bill_create(request: HttpRequest) -> HttpResponse:
    """A supplier bill from receipts: choose the supplier, then quantities and billed prices."""
    return _create_from_sources(request, bill=True)


@staff_required("billing.change_invoice", modules=(FINANCE,))
@require_http_methods(["GET", "POST"])
def invoice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a saved document: its head and its lines' quantities (bills: prices too)."""
    invoice = get_object_or_404(selectors.invoice_detail_list(), pk=pk)
    if not invoice.is_draft:
        messages.error(request, _("Only a saved document can be changed."))
        return redirect("billing:invoice-detail", pk=pk)
    form = InvoiceEditForm(request.POST if request.method == "POST" else None, invoice=invoice)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.invoice_update(
                invoice=invoice,
                actor=request.user,
                expected_revision=posted_revision(request),
                date=data["date"],
                due_date=data.get("due_date"),
                memo=data.get("memo", ""),
                supplier_invoice_number=data.get("supplier_invoice_number"),
                lines=form.line_inputs(),
            )
        except (ValidationError, DomainError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("%(number)s was saved.") % {"number": invoice.number})
            return redirect("billing:invoice-detail", pk=pk)
    return render(request, "billing/invoice_edit.html", {"invoice": invoice, "form": form})


STEPS = document_steps(
    argument="invoice",
    kind="invoice",
    approve=services.invoice_approve,
    unapprove=services.invoice_unapprove,
    void=services.invoice_void,
    missing=gettext_lazy("Say why the document is voided."),
)


@staff_required(modules=(FINANCE,))
@require_POST
def invoice_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Post (审核), unpost (反审核) or void (作废) a document from its page."""
    return STEPS.run(request, get_object_or_404(Invoice, pk=pk), step)


@staff_required("billing.add_invoice", modules=(FINANCE,))
@require_http_methods(["GET", "POST"])
def credit_note_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A credit note of a posted invoice or bill: the quantities credited per line."""
    original = get_object_or_404(selectors.invoice_detail_list(), pk=pk)
    if original.kind not in (Invoice.Kind.CUSTOMER_INVOICE, Invoice.Kind.SUPPLIER_BILL) or (
        not original.is_approved
    ):
        messages.error(request, _("Only a posted invoice or bill can be credited."))
        return redirect("billing:invoice-detail", pk=pk)
    lines = list(original.lines.all())
    credited = selectors.credited_quantities(original)
    remaining = {line.pk: line.quantity - credited.get(line.pk, 0) for line in lines}
    form = CreditNoteForm(
        request.POST if request.method == "POST" else None, lines=lines, remaining=remaining
    )
    if request.method == "POST" and form.is_valid():
        try:
            credit_note = services.credit_note_create(
                invoice=original,
                date=form.cleaned_data["date"],
                memo=form.cleaned_data.get("memo", ""),
                lines=[
                    {"credited_line": line, "quantity": quantity}
                    for line, quantity, _price in form.chosen()
                ],
                actor=request.user,
            )
        except (ValidationError, DomainError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request, _("Credit note %(number)s was saved.") % {"number": credit_note.number}
            )
            return redirect("billing:invoice-detail", pk=credit_note.pk)
    return render(
        request,
        "billing/credit_note_form.html",
        {"original": original, "form": form, "remaining": remaining},
    )
