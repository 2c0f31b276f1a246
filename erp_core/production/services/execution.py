"""The shop floor's facts on a released order: consumption, output, time, completion, and
the entry points of the MES events that report them.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import NotFound
from common.limits import HOURS_MAX
from common.numbers import cents
from erp_core.documents.amounts import plain
from erp_core.documents.services import (
    document_lock,
    mark_changed,
    require_revision,
    require_status,
)
from erp_core.ledger.memos import Memo
from erp_core.ledger.models import PostingKind
from erp_core.ledger.selectors import posting_accounts
from erp_core.ledger.services import LineInput, journal_entry_post_lines
from erp_core.models import Item, User, Warehouse
from erp_core.production.models import (
    ProductionOrder,
    ProductionOrderMaterial,
    ProductionOrderOperation,
    ProductionTimeBooking,
)
from erp_core.production.selectors import SOURCE_TYPE, TIME_SOURCE_TYPE
from erp_core.production.services._common import (
    JOURNAL,
    ZERO,
    Status,
    _category_code,
    _number,
    override_note,
    override_reason_clean,
    refuse_if_shop_floor_reports,
    report_limits_check,
)
from erp_core.production.services.closing import order_wip
from erp_core.stock.models import StockMove
from erp_core.stock.services import MoveLine, Source, stock_moves_book, stock_output

#: Statuses in which consumption, output and time are still accepted (a done order only with a
#: supervisor's override: ``report_limits_check``).
OPEN_FOR_REPORTS = (Status.RELEASED, Status.IN_PROGRESS, Status.DONE)


# --- Shop-floor facts: consumption, output, time ---------------------------------------------


def calendar_hours_check(
    order: ProductionOrder,
    operation: ProductionOrderOperation,
    *,
    machine_hours: Decimal,
    labour_hours: Decimal,
) -> None:
    """Refuse hours that would take the operation past its work center's calendar: machines ×
    hours per shift × shifts per day, times the days since the order's release (today
    included, so at least one day)."""
    center = operation.work_center
    per_day = center.machines * center.hours_per_shift * center.shifts_per_day
    today = timezone.localdate()
    released = timezone.localdate(order.approved_at) if order.approved_at else today
    days = max(1, (today - released).days + 1)
    cap = per_day * days
    for field, booked, new in (
        ("machine_hours", operation.actual_machine_hours, machine_hours),
        ("labour_hours", operation.actual_labour_hours, labour_hours),
    ):
        if new > 0 and booked + new > cap:
            raise ValidationError(
                {
                    field: _(
                        "%(total)s hours would be booked on operation %(sequence)s: its work "
                        "center has %(cap)s hours since the release (%(per_day)s a day for "
                        "%(days)s days)."
                    )
                    % {
                        "total": plain(booked + new),
                        "sequence": operation.sequence,
                        "cap": plain(cap),
                        "per_day": plain(per_day),
                        "days": days,
                    }
                },
                code="over_calendar",
            )


#: The unit cost's places, as the stock ledger keeps them.
UNIT_COST_PLACES = Decimal("0.000001")


def output_unit_cost(order: ProductionOrder, quantity: Decimal) -> Decimal:
    """The unit cost ``quantity`` of good output is received at.

    A standard-cost item: its standard. An item at an actual cost (moving average, FIFO): its
    share of the order's WIP so far (consumed, time, overhead allocated, less what earlier
    output took) — all of it when this output reaches the order quantity, else in proportion
    of the quantity still to make; while nothing is in WIP yet, the planned unit cost. What is
    booked after the last output goes to cost of sales at the close.
    """
    item = order.item
    if item.costing_method == Item.CostingMethod.STANDARD:
        return item.standard_cost
    wip = order_wip(order)
    if wip <= 0:
        return order.planned_unit_cost
    remaining = order.quantity - order.quantity_produced
    share = wip if quantity >= remaining else wip * quantity / remaining
    return (share / quantity).quantize(UNIT_COST_PLACES)


def _start(order: ProductionOrder) -> list[str]:
    """The first booking starts the order; returns the fields changed."""
    if order.status == Status.RELEASED:
        order.status = Status.IN_PROGRESS
        return ["status"]
    return []


def _source(order: ProductionOrder, event_id) -> Source:
    return Source(
        type=SOURCE_TYPE,
        id=str(order.pk),
        event_id=str(event_id) if event_id not in (None, "") else None,
    )


def _consume(
    order: ProductionOrder,
    lines: list[tuple[Item, Decimal, Warehouse | None]],
    *,
    source_event_id: str | None,
    moved_at: dt.datetime | None,
    actor: User | None,
    override_reason: str = "",
) -> list[ProductionOrderMaterial]:
    """Issue (component, quantity, warehouse) lines into the locked order's WIP in one batch."""
    require_status(order, *OPEN_FOR_REPORTS, action=_("consumed against"))
    report_limits_check(order, override_reason=override_reason)
    override_note(order, actor=actor, reason=override_reason)
    for item, _quantity, _warehouse in lines:
        if item.pk == order.item_id:
            raise ValidationError({"item": _("An order does not consume the item it makes.")})
    source = _source(order, source_event_id)
    moves = stock_moves_book(
        lines=[
            MoveLine(
                item=item,
                warehouse=warehouse or order.component_warehouse,
                quantity=-quantity,
                reason=StockMove.Reason.PRODUCTION_CONSUMPTION,
                moved_at=moved_at,
                source=source,
            )
            for item, quantity, warehouse in lines
        ],
        actor=actor,
    )
    rows = []
    for (item, quantity, _warehouse), move in zip(lines, moves, strict=True):
        # The order's lock serialises every change of its rows.
        row = order.materials.filter(component=item).first()
        if row is None:
            last = order.materials.aggregate(last=Max("line_no"))["last"] or 0
            row = ProductionOrderMaterial.objects.create(
                order=order,
                line_no=last + 1,
                component=item,
                unit=item.unit,
                planned_unit_cost=item.standard_cost,
                is_planned=False,
            )
        row.quantity_consumed += quantity
        row.consumed_value += -move.value
        row.save(update_fields=["quantity_consumed", "consumed_value"])
        rows.append(row)
    mark_changed(order, _start(order))
    return rows


