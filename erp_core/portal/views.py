"""The partner portal's pages: a customer's or supplier's own user sees its partner's documents,
downloads its statement and keeps its API tokens. Every row is looked up within the user's own
partner, so another partner's document is a 404; staff fields (who created a document, internal
memos) are never shown."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import NotFound
from erp_core import tokens
from erp_core.billing import printing
from erp_core.billing import selectors as billing_selectors
from erp_core.billing.models import Invoice
from erp_core.portal import selectors
from erp_core.portal.forms import StatementPeriodForm, TokenForm

LIST_LIMIT = 50


def partner_required(view: Callable) -> Callable:
    """Signed in as a partner's own user; staff are refused (403), visitors sent to sign in."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.partner_id:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


@partner_required
def home(request: HttpRequest) -> HttpResponse:
    """The partner's documents: a customer's orders, deliveries and invoices, a supplier's
    purchase orders, receipts and bills (a partner of both kinds sees both)."""
    partner = request.user.partner
    context: dict = {"partner": partner}
    if partner.is_customer:
        orders = selectors.portal_sales_order_list(partner=partner)
        context["sales_orders"] = orders[:LIST_LIMIT]
        context["deliveries"] = selectors.portal_delivery_list(partner=partner)[:LIST_LIMIT]
        context["invoices"] = selectors.portal_invoice_list(
            partner=partner, kinds=Invoice.CUSTOMER_KINDS
        )[:LIST_LIMIT]
    if partner.is_supplier:
        context["purchase_orders"] = selectors.portal_purchase_order_list(partner=partner)[
            :LIST_LIMIT
        ]
        context["receipts"] = selectors.portal_receipt_list(partner=partner)[:LIST_LIMIT]
        context["bills"] = selectors.portal_invoice_list(
            partner=partner, kinds=Invoice.SUPPLIER_KINDS
        )[:LIST_LIMIT]
    return render(request, "portal/home.html", context)


@partner_required
def sales_order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the customer's orders with its lines, promised dates and what was delivered."""
    order = get_object_or_404(
        selectors.portal_sales_order_list(partner=request.user.partner), pk=pk
    )
    return render(request, "portal/sales_order_detail.html", {"order": order})


@partner_required
def purchase_order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the supplier's orders with its lines, expected dates and what was received."""
    order = get_object_or_404(
        selectors.portal_purchase_order_list(partner=request.user.partner), pk=pk
    )
    return render(request, "portal/purchase_order_detail.html", {"order": order})


@partner_required
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the partner's posted invoices or bills, printed (PDF)."""
    partner = request.user.partner
    kinds = billing_selectors.partner_visible_kinds(partner)
    invoice = get_object_or_404(
        billing_selectors.invoice_detail_list().filter(
            pk__in=selectors.portal_invoice_list(partner=partner, kinds=kinds).values("pk")
        ),
        pk=pk,
    )
    return printing.invoice_pdf(invoice, request=request)


def _statement_form(request: HttpRequest) -> StatementPeriodForm:
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("date_from", today.replace(month=1, day=1).isoformat())
    data.setdefault("date_to", today.isoformat())
    return StatementPeriodForm(data)


def _statement_report(request: HttpRequest, form: StatementPeriodForm):
    """The partner's statement for the form's period; a partner of both kinds picks the side
    with ``side`` (receivable by default)."""
    if not form.is_valid():
        return None
    partner = request.user.partner
    side = request.GET.get("side")
    if side not in billing_selectors.SIDES or not (partner.is_customer and partner.is_supplier):
        side = None
    return billing_selectors.statement(
        partner=partner,
        kind=side,
        date_from=form.cleaned_data["date_from"],
        date_to=form.cleaned_data["date_to"],
    )


@partner_required
def statement(request: HttpRequest) -> HttpResponse:
    """The partner's statement of account for a period, with PDF and Excel downloads."""
    form = _statement_form(request)
    report = _statement_report(request, form)
    return render(request, "portal/statement.html", {"form": form, "report": report})


@partner_required
def statement_pdf(request: HttpRequest) -> HttpResponse:
    """The statement as a PDF (the billing print, the partner fixed to the user's own)."""
    form = _statement_form(request)
    report = _statement_report(request, form)
    if report is None:
        return render(request, "portal/statement.html", {"form": form, "report": None}, status=400)
    return printing.statement_pdf(report, request=request)


@partner_required
def statement_export(request: HttpRequest) -> HttpResponse:
    """The statement as an Excel sheet."""
    form = _statement_form(request)
    report = _statement_report(request, form)
    if report is None:
        return render(request, "portal/statement.html", {"form": form, "report": None}, status=400)
    return printing.statement_xlsx(report)


@partner_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's API tokens, and a form to make one: the plain token is shown once, here."""
    form = TokenForm(request.POST or None)
    plain = None
    if request.method == "POST" and form.is_valid():
        try:
            _instance, plain = tokens.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_on=form.cleaned_data["expires_on"],
                actor=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = TokenForm()
    context = {"form": form, "plain": plain, "tokens": tokens.api_token_list(user=request.user)}
    return render(request, "portal/tokens.html", context)


@require_POST
@partner_required
def token_revoke(request: HttpRequest, key: str) -> HttpResponse:
    """Revoke one of the user's tokens; another user's is a 404."""
    try:
        tokens.api_token_revoke(user=request.user, token_key=key, actor=request.user)
    except NotFound as exc:
        raise Http404 from exc
    messages.success(request, _("The token is revoked."))
    return redirect("portal:tokens")
