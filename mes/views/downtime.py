"""MES pages of downtime: the stops of the machines, and giving or correcting a stop's reason."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.errors import DomainError
from erp_core.documents.views import error_text
from mes import selectors
from mes.forms import DowntimeReasonForm
from mes.models import Downtime, DowntimeReason, Machine
from mes.services.downtime import downtime_reason_correct
from mes.views.machines import PER_PAGE, int_param, mes_required


@mes_required("mes.view_downtime")
def downtime_list(request: HttpRequest) -> HttpResponse:
    """Stops, latest first, by machine and reason (``?reason=none``: those without one)."""
    reason_param = request.GET.get("reason", "")
    if reason_param == "none":
        reason = ""
    elif reason_param in DowntimeReason.values:
        reason = reason_param
    else:
        reason_param, reason = "", None
    machine_id = int_param(request, "machine")
    rows = selectors.downtime_list(machine_id=machine_id, reason=reason)
    context = {
        "page_obj": Paginator(rows, PER_PAGE).get_page(request.GET.get("page")),
        "reason": reason_param,
        "reasons": DowntimeReason.choices,
        "machine_id": machine_id,
        "machines": Machine.objects.order_by("code"),
    }
    return render(request, "mes/downtime_list.html", context)


@mes_required("mes.change_downtime")
@require_http_methods(["GET", "POST"])
def downtime_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Give or correct the reason of a stop."""
    downtime = get_object_or_404(Downtime.objects.select_related("machine"), pk=pk)
    initial = {"reason": downtime.reason, "note": downtime.note}
    form = DowntimeReasonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            downtime_reason_correct(downtime=downtime, actor=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            form.add_error(None, error_text(exc))
        else:
            return redirect(request.POST.get("next") or reverse("mes:downtime-list"))
    context = {
        "form": form,
        "title": _("Stop of %(code)s") % {"code": downtime.machine.code},
        "downtime": downtime,
        "cancel_url": reverse("mes:downtime-list"),
        "object": downtime.pk,
        "crumbs": [(_("Downtime"), reverse("mes:downtime-list"))],
    }
    return render(request, "mes/form.html", context, status=400 if form.errors else 200)
