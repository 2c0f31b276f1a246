"""What the purchasing pages share: refusals as messages, status actions, list filters."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.dateparse import parse_date
from django.utils.functional import Promise

from common.errors import DomainError
from erp_core.documents.views import error_text
from erp_core.purchasing.forms import AcknowledgeForm, ReasonForm

ERP = "erp_core.access_erp"
# Orders and receipts are also the warehouse's business, whose staff work in WMS.
ORDER_MODULES = (ERP, "wms.access_wms")
PER_PAGE = 25


def staff_required(*perms: str, modules: tuple[str, ...] = ORDER_MODULES) -> Callable:
    """Signed in, one of ``modules`` (ERP or WMS access) and every one of ``perms``; else 403."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not any(user.has_perm(module) for module in modules) or not user.has_perms(perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorate


def date_param(request: HttpRequest, name: str) -> dt.date | None:
    """A date from the query string, or None when missing or malformed."""
    try:
        return parse_date(request.GET.get(name, "").strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class Step:
    """A status action of a document page: its permission, service and message."""

    permission: str
    service: Callable
    done: str | Promise
    with_reason: bool = False
    with_acknowledgement: bool = False


def run_step(
    request: HttpRequest,
    *,
    document,
    argument: str,
    step: Step,
    detail_url: str,
) -> HttpResponse:
    """Run a status action from a POSTed button; a refusal is shown as a message."""
    if not request.user.has_perm(step.permission):
        raise PermissionDenied
    kwargs: dict = {argument: document, "actor": request.user}
    revision = request.POST.get("revision", "").strip()
    if revision.isdigit():
        kwargs["expected_revision"] = int(revision)
    if step.with_reason:
        form = ReasonForm(request.POST)
        form.is_valid()
        kwargs["reason"] = form.cleaned_data.get("reason", "")
    if step.with_acknowledgement:
        form = AcknowledgeForm(request.POST)
        form.is_valid()
        kwargs["supplier_reference"] = form.cleaned_data.get("supplier_reference", "")
    try:
        document = step.service(**kwargs)
    except (ValidationError, DomainError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, step.done % {"document": document})
    return redirect(detail_url, pk=document.pk)
