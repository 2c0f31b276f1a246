"""Printable documents (PDF, through WeasyPrint) and list exports (Excel, through openpyxl).

Templates extend ``documents/print_base.html``, which sets A4 pages and the Noto CJK font so
that Chinese prints as well as English (install ``fonts-noto-cjk``).
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from io import BytesIO

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render_pdf(template_name: str, context: dict, *, request: HttpRequest | None = None) -> bytes:
    """Render a template to PDF bytes (links and static files resolve against the request)."""
    from weasyprint import HTML  # imported on first print: loading it parses its stylesheets

    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request is not None else None
    return HTML(string=html, base_url=base_url).write_pdf()


def pdf_response(
    template_name: str, context: dict, *, filename: str, request: HttpRequest | None = None
) -> HttpResponse:
    """A PDF shown inline in the browser (``?download=1`` would be the caller's choice)."""
    response = HttpResponse(
        render_pdf(template_name, context, request=request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _cell(value):
    if isinstance(value, Decimal):
        return float(value)  # a spreadsheet number; the figures were rounded already
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if value is None:
        return ""
    if isinstance(value, str | int | float | dt.date):
        return value
    return str(value)


def xlsx_bytes(*, title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """One sheet: a bold header row, then the rows (decimals as numbers, dates as dates)."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(title)[:31]
    sheet.append([str(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    *, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    """An Excel download of a list page's rows."""
    response = HttpResponse(
        xlsx_bytes(title=title, headers=headers, rows=rows), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
