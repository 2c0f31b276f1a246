"""Prints and exports of billing: the invoice PDF (VAT invoice layout), the statement PDF, and
the Excel exports of the lists, the aging and the statement."""

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from erp_core.billing import selectors
from erp_core.billing.models import Invoice, Payment
from erp_core.billing.selectors import AgingReport, Statement
from erp_core.documents.printing import pdf_response, xlsx_response
from erp_core.documents.words import amount_in_words


def invoice_print_context(invoice: Invoice) -> dict:
    """What the printed invoice shows: both VAT parties, the lines, 价税合计 in figures and 大写."""
    buyer, seller = selectors.vat_parties(invoice)
    lines = list(invoice.lines.all())
    return {
        "invoice": invoice,
        "lines": lines,
        "buyer": buyer,
        "seller": seller,
        "gross_in_words": selectors.gross_in_words(invoice),
        "sign": "-" if invoice.is_credit_note else "",
    }


def invoice_pdf(invoice: Invoice, *, request: HttpRequest | None = None) -> HttpResponse:
    """The invoice, bill or credit note as a PDF."""
    return pdf_response(
        "billing/invoice_print.html",
        invoice_print_context(invoice),
        filename=f"{invoice.number}.pdf",
        request=request,
    )


def payment_pdf(payment: Payment, *, request: HttpRequest | None = None) -> HttpResponse:
    """A payment as a PDF (收款单 / 付款单) with its amount in words and its allocations."""
    return pdf_response(
        "billing/payment_print.html",
        {
            "payment": payment,
            "allocations": list(payment.allocations.all()),
            "amount_in_words": amount_in_words(payment.amount),
        },
        filename=f"{payment.number}.pdf",
        request=request,
    )


def statement_pdf(report: Statement, *, request: HttpRequest | None = None) -> HttpResponse:
    """A partner's statement of account as a PDF."""
    return pdf_response(
        "billing/statement_print.html",
        {"report": report, "closing_in_words": amount_in_words(report.closing)},
        filename=f"statement-{report.partner.code}-{report.date_from}-{report.date_to}.pdf",
        request=request,
    )


def invoices_xlsx(invoices: Iterable[Invoice], *, title: str, filename: str) -> HttpResponse:
    """A list of invoices or bills as an Excel sheet."""
    headers = [
        _("Number"),
        _("Kind"),
        _("Date"),
        _("Due date"),
        _("Partner code"),
        _("Partner"),
        _("Supplier's number"),
        _("Amount"),
        _("VAT"),
        _("Amount incl. VAT"),
        _("Allocated"),
        _("Open"),
        _("Three-way match"),
        _("Status"),
    ]
    rows = (
        [
            invoice.number,
            invoice.get_kind_display(),
            invoice.date,
            invoice.due_date,
            invoice.partner.code,
            invoice.partner.name,
            invoice.supplier_invoice_number,
            invoice.net_amount,
            invoice.tax_amount,
            invoice.gross_amount,
            invoice.amount_allocated,
            invoice.open_amount,
            invoice.get_match_status_display() if invoice.match_status else "",
            invoice.get_status_display(),
        ]
        for invoice in invoices
    )
    return xlsx_response(filename=filename, title=title, headers=headers, rows=rows)


def payments_xlsx(payments: Iterable[Payment], *, filename: str) -> HttpResponse:
    """A list of payments as an Excel sheet."""
    headers = [
        _("Number"),
        _("Direction"),
        _("Date"),
        _("Partner code"),
        _("Partner"),
        _("Bank account"),
        _("Reference"),
        _("Amount"),
        _("Allocated"),
        _("Unapplied"),
        _("Status"),
    ]
    rows = (
        [
            payment.number,
            payment.get_direction_display(),
            payment.date,
            payment.partner.code,
            payment.partner.name,
            payment.bank_account.code,
            payment.reference,
            payment.amount,
            payment.amount_allocated,
            payment.unapplied_amount,
            payment.get_status_display(),
        ]
        for payment in payments
    )
    return xlsx_response(filename=filename, title=_("Payments"), headers=headers, rows=rows)


def aging_xlsx(report: AgingReport) -> HttpResponse:
    """An aging report as an Excel sheet, with its totals row."""
    headers = [
        _("Partner code"),
        _("Partner"),
        _("0-30"),
        _("31-60"),
        _("61-90"),
        _("90+"),
        _("Unapplied cash"),
        _("Total"),
    ]
    rows = [
        [
            row.partner_code,
            row.partner_name,
            row.current,
            row.days_31_60,
            row.days_61_90,
            row.over_90,
            row.unapplied,
            row.total,
        ]
        for row in [*report.rows, report.totals]
    ]
    title = _("AR aging") if report.side == selectors.RECEIVABLE else _("AP aging")
    return xlsx_response(
        filename=f"{report.side}-aging-{report.as_of}.xlsx", title=title, headers=headers, rows=rows
    )


def statement_xlsx(report: Statement) -> HttpResponse:
    """A statement as an Excel sheet: opening, the documents with the balance, closing."""
    headers = [
        _("Date"),
        _("Document"),
        _("Number"),
        _("Reference"),
        _("Due date"),
        _("Increase"),
        _("Decrease"),
        _("Balance"),
    ]
    rows = [
        [report.date_from, _("Opening balance"), "", "", None, None, None, report.opening],
        *(
            [
                line.date,
                line.kind_label,
                line.number,
                line.reference,
                line.due_date,
                line.increase,
                line.decrease,
                line.balance,
            ]
            for line in report.lines
        ),
        [
            report.date_to,
            _("Closing balance"),
            "",
            "",
            None,
            report.total_increase,
            report.total_decrease,
            report.closing,
        ],
    ]
    return xlsx_response(
        filename=f"statement-{report.partner.code}-{report.date_from}-{report.date_to}.xlsx",
        title=_("Statement"),
        headers=headers,
        rows=rows,
    )