@transaction.atomic
def production_order_consume(
    *,
    order: ProductionOrder,
    item: Item,
    quantity: Decimal,
    warehouse: Warehouse | None = None,
    source_event_id: str | None = None,
    moved_at: dt.datetime | None = None,
    actor: User | None = None,
    override_reason: str = "",
) -> ProductionOrderMaterial:
    """Issue ``quantity`` of a component into the order's WIP and add its value to the order.

    The stock move (from ``warehouse``, default the component warehouse) is valued by the
    component's costing method and posts Dr WIP (material) / Cr inventory. A component outside
    the snapshot gets a row of its own, marked unplanned. Starts a released order. A done
    order takes it only with a supervisor's ``override_reason`` (``report_limits_check``).
    """
    order = document_lock(order)
    require_status(order, *OPEN_FOR_REPORTS, action=_("consumed against"))
    if not source_event_id:
        refuse_if_shop_floor_reports(order)
    override_reason = override_reason_clean(actor=actor, override_reason=override_reason)
    quantity = _number(quantity, "quantity", item=item)
    (row,) = _consume(
        order,
        [(item, quantity, warehouse)],
        source_event_id=source_event_id,
        override_reason=override_reason,
        moved_at=moved_at,
        actor=actor,
    )
    return row


@transaction.atomic
def production_order_report_output(
    *,
    order: ProductionOrder,
    quantity: Decimal,
    scrap_quantity: Decimal = ZERO,
    source_event_id: str | None = None,
    moved_at: dt.datetime | None = None,
    actor: User | None = None,
    override_reason: str = "",
) -> ProductionOrder:
    """Receive good output into the order's warehouse out of WIP; count the scrap.

    Good output is valued at the item's standard cost when it is costed at standard, else at
    the order's actual cost so far (``output_unit_cost``); the stock move posts Dr inventory /
    Cr WIP. Starts a
    released order; reaching the order quantity makes it done. Output past the quantity and
    its tolerance, or any report on a done order, needs a supervisor's ``override_reason``.
    """
    order = document_lock(order)
    require_status(order, *OPEN_FOR_REPORTS, action=_("reported on"))
    if not source_event_id:
        refuse_if_shop_floor_reports(order)
    override_reason = override_reason_clean(actor=actor, override_reason=override_reason)
    quantity = _number(quantity, "quantity", allow_zero=True, item=order.item)
    scrap_quantity = _number(scrap_quantity, "scrap_quantity", allow_zero=True, item=order.item)
    if quantity == 0 and scrap_quantity == 0:
        raise ValidationError({"quantity": _("Report a good or a scrap quantity.")})
    report_limits_check(order, override_reason=override_reason, output=quantity)
    override_note(order, actor=actor, reason=override_reason)
    changed = ["quantity_produced", "quantity_scrapped"]
    if quantity > 0:
        unit_cost = output_unit_cost(order, quantity)
        move = stock_output(
            item=order.item,
            warehouse=order.warehouse,
            quantity=quantity,
            unit_cost=unit_cost,
            moved_at=moved_at,
            source=_source(order, source_event_id),
            actor=actor,
        )
        order.output_value += move.receipt_value
        changed.append("output_value")
    order.quantity_produced += quantity
    order.quantity_scrapped += scrap_quantity
    changed += _start(order)
    if order.status == Status.IN_PROGRESS and order.quantity_produced >= order.quantity:
        order.status = Status.DONE
        changed.append("status")
    mark_changed(order, sorted(set(changed)))
    return order


