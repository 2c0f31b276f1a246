"""MES's demo of work-order execution: a machine on each work center the released orders run
on (when MES has none there yet), and the work orders of the demo's released orders, the first
with its material staged so that the terminal can start it."""

from erp_core.models import WorkCenter
from erp_core.production.models import ProductionOrder
from mes.models import Machine, WorkOrder
from mes.services.work_orders import TAKEN, work_order_create, work_order_stage


def _machine_for(center: WorkCenter) -> int:
    """A machine of ``center`` unless it has one; returns how many were made."""
    if Machine.objects.filter(work_center=center).exists():
        return 0
    code = f"{center.code}-01"[:16]
    number = 1
    while Machine.objects.filter(code=code).exists():
        number += 1
        code = f"{center.code}-{number:02d}"[:16]
    Machine.objects.create(work_center=center, code=code, name=center.name)
    return 1


def work_orders_step() -> dict[str, int]:
    """Work orders of the released production orders, made as the release event would."""
    released = list(
        ProductionOrder.objects.filter(status__in=TAKEN)
        .exclude(operations__isnull=True)
        .order_by("due_date", "pk")
        .distinct()
    )
    machines = 0
    for center in WorkCenter.objects.filter(
        pk__in={op.work_center_id for order in released for op in order.operations.all()}
    ).order_by("code"):
        machines += _machine_for(center)
    made = 0
    for order in released:
        if WorkOrder.objects.filter(production_order=order).exists():
            continue
        work_order = work_order_create(production_order_id=order.pk)
        if work_order is None:
            continue
        made += 1
        if made == 1 and not work_order.staged:
            work_order_stage(work_order=work_order, actor=None)
    return {"machines": machines, "work orders": made}
