"""MES pages of machines: the list, a machine's page (state, cycle times, stops, alarms, OEE by
shift), and creating and changing them through the services."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.errors import DomainError
from erp_core.documents.views import error_text, staff_required
from erp_core.models import WorkCenter
from mes import selectors
from mes.forms import CycleTimeForm, MachineForm
from mes.models import Machine, MachineCycleTime, MachineEvent
from mes.services.machines import cycle_time_delete, cycle_time_set, machine_save

MES = "mes.access_mes"
PER_PAGE = 50
RECENT = 20


def mes_required(*perms: str):
    """Signed in with access to MES (and ``perms``); else 403."""
    return staff_required(*perms, modules=(MES,))


def int_param(request: HttpRequest, name: str) -> int | None:
    """A whole-number query parameter, or None."""
    value = request.GET.get(name, "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


@mes_required("mes.view_machine")
def machine_list(request: HttpRequest) -> HttpResponse:
    """Machines by code, searched by code or name, by work center and state."""
    search = request.GET.get("q", "").strip()[:100]
    state = request.GET.get("state", "")
    state = state if state in Machine.State.values else ""
    work_center_id = int_param(request, "work_center")
    rows = selectors.machine_list(search=search, work_center_id=work_center_id, state=state)
    context = {
        "page_obj": Paginator(rows, PER_PAGE).get_page(request.GET.get("page")),
        "q": search,
        "state": state,
        "states": Machine.State.choices,
        "work_center_id": work_center_id,
        "work_centers": WorkCenter.objects.filter(mes_machines__isnull=False).distinct(),
    }
    return render(request, "mes/machine_list.html", context)


@mes_required("mes.view_machine")
def machine_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A machine: its state and since when, cycle times, recent stops and alarms, and its OEE
    by shift over the last week."""
    machine = selectors.machine_get(pk=pk)
    if machine is None:
        raise Http404
    today = timezone.localdate()
    oee = selectors.oee_rows(
        machines=[machine], first=today - timedelta(days=6), last=today, by="shift"
    )
    context = {
        "machine": machine,
        "cycle_times": selectors.cycle_time_list(machine_id=machine.pk).order_by("item__code"),
        "downtimes": selectors.downtime_list(machine_id=machine.pk)[:RECENT],
        "alarms": selectors.event_list(machine_id=machine.pk, kind=MachineEvent.Kind.ALARM)[
            :RECENT
        ],
        "devices": machine.devices.filter(is_active=True).order_by("name"),
        "oee_rows": list(reversed(oee)),
        "cycle_form": CycleTimeForm(),
    }
    return render(request, "mes/machine_detail.html", context)


def _save(request: HttpRequest, form: MachineForm, *, title: str, cancel: str) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            machine = machine_save(
                data=form.cleaned_data, instance=form.instance if form.instance.pk else None
            )
        except (ValidationError, DomainError) as exc:
            form.add_error(None, error_text(exc))
        else:
            return redirect("mes:machine-detail", pk=machine.pk)
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel,
        "object": form.instance.pk,
        "crumbs": [(_("Machines"), reverse("mes:machine-list"))],
    }
    return render(request, "mes/form.html", context, status=400 if form.errors else 200)


@mes_required("mes.add_machine")
@require_http_methods(["GET", "POST"])
def machine_create(request: HttpRequest) -> HttpResponse:
    """A new machine of a work center (announced to planning)."""
    form = MachineForm(request.POST or None)
    return _save(request, form, title=_("New machine"), cancel=reverse("mes:machine-list"))


@mes_required("mes.change_machine")
@require_http_methods(["GET", "POST"])
def machine_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a machine's code, name, work center, default cycle time or active flag."""
    machine = get_object_or_404(Machine, pk=pk)
    form = MachineForm(request.POST or None, instance=machine)
    return _save(
        request,
        form,
        title=_("Machine %(code)s") % {"code": machine.code},
        cancel=reverse("mes:machine-detail", args=[machine.pk]),
    )


@mes_required("mes.add_machinecycletime", "mes.change_machinecycletime")
@require_POST
def cycle_time_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Set an item's ideal cycle time on the machine; a refusal is shown on its page."""
    machine = get_object_or_404(Machine, pk=pk)
    form = CycleTimeForm(request.POST)
    if form.is_valid():
        try:
            cycle_time_set(
                machine=machine,
                item=form.cleaned_data["item"],
                seconds_per_unit=form.cleaned_data["seconds_per_unit"],
            )
        except (ValidationError, DomainError) as exc:
            form.add_error(None, error_text(exc))
        else:
            return redirect("mes:machine-detail", pk=machine.pk)
    context = {
        "machine": machine,
        "cycle_times": selectors.cycle_time_list(machine_id=machine.pk).order_by("item__code"),
        "downtimes": selectors.downtime_list(machine_id=machine.pk)[:RECENT],
        "alarms": [],
        "devices": [],
        "oee_rows": [],
        "cycle_form": form,
    }
    return render(request, "mes/machine_detail.html", context, status=400)


@mes_required("mes.delete_machinecycletime")
@require_POST
def cycle_time_remove(request: HttpRequest, pk: int, cycle_pk: int) -> HttpResponse:
    """Remove an item's cycle time from the machine."""
    row = get_object_or_404(MachineCycleTime, pk=cycle_pk, machine_id=pk)
    cycle_time_delete(cycle_time=row)
    return redirect("mes:machine-detail", pk=pk)