@transaction.atomic
def production_order_book_time(
    *,
    order: ProductionOrder,
    operation: ProductionOrderOperation,
    machine_hours: Decimal = ZERO,
    labour_hours: Decimal = ZERO,
    source_event_id: str | None = None,
    actor: User | None = None,
    override_reason: str = "",
    measured: bool = False,
) -> ProductionTimeBooking:
    """Book machine and labour hours on an operation and post them to WIP (journal PRD).

    Dr WIP machine / Cr machine time applied for hours × machine rate; Dr WIP labour / Cr wages
    for hours × labour rate (rates of the operation, copied at release). The same
    ``source_event_id`` booked twice returns the first booking. Starts a released order. The
    operation's hours stay within its work center's calendar since release
    (``calendar_hours_check``); past it, or on a done order, only a supervisor's
    ``override_reason`` books them. ``measured`` hours (the shop floor's clock: MES's
    ``mes.time_booked``, which always carries its event id) were not typed: they are booked on
    a done order and past the calendar too, since the time was spent.
    """
    order = document_lock(order)
    require_status(order, *OPEN_FOR_REPORTS, action=_("booked against"))
    if not source_event_id:
        refuse_if_shop_floor_reports(order)
    measured = measured and bool(source_event_id)
    override_reason = override_reason_clean(actor=actor, override_reason=override_reason)
    if operation.order_id != order.pk:
        raise ValidationError({"operation": _("The operation is not one of this order.")})
    machine_hours = _number(machine_hours, "machine_hours", allow_zero=True, maximum=HOURS_MAX)
    labour_hours = _number(labour_hours, "labour_hours", allow_zero=True, maximum=HOURS_MAX)
    if machine_hours == 0 and labour_hours == 0:
        raise ValidationError({"machine_hours": _("Book machine or labour hours.")})
    if source_event_id:
        earlier = order.time_bookings.filter(source_event_id=source_event_id).first()
        if earlier is not None:
            return earlier
    operation = ProductionOrderOperation.objects.select_for_update().get(pk=operation.pk)
    if not measured:
        report_limits_check(order, override_reason=override_reason)
    if not override_reason and not measured:
        calendar_hours_check(
            order, operation, machine_hours=machine_hours, labour_hours=labour_hours
        )
    override_note(order, actor=actor, reason=override_reason)
    machine_amount = cents(machine_hours * operation.machine_rate)
    labour_amount = cents(labour_hours * operation.labour_rate)
    booking = ProductionTimeBooking.objects.create(
        order=order,
        operation=operation,
        machine_hours=machine_hours,
        labour_hours=labour_hours,
        machine_amount=machine_amount,
        labour_amount=labour_amount,
        source_event_id=source_event_id or None,
        booked_by=actor,
        override_reason=override_reason,
    )
    category = _category_code(order.item)
    memo = Memo("production_time", {"order": order.number, "sequence": str(operation.sequence)})
    lines = []
    for kind, amount in (
        (PostingKind.PRODUCTION_MACHINE, machine_amount),
        (PostingKind.PRODUCTION_LABOUR, labour_amount),
    ):
        if amount > 0:
            accounts = posting_accounts(kind=kind, category_code=category)
            lines += [
                LineInput(account=accounts.debit, debit=amount, memo=memo),
                LineInput(account=accounts.credit, credit=amount, memo=memo),
            ]
    if lines:
        booking.journal_entry = journal_entry_post_lines(
            journal_code=JOURNAL,
            date=timezone.localdate(),
            memo=memo,
            lines=lines,
            source_type=TIME_SOURCE_TYPE,
            source_id=booking.pk,
            source_event_id=source_event_id,
            actor=actor,
        )
        booking.save(update_fields=["journal_entry"])
    operation.actual_machine_hours += machine_hours
    operation.actual_labour_hours += labour_hours
    operation.actual_machine_cost += machine_amount
    operation.actual_labour_cost += labour_amount
    operation.save(
        update_fields=[
            "actual_machine_hours",
            "actual_labour_hours",
            "actual_machine_cost",
            "actual_labour_cost",
        ]
    )
    mark_changed(order, _start(order))
    return booking


