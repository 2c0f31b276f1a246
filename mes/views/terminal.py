"""The operator terminal: pick the machine, see its queue, run the operation in front of it.

Touch-sized buttons and fields, tablet-wide; the material form takes a scanner's input (each
scan ends with Enter, which moves to the next field and sends the form from the last one).
Every action is a POST that calls a service and comes back to the machine's page with what
happened, or why it was refused (nothing written).
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from common.errors import DomainError
from erp_core.documents.views import error_text, staff_required
from mes import selectors_work as selectors
from mes.models import Machine, OperationReport
from mes.services import operations as ops
from mes.services.work_orders import work_order_stage

MES = "mes.access_mes"
RUN = "mes.run_workoperation"


def terminal_required(view: Callable) -> Callable:
    """Signed in with access to MES and the right to run operations; else 403."""
    return staff_required(RUN, modules=(MES,))(view)


@terminal_required
def terminal(request: HttpRequest) -> HttpResponse:
    """Pick the machine."""
    return render(
        request, "mes/work/terminal_machines.html", {"machines": selectors.terminal_machines()}
    )


def _machine(pk: int) -> Machine:
    machine = Machine.objects.select_related("work_center").filter(pk=pk, is_active=True).first()
    if machine is None:
        raise Http404
    return machine


@terminal_required
def terminal_machine(request: HttpRequest, machine: int) -> HttpResponse:
    """A machine's queue and the operation in front of it (or the one picked: ``?op=``)."""
    machine_obj = _machine(machine)
    queue = list(selectors.machine_queue(machine=machine_obj))
    picked = request.GET.get("op", "")
    current = next((op for op in queue if str(op.pk) == picked), None) or (
        queue[0] if queue else None
    )
    context = {
        "machine": machine_obj,
        "queue": queue,
        "current": current,
        "scrap_reasons": [c for c in OperationReport.ScrapReason.choices if c[0]],
        "can_override": request.user.has_perm(ops.OVERRIDE_PERMISSION),
    }
    if current is not None:
        work_order = current.work_order
        context["materials"] = list(
            work_order.production_order.materials.select_related("component", "unit").order_by(
                "line_no"
            )
        )
        context["consumed"] = list(
            current.consumptions.select_related("lot", "lot__item").order_by("pk")
        )
        context["reports"] = list(current.reports.select_related("output_lot").order_by("pk"))
        context["is_last"] = selectors.is_last_operation(current)
    return render(request, "mes/work/terminal.html", context)


ACTIONS = {
    "start": gettext_lazy("Operation %(sequence)s of %(order)s started."),
    "pause": gettext_lazy("Operation %(sequence)s of %(order)s paused."),
    "resume": gettext_lazy("Operation %(sequence)s of %(order)s resumed."),
    "finish": gettext_lazy("Operation %(sequence)s of %(order)s finished."),
    "report": gettext_lazy("The quantities were reported on %(order)s."),
    "consume": gettext_lazy("The lot was consumed on %(order)s."),
    "stage": gettext_lazy("The material of %(order)s is staged."),
}


@terminal_required
@require_POST
def terminal_action(request: HttpRequest, machine: int, operation: int, verb: str) -> HttpResponse:
    """Run one action of the terminal on an operation queued on the machine."""
    machine_obj = _machine(machine)
    found = selectors.operation_list().filter(pk=operation).first()
    if found is None or verb not in ACTIONS:
        raise Http404
    post = request.POST
    actor = request.user
    try:
        if verb == "start":
            ops.operation_start(
                operation=found,
                machine=machine_obj,
                actor=actor,
                override_reason=post.get("override_reason", ""),
            )
        elif verb == "pause":
            ops.operation_pause(operation=found, actor=actor)
        elif verb == "resume":
            ops.operation_resume(operation=found, actor=actor)
        elif verb == "finish":
            ops.operation_finish(operation=found, actor=actor)
        elif verb == "report":
            ops.operation_report(
                operation=found,
                quantity_good=post.get("quantity_good", "").strip() or "0",
                quantity_scrap=post.get("quantity_scrap", "").strip() or "0",
                scrap_reason=post.get("scrap_reason", ""),
                lot_number=post.get("lot_number", ""),
                actor=actor,
            )
        elif verb == "consume":
            ops.operation_consume(
                operation=found,
                item=post.get("item", ""),
                lot_number=post.get("lot_number", ""),
                quantity=post.get("quantity", "").strip(),
                actor=actor,
            )
        elif verb == "stage":
            work_order_stage(work_order=found.work_order, actor=actor)
    except (ValidationError, DomainError, PermissionDenied) as exc:
        messages.error(request, error_text(exc) or _("You may not do this."))
    else:
        messages.success(
            request, ACTIONS[verb] % {"sequence": found.sequence, "order": found.work_order.number}
        )
    url = reverse("mes:terminal-machine", args=[machine_obj.pk])
    return redirect(f"{url}?op={found.pk}")
