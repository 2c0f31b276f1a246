"""The planner's steps on planned orders: firm (later runs keep them), unfirm, release in bulk
— bought ones into one purchase requisition, made ones into production orders — and the
forecasts MRP reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict, NotFound
from common.numbers import parse_decimal
from erp_core.masterdata.models import Item, Warehouse
from erp_core.masterdata.quantities import quantity_rounded_up
from erp_core.models import User
from erp_core.planning.models import Forecast, PlannedOrder
from erp_core.production.services import production_order_create
from erp_core.purchasing.services import purchase_requisition_create

MAX_BULK = 500
MAX_FORECAST_DAYS = 366
#: How far from today a forecast may start: five years ahead, a year back (a typing slip
#: such as 9999-12-31 would otherwise plan a period no run ever reaches).
FORECAST_AHEAD_DAYS = 1830
FORECAST_BACK_DAYS = 366


def _locked(ids: Collection[int]) -> list[PlannedOrder]:
    """The planned orders ``ids``, locked in primary-key order; refused when one is unknown."""
    clean = sorted({int(pk) for pk in ids})
    if not clean:
        raise ValidationError({"ids": _("Choose at least one planned order.")})
    if len(clean) > MAX_BULK:
        raise ValidationError(
            {"ids": _("At most %(max)d planned orders at a time.") % {"max": MAX_BULK}}
        )
    orders = list(
        PlannedOrder.objects.select_for_update()
        .filter(pk__in=clean)
        .select_related("item")
        .order_by("pk")
    )
    if len(orders) != len(clean):
        missing = sorted(set(clean) - {o.pk for o in orders})
        raise NotFound(
            _("Planned orders %(ids)s do not exist.") % {"ids": ", ".join(map(str, missing))},
            code="planned_order_not_found",
        )
    return orders


def _refuse_released(orders: list[PlannedOrder]) -> None:
    """Refuse (409) a batch that holds an order released already, naming every such order."""
    released = [o.pk for o in orders if o.status == PlannedOrder.Status.RELEASED]
    if released:
        raise Conflict(
            _("Planned orders %(ids)s are released already.")
            % {"ids": ", ".join(map(str, released))},
            code="planned_order_released",
        )


@transaction.atomic
def planned_orders_firm(*, ids: Collection[int], actor: User | None) -> list[PlannedOrder]:
    """Firm planned orders: later runs keep them as supply instead of re-planning them.

    Refused (409) for an order already released.
    """
    orders = _locked(ids)
    _refuse_released(orders)
    now = timezone.now()
    for order in orders:
        if order.status == PlannedOrder.Status.PLANNED:
            order.status, order.firmed_at, order.firmed_by = PlannedOrder.Status.FIRM, now, actor
    PlannedOrder.objects.bulk_update(orders, ["status", "firmed_at", "firmed_by"])
    return orders


@transaction.atomic
def planned_orders_unfirm(*, ids: Collection[int], actor: User | None) -> list[PlannedOrder]:
    """Give firm orders back to MRP (the next run re-plans them). Refused (409) once released."""
    orders = _locked(ids)
    if any(o.status == PlannedOrder.Status.RELEASED for o in orders):
        raise Conflict(_("A released planned order cannot be unfirmed."), code="invalid_status")
    for order in orders:
        order.status, order.firmed_at, order.firmed_by = PlannedOrder.Status.PLANNED, None, None
    PlannedOrder.objects.bulk_update(orders, ["status", "firmed_at", "firmed_by"])
    return orders


@transaction.atomic
def planned_orders_release(
    *, ids: Collection[int], actor: User | None, warehouse: Warehouse | None = None
) -> list[PlannedOrder]:
    """Release planned (or firm) orders: the bought ones become the lines of one purchase
    requisition (needed by their due dates), each made one a planned production order.

    All or nothing: one order that cannot be released (already released, an item without a
    bill of materials…) refuses the whole batch and nothing is written.
    """
    orders = _locked(ids)
    _refuse_released(orders)
    if warehouse is None:
        warehouse = Warehouse.objects.filter(is_active=True).order_by("code").first()
    if warehouse is None or not warehouse.is_active:
        raise ValidationError({"warehouse": _("Choose an active warehouse.")})
    today = timezone.localdate()
    now = timezone.now()
    buys = [o for o in orders if o.kind == PlannedOrder.Kind.BUY]
    if buys:
        requisition = purchase_requisition_create(
            date=today,
            lines=[
                {
                    "item": o.item,
                    "quantity": quantity_rounded_up(o.item, o.quantity),
                    "needed_by": max(o.due_date, today),
                }
                for o in buys
            ],
            memo=_("From MRP"),
            actor=actor,
        )
        for order, line in zip(buys, requisition.lines.order_by("line_no"), strict=True):
            order.requisition_line = line
    for order in orders:
        if order.kind != PlannedOrder.Kind.MAKE:
            continue
        due = max(order.due_date, today)
        try:
            order.production_order = production_order_create(
                item=order.item,
                quantity=quantity_rounded_up(order.item, order.quantity),
                due_date=due,
                start_date=min(max(order.start_date, today), due),
                date=today,
                warehouse=warehouse,
                actor=actor,
            )
        except ValidationError as exc:
            raise ValidationError(
                {
                    "ids": _("Planned order %(id)s (%(item)s): %(reason)s")
                    % {"id": order.pk, "item": order.item.code, "reason": " ".join(exc.messages)}
                }
            ) from None
    for order in orders:
        order.status, order.released_at = PlannedOrder.Status.RELEASED, now
    PlannedOrder.objects.bulk_update(
        orders, ["status", "released_at", "requisition_line", "production_order"]
    )
    return orders


# --- Forecasts -------------------------------------------------------------------------------


def _forecast_values(
    *, item: Item, period_start: dt.date, period_end: dt.date, quantity
) -> tuple[Decimal, dict]:
    errors: dict[str, str] = {}
    if item.is_service:
        errors["item"] = _("A service is not planned.")
    if period_start:
        offset = (period_start - timezone.localdate()).days
        if not -FORECAST_BACK_DAYS <= offset <= FORECAST_AHEAD_DAYS:
            errors["period_start"] = _(
                "A forecast starts at most %(back)s days before today and %(ahead)s days after."
            ) % {"back": FORECAST_BACK_DAYS, "ahead": FORECAST_AHEAD_DAYS}
    if period_start and period_end:
        if period_end < period_start:
            errors["period_end"] = _("The period ends before it starts.")
        elif (period_end - period_start).days >= MAX_FORECAST_DAYS:
            errors["period_end"] = _("A forecast period is at most a year.")
    try:
        value = parse_decimal(quantity, bounds=Forecast._meta.get_field("quantity"))
    except ValidationError as exc:
        errors["quantity"] = " ".join(exc.messages)
        value = Decimal(0)
    return value, errors


@transaction.atomic
def forecast_create(
    *, item: Item, period_start: dt.date, period_end: dt.date, quantity, memo: str = ""
) -> Forecast:
    """Save a forecast of an item over a period. Refused: a service, a period ending before it
    starts or over a year long, a quantity outside the limits, a second one for the period."""
    value, errors = _forecast_values(
        item=item, period_start=period_start, period_end=period_end, quantity=quantity
    )
    if Forecast.objects.filter(item=item, period_start=period_start).exists():
        errors["period_start"] = _("This item already has a forecast starting on that day.")
    if errors:
        raise ValidationError(errors)
    return Forecast.objects.create(
        item=item, period_start=period_start, period_end=period_end, quantity=value,
        memo=(memo or "").strip()[:255],
    )  # fmt: skip


@transaction.atomic
def forecast_update(*, forecast: Forecast, **fields) -> Forecast:
    """Change a forecast's period, quantity or memo (checked as on creation)."""
    unknown = set(fields) - {"item", "period_start", "period_end", "quantity", "memo"}
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    forecast = Forecast.objects.select_for_update().get(pk=forecast.pk)
    for name, value in fields.items():
        setattr(forecast, name, value)
    value, errors = _forecast_values(
        item=forecast.item, period_start=forecast.period_start, period_end=forecast.period_end,
        quantity=forecast.quantity,
    )  # fmt: skip
    clash = Forecast.objects.filter(item=forecast.item, period_start=forecast.period_start).exclude(
        pk=forecast.pk
    )
    if clash.exists():
        errors["period_start"] = _("This item already has a forecast starting on that day.")
    if errors:
        raise ValidationError(errors)
    forecast.quantity = value
    forecast.memo = (forecast.memo or "").strip()[:255]
    forecast.save()
    return forecast


@transaction.atomic
def forecast_delete(*, forecast: Forecast) -> None:
    """Delete a forecast (the next run no longer plans for it)."""
    forecast.delete()
