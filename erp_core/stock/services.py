"""Stock ledger services: receipts, issues, transfers, adjustments, consumption and output.

Each call locks the item × warehouse balance (in primary-key order when it touches two),
values the move with ``erp_core.valuation``, writes the ledger row, updates the balance and
posts the journal entry, all in one transaction. A move dated before the latest booked move of
its item × warehouse re-values the later moves: each one whose value changes gets a revaluation
row and a correcting journal entry; nothing already booked is edited.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from erp_core.models import Item, Warehouse
from erp_core.stock import posting
from erp_core.stock.models import StockBalance, StockMove
from erp_core.valuation import (
    CostingMethod,
    Layer,
    Move,
    NegativeStockError,
    State,
    ValuedMove,
    revaluation,
    value_moves,
)
from erp_core.valuation.engine import stock_effect

ZERO = Decimal("0")

Reason = StockMove.Reason
ISSUE_REASONS = (Reason.ISSUE, Reason.SHIPMENT, Reason.PRODUCTION_CONSUMPTION, Reason.ADJUSTMENT)
RECEIPT_REASONS = (Reason.RECEIPT, Reason.PRODUCTION_OUTPUT, Reason.ADJUSTMENT)


@dataclass(frozen=True)
class Source:
    """The document or event a move comes from, kept on the ledger row and its entry."""

    type: str = ""
    id: str = ""
    event_id: str | None = None


def _state(balance: StockBalance) -> State:
    return State(
        quantity=balance.quantity,
        value=balance.value,
        layers=tuple(Layer(Decimal(q), Decimal(v)) for q, v in balance.layers),
        last_unit_cost=balance.last_unit_cost,
    )


def _store_state(balance: StockBalance, state: State) -> None:
    balance.quantity = state.quantity
    balance.value = state.value
    balance.layers = [[str(layer.quantity), str(layer.value)] for layer in state.layers]
    balance.last_unit_cost = state.last_unit_cost
    balance.save(update_fields=["quantity", "value", "layers", "last_unit_cost", "updated_at"])


def _locked_balances(item: Item, warehouses: list[Warehouse]) -> dict[int, StockBalance]:
    """Create the missing balances, then lock them in primary-key order (no deadlocks)."""
    for warehouse in warehouses:
        StockBalance.objects.get_or_create(item=item, warehouse=warehouse)
    locked = (
        StockBalance.objects.select_for_update()
        .filter(item=item, warehouse__in=warehouses)
        .order_by("pk")
    )
    return {balance.warehouse_id: balance for balance in locked}


def _check_quantity(quantity: Decimal) -> None:
    if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity <= 0:
        raise ValidationError({"quantity": _("The quantity must be a positive number.")})


def _check_item(item: Item) -> None:
    if item.item_type == Item.ItemType.SERVICE:
        raise ValidationError({"item": _("A service item has no stock.")})
    if not item.is_active:
        raise ValidationError({"item": _("The item is inactive.")})


def _method(item: Item) -> CostingMethod:
    return CostingMethod(item.costing_method)


def _row(item, warehouse, *, reason, moved_at, valued: ValuedMove, source: Source) -> StockMove:
    value, variance = stock_effect(valued)
    return StockMove(
        item=item,
        warehouse=warehouse,
        moved_at=moved_at,
        reason=reason,
        quantity=valued.quantity,
        unit_cost=valued.unit_cost,
        value=value,
        receipt_value=valued.value + valued.variance if valued.quantity > 0 else None,
        variance=variance,
        source_type=source.type,
        source_id=source.id,
        source_event_id=source.event_id,
    )


def _book(
    *,
    item: Item,
    warehouse: Warehouse,
    balance: StockBalance,
    quantity: Decimal,
    reason: str,
    moved_at: dt.datetime,
    source: Source,
    unit_cost: Decimal | None = None,
    value: Decimal | None = None,
    actor=None,
) -> StockMove:
    """Value one move against the locked balance, write it, post it; re-value later moves."""
    later = StockMove.objects.filter(item=item, warehouse=warehouse, moved_at__gt=moved_at).exists()
    move = Move(id=0, quantity=quantity, unit_cost=unit_cost, value=value)
    options = {
        "method": _method(item),
        "standard_cost": item.standard_cost,
        "allow_negative": warehouse.allow_negative_stock,
    }
    try:
        if not later:
            (valued,) = value_moves(moves=[move], opening=_state(balance), **options)
            row = _row(item, warehouse, reason=reason, moved_at=moved_at, valued=valued,
                       source=source)  # fmt: skip
            row.save()
            _store_state(balance, valued.state)
            posting.post_move(row, actor=actor)
            return row
        return _book_backdated(
            item=item, warehouse=warehouse, balance=balance, move=move, reason=reason,
            moved_at=moved_at, source=source, options=options, actor=actor,
        )  # fmt: skip
    except NegativeStockError as exc:
        raise ValidationError({"quantity": str(exc)}) from exc


def _book_backdated(
    *, item, warehouse, balance, move: Move, reason, moved_at, source, options, actor
) -> StockMove:
    """Insert a move into the past: replay the history, correct every later move that changed."""
    history = list(
        StockMove.objects.filter(item=item, warehouse=warehouse)
        .exclude(reason=Reason.REVALUATION)
        .order_by("moved_at", "pk")
        .values("pk", "moved_at", "quantity", "receipt_value", "reason")
    )
    at = next((n for n, row in enumerate(history) if row["moved_at"] > moved_at), len(history))
    as_moves = [_as_engine_move(row) for row in history]
    before = value_moves(moves=as_moves[:at], **options)
    opening = before[-1].state if before else State()
    booked_later = value_moves(moves=as_moves[at:], opening=opening, **options)
    rerun = value_moves(moves=[move, *as_moves[at:]], opening=opening, **options)
    new_move, later_rerun = rerun[0], rerun[1:]
    row = _row(item, warehouse, reason=reason, moved_at=moved_at, valued=new_move, source=source)
    row.save()
    posting.post_move(row, actor=actor)
    # Replaying the history without the new move gives what each later move is worth as booked
    # now (its value plus the corrections earlier backdated moves gave it).
    originals = {row["pk"]: row for row in history[at:]}
    fixes = []
    for correction in revaluation(booked=booked_later, revalued=later_rerun):
        original = originals[correction.move_id]
        fixes.append(
            StockMove(
                item=item,
                warehouse=warehouse,
                moved_at=original["moved_at"],
                reason=Reason.REVALUATION,
                quantity=ZERO,
                unit_cost=ZERO,
                value=correction.delta,
                variance=correction.new_variance - correction.old_variance,
                corrects_id=correction.move_id,
                source_type="stock.move",
                source_id=str(row.pk),
                source_event_id=source.event_id,
            )
        )
    # Revaluation rows are few relative to the history only when costs were close; they are
    # written in bulk and posted as one correcting entry per corrected posting kind.
    StockMove.objects.bulk_create(fixes, batch_size=2000)
    posting.post_revaluations(fixes, originals=originals, backdated=row, actor=actor)
    _store_state(balance, later_rerun[-1].state if later_rerun else new_move.state)
    return row


def _as_engine_move(row: dict) -> Move:
    return Move(id=row["pk"], quantity=row["quantity"], value=row["receipt_value"])


def _prepare(
    *, item: Item, warehouses: list[Warehouse], quantity: Decimal, moved_at
) -> dt.datetime:
    """Validate what every move needs; return the booking time (now when not given)."""
    _check_quantity(quantity)
    _check_item(item)
    for warehouse in warehouses:
        if not warehouse.is_active:
            raise ValidationError(
                {"warehouse": _("The warehouse %(code)s is inactive.") % {"code": warehouse.code}}
            )
    moved_at = moved_at or timezone.now()
    if timezone.is_naive(moved_at):
        raise ValidationError({"moved_at": _("The time of a move needs a time zone.")})
    if moved_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"moved_at": _("A move cannot be booked in the future.")})
    return moved_at


def _check_cost(unit_cost: Decimal | None) -> None:
    if not isinstance(unit_cost, Decimal) or not unit_cost.is_finite() or unit_cost < 0:
        raise ValidationError({"unit_cost": _("The unit cost must be zero or more.")})


@transaction.atomic
def stock_receipt(
    *,
    item: Item,
    warehouse: Warehouse,
    quantity: Decimal,
    unit_cost: Decimal,
    moved_at: dt.datetime | None = None,
    reason: str = Reason.RECEIPT,
    source: Source = Source(),
    actor=None,
) -> StockMove:
    """Book goods coming in at a unit cost (a purchase receipt, production output, a found lot)."""
    if reason not in RECEIPT_REASONS:
        raise ValidationError({"reason": _("%(reason)s is not a receipt.") % {"reason": reason}})
    moved_at = _prepare(item=item, warehouses=[warehouse], quantity=quantity, moved_at=moved_at)
    _check_cost(unit_cost)
    balance = _locked_balances(item, [warehouse])[warehouse.pk]
    return _book(
        item=item, warehouse=warehouse, balance=balance, quantity=quantity, unit_cost=unit_cost,
        reason=reason, moved_at=moved_at, source=source, actor=actor,
    )  # fmt: skip


@transaction.atomic
def stock_issue(
    *,
    item: Item,
    warehouse: Warehouse,
    quantity: Decimal,
    moved_at: dt.datetime | None = None,
    reason: str = Reason.ISSUE,
    source: Source = Source(),
    actor=None,
) -> StockMove:
    """Book goods going out (an issue, a shipment, consumption), valued by the costing method."""
    if reason not in ISSUE_REASONS:
        raise ValidationError({"reason": _("%(reason)s is not an issue.") % {"reason": reason}})
    moved_at = _prepare(item=item, warehouses=[warehouse], quantity=quantity, moved_at=moved_at)
    balance = _locked_balances(item, [warehouse])[warehouse.pk]
    return _book(
        item=item, warehouse=warehouse, balance=balance, quantity=-quantity, reason=reason,
        moved_at=moved_at, source=source, actor=actor,
    )  # fmt: skip


@transaction.atomic
def stock_consume(**kwargs) -> StockMove:
    """Production consumption: an issue into work in progress."""
    return stock_issue(reason=Reason.PRODUCTION_CONSUMPTION, **kwargs)


@transaction.atomic
def stock_output(**kwargs) -> StockMove:
    """Production output: a receipt out of work in progress at its cost."""
    return stock_receipt(reason=Reason.PRODUCTION_OUTPUT, **kwargs)


@transaction.atomic
def stock_adjust(
    *,
    item: Item,
    warehouse: Warehouse,
    quantity: Decimal,
    unit_cost: Decimal | None = None,
    moved_at: dt.datetime | None = None,
    source: Source = Source(),
    actor=None,
) -> StockMove:
    """Correct the quantity on hand: a gain (+) at ``unit_cost`` or the current cost, a loss (−)."""
    if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity == 0:
        raise ValidationError({"quantity": _("An adjustment needs a quantity other than zero.")})
    moved_at = _prepare(
        item=item, warehouses=[warehouse], quantity=abs(quantity), moved_at=moved_at
    )
    balance = _locked_balances(item, [warehouse])[warehouse.pk]
    if quantity > 0:
        if unit_cost is None:
            unit_cost = _current_cost(item, balance)
        _check_cost(unit_cost)
    return _book(
        item=item, warehouse=warehouse, balance=balance, quantity=quantity,
        unit_cost=unit_cost if quantity > 0 else None, reason=Reason.ADJUSTMENT,
        moved_at=moved_at, source=source, actor=actor,
    )  # fmt: skip


def _current_cost(item: Item, balance: StockBalance) -> Decimal:
    """The unit cost a gain is valued at when none is given."""
    if item.costing_method == CostingMethod.STANDARD:
        return item.standard_cost
    if balance.quantity > 0:
        return (balance.value / balance.quantity).quantize(Decimal("0.000001"))
    return balance.last_unit_cost or item.standard_cost


@transaction.atomic
def stock_transfer(
    *,
    item: Item,
    from_warehouse: Warehouse,
    to_warehouse: Warehouse,
    quantity: Decimal,
    moved_at: dt.datetime | None = None,
    source: Source = Source(),
    actor=None,
) -> tuple[StockMove, StockMove]:
    """Move stock between warehouses: out at its valuation, in at exactly that value."""
    if from_warehouse.pk == to_warehouse.pk:
        raise ValidationError({"to_warehouse": _("Choose another warehouse than the source.")})
    moved_at = _prepare(
        item=item, warehouses=[from_warehouse, to_warehouse], quantity=quantity, moved_at=moved_at
    )
    balances = _locked_balances(item, [from_warehouse, to_warehouse])
    out = _book(
        item=item, warehouse=from_warehouse, balance=balances[from_warehouse.pk],
        quantity=-quantity, reason=Reason.TRANSFER, moved_at=moved_at, source=source, actor=actor,
    )  # fmt: skip
    into = _book(
        item=item, warehouse=to_warehouse, balance=balances[to_warehouse.pk], quantity=quantity,
        value=-out.value, reason=Reason.TRANSFER, moved_at=moved_at, source=source, actor=actor,
    )  # fmt: skip
    return out, into
