"""Steps taken on WMS documents from their pages: complete a receipt, submit and approve a
count, pack picked goods of an outbound order. Each runs the service behind the API's verb,
checks the same permission, and says what happened (or why not) in a message."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError
from erp_core.documents.views import error_text
from wms.models import Count, ExpectedReceipt, OutboundOrder
from wms.services import counts, inbound
from wms.services.outbound import package_create
from wms.views.kit import wms_required


def _run(request: HttpRequest, work: Callable[[], str], *, back: str) -> HttpResponse:
    """Run a step; its message on success, the refusal as an error; back to the page."""
    try:
        done = work()
    except (ValidationError, DomainError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done)
    return redirect(back)


@wms_required("wms.receive_expectedreceipt")
@require_POST
def receipt_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Complete an expected receipt: what was scanned goes into the receiving bin."""
    receipt = get_object_or_404(ExpectedReceipt, pk=pk)

    def work() -> str:
        done = inbound.expected_receipt_complete(receipt=receipt, actor=request.user)
        return _("Receipt %(number)s is complete: the goods wait in the receiving bin for "
                 "putaway.") % {"number": done.number}  # fmt: skip

    return _run(request, work, back=reverse("wms:receipt-detail", args=[pk]))


@wms_required("wms.change_count")
@require_POST
def count_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Close counting and work the variances out."""
    count = get_object_or_404(Count, pk=pk)

    def work() -> str:
        done = counts.count_submit(count=count, actor=request.user)
        return _("Count %(number)s is submitted for review.") % {"number": done.number}

    return _run(request, work, back=reverse("wms:count-detail", args=[pk]))


@wms_required("wms.approve_count")
@require_POST
def count_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve a count's variances: the bins are adjusted and the ERP posts them."""
    count = get_object_or_404(Count, pk=pk)

    def work() -> str:
        done = counts.count_approve(count=count, actor=request.user)
        return _("Count %(number)s is approved: the bins are adjusted and the books follow.") % {
            "number": done.number
        }

    return _run(request, work, back=reverse("wms:count-detail", args=[pk]))


@wms_required("wms.pick_outboundorder")
@require_POST
def order_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """Pack everything picked and not yet packed of an order into a package of the weight
    given."""
    order = get_object_or_404(OutboundOrder, pk=pk)

    def work() -> str:
        package = package_create(
            order=order, weight=request.POST.get("weight", "").strip(), actor=request.user
        )
        return _("Packed into %(package)s.") % {"package": package.code}

    return _run(request, work, back=reverse("wms:outbound-detail", args=[pk]))
