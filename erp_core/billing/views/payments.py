"""Staff pages of payments received and made, and their allocations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from common.errors import DomainError
from common.history import history_rows
from common.htmx import wants_partial
from erp_core.billing import printing, selectors, services
from erp_core.billing.forms import (
    AllocateForm,
    PartnerChoiceForm,
    PaymentEditForm,
    PaymentForm,
)
from erp_core.billing.models import Payment, PaymentAllocation
from erp_core.billing.views.common import FINANCE, PER_PAGE, document_steps, list_filters
from erp_core.documents.views import error_text, posted_revision, staff_required

DIRECTIONS = Payment.Direction


def _payments(request: HttpRequest) -> tuple[dict, object]:
    filters = list_filters(request, statuses=Payment.Status.choices, kinds=DIRECTIONS.choices)
    payments = selectors.payment_list(
        direction=filters["kind"] or None,
        status=filters["status"] or None,
        partner=filters["partner"],
        date_from=filters["date_from"],
        date_to=filters["date_to"],
        search=filters["q"],
    )
    return filters, payments


@staff_required("billing.view_payment", modules=(FINANCE,))
@vary_on_headers("HX-Request")
def payment_list(request: HttpRequest) -> HttpResponse:
    """Payments received and made, filtered by direction, status, partner, dates, search."""
    filters, payments = _payments(request)
    page_obj = Paginator(payments, PER_PAGE).get_page(request.GET.get("page"))
    template = (
        "billing/partials/payment_table.html"
        if wants_partial(request)
        else "billing/payment_list.html"
    )
    return render(
        request,
        template,
        {
            **filters,
            "page_obj": page_obj,
            "statuses": Payment.Status.choices,
            "directions": DIRECTIONS.choices,
        },
    )


@staff_required("billing.view_payment", modules=(FINANCE,))
def payment_export(request: HttpRequest) -> HttpResponse:
    """The filtered payments as an Excel sheet."""
    _filters, payments = _payments(request)
    return printing.payments_xlsx(payments, filename="payments.xlsx")


@staff_required("billing.view_payment", modules=(FINANCE,))
def payment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One payment: its allocations, the open documents it may settle, actions and history."""
    payment = get_object_or_404(selectors.payment_detail_list(), pk=pk)
    can_allocate = payment.status in (Payment.Status.DRAFT, Payment.Status.APPROVED) and (
        payment.unapplied_amount > 0
    )
    return render(
        request,
        "billing/payment_detail.html",
        {
            "payment": payment,
            "allocations": list(payment.allocations.all()),
            "allocate_form": AllocateForm(invoices=selectors.open_invoices_for(payment))
            if can_allocate
            else None,
            "steps": STEPS.buttons(request.user, payment),
            "history": history_rows(payment),
        },
    )


@staff_required("billing.view_payment", modules=(FINANCE,))
def payment_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The payment printed (PDF)."""
    payment = get_object_or_404(selectors.payment_detail_list(), pk=pk)
    return printing.payment_pdf(payment, request=request)


@staff_required("billing.add_payment", modules=(FINANCE,))
@require_http_methods(["GET", "POST"])
def payment_create(request: HttpRequest) -> HttpResponse:
    """A payment: choose direction and partner, then the amount and its allocations."""
    direction = request.GET.get("direction", DIRECTIONS.RECEIVED)
    if direction not in DIRECTIONS.values:
        direction = DIRECTIONS.RECEIVED
    chooser = PartnerChoiceForm(
        request.GET if "partner" in request.GET else None,
        customer=direction == DIRECTIONS.RECEIVED,
    )
    context = {"chooser": chooser, "direction": direction, "directions": DIRECTIONS.choices}
    if not chooser.is_bound or not chooser.is_valid():
        return render(request, "billing/payment_form.html", {**context, "form": None})
    partner = chooser.cleaned_data["partner"]
    probe = Payment(direction=direction, partner=partner)
    invoices = list(selectors.open_invoices_for(probe))
    form = PaymentForm(
        request.POST if request.method == "POST" else None,
        invoices=invoices,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = services.payment_create(
                direction=direction,
                partner=partner,
                date=data["date"],
                amount=data["amount"],
                bank_account=data["bank_account"],
                reference=data.get("reference", ""),
                memo=data.get("memo", ""),
                allocations=form.allocations(),
                actor=request.user,
            )
        except (ValidationError, DomainError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("%(number)s was saved.") % {"number": payment.number})
            return redirect("billing:payment-detail", pk=payment.pk)
    return render(
        request, "billing/payment_form.html", {**context, "partner": partner, "form": form}
    )


@staff_required("billing.change_payment", modules=(FINANCE,))
@require_http_methods(["GET", "POST"])
def payment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a saved payment's head (its allocations are changed on its page)."""
    payment = get_object_or_404(selectors.payment_detail_list(), pk=pk)
    if not payment.is_draft:
        messages.error(request, _("Only a saved payment can be changed."))
        return redirect("billing:payment-detail", pk=pk)
    form = PaymentEditForm.for_payment(payment, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_update(
                payment=payment,
                actor=request.user,
                expected_revision=posted_revision(request),
                **form.cleaned_data,
            )
        except (ValidationError, DomainError) as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("%(number)s was saved.") % {"number": payment.number})
            return redirect("billing:payment-detail", pk=pk)
    return render(request, "billing/payment_edit.html", {"payment": payment, "form": form})


STEPS = document_steps(
    argument="payment",
    kind="payment",
    approve=services.payment_approve,
    unapprove=services.payment_unapprove,
    void=services.payment_void,
    missing=gettext_lazy("Say why the payment is voided."),
)


@staff_required(modules=(FINANCE,))
@require_POST
def payment_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Post (审核), unpost (反审核, while nothing is allocated) or void (作废) a payment."""
    return STEPS.run(request, get_object_or_404(Payment, pk=pk), step)


@staff_required("billing.change_payment", modules=(FINANCE,))
@require_POST
def payment_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    """Allocate part of the payment's unapplied cash to open documents."""
    payment = get_object_or_404(Payment, pk=pk)
    form = AllocateForm(request.POST, invoices=selectors.open_invoices_for(payment))
    if not form.is_valid():
        messages.error(
            request, " ".join(str(e) for e in form.non_field_errors()) or _("Check the amounts.")
        )
        return redirect("billing:payment-detail", pk=pk)
    try:
        services.payment_allocate(
            payment=payment, allocations=form.allocations(), actor=request.user
        )
    except (ValidationError, DomainError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The allocations were saved."))
    return redirect("billing:payment-detail", pk=pk)


@staff_required("billing.change_payment", modules=(FINANCE,))
@require_POST
def payment_unallocate(request: HttpRequest, pk: int, allocation_pk: int) -> HttpResponse:
    """Take one allocation back."""
    allocation = get_object_or_404(PaymentAllocation, pk=allocation_pk, payment_id=pk)
    try:
        services.allocation_remove(allocation=allocation, actor=request.user)
    except (ValidationError, DomainError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The allocation was removed."))
    return redirect("billing:payment-detail", pk=pk)