@transaction.atomic
def production_order_complete(
    *, order: ProductionOrder, actor: User | None, expected_revision: int | None = None
) -> ProductionOrder:
    """Declare production finished (done), whatever quantity was reported."""
    order = document_lock(order)
    require_status(order, Status.RELEASED, Status.IN_PROGRESS, action=_("completed"))
    require_revision(order, expected_revision)
    order.status = Status.DONE
    mark_changed(order, ["status"])
    return order


# --- From the shop floor's events ------------------------------------------------------------


def _order_for_event(production_order_id) -> ProductionOrder:
    order = ProductionOrder.objects.filter(pk=production_order_id).first()
    if order is None:
        raise NotFound(
            _("No production order %(pk)s.") % {"pk": production_order_id},
            code="production_order_not_found",
        )
    return order


def _get(model, pk, field: str):
    instance = model.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if instance is None:
        raise ValidationError({field: _("No such record: %(pk)s.") % {"pk": pk}})
    return instance


@transaction.atomic
def production_order_materials_consumed(
    *, production_order_id: int, lines: list[dict], source_event_id: str | None = None
) -> list[ProductionOrderMaterial]:
    """Book the lines of ``mes.materials_consumed`` (``item_id``, ``quantity``,
    ``warehouse_id?``) on the order, all or none."""
    order = _order_for_event(production_order_id)
    if not isinstance(lines, list) or not lines:
        raise ValidationError({"lines": _("The event has no lines.")})
    consumed = []
    for line in lines:
        if not isinstance(line, dict):
            raise ValidationError({"lines": _("Each line is an object.")})
        warehouse_id = line.get("warehouse_id")
        consumed.append(
            (
                _get(Item, line.get("item_id"), "item_id"),
                _number(line.get("quantity"), "quantity"),
                _get(Warehouse, warehouse_id, "warehouse_id") if warehouse_id is not None else None,
            )
        )
    # The event's lines are one batch of stock moves: one entry for the order, not one a line.
    return _consume(
        document_lock(order),
        consumed,
        source_event_id=source_event_id,
        moved_at=None,
        actor=None,
    )


@transaction.atomic
def production_order_output_reported(
    *,
    production_order_id: int,
    item_id: int,
    quantity: str,
    scrap_quantity: str,
    source_event_id: str | None = None,
) -> ProductionOrder:
    """Book ``mes.output_reported`` on the order (the item must be the order's)."""
    order = _order_for_event(production_order_id)
    if item_id != order.item_id:
        raise ValidationError({"item_id": _("The output is not the item of the order.")})
    return production_order_report_output(
        order=order,
        quantity=_number(quantity, "quantity", allow_zero=True),
        scrap_quantity=_number(scrap_quantity, "scrap_quantity", allow_zero=True),
        source_event_id=source_event_id,
    )


@transaction.atomic
def production_order_time_booked(
    *,
    production_order_id: int,
    production_order_operation_id: int,
    machine_hours: str,
    labour_hours: str,
    source_event_id: str,
) -> ProductionTimeBooking | None:
    """Book ``mes.time_booked`` (hours the shop floor measured) on the order's operation.

    Hours of zero on both (a run of a few seconds rounded away) book nothing.
    """
    order = _order_for_event(production_order_id)
    operation = _get(ProductionOrderOperation, production_order_operation_id, "operation")
    machine = _number(machine_hours, "machine_hours", allow_zero=True, maximum=HOURS_MAX)
    labour = _number(labour_hours, "labour_hours", allow_zero=True, maximum=HOURS_MAX)
    if machine == 0 and labour == 0:
        return None
    return production_order_book_time(
        order=order,
        operation=operation,
        machine_hours=machine,
        labour_hours=labour,
        source_event_id=source_event_id,
        measured=True,
    )
