"""The valuation engine: moves in, values out, for one item in one warehouse.

Rounding rules (money to the cent, ROUND_HALF_UP; unit costs to 6 places):

- Moving average: a receipt adds its value; an issue takes ``value × issued / on hand`` of the
  balance, and the last unit out takes what is left, so the balance is never left with a cent
  and no stock.
- FIFO: receipts make layers (quantity, value); an issue empties the oldest layers first and takes
  a proportional share of a layer it only partly empties.
- Standard: every move is valued at the standard cost and the balance is always
  ``round(quantity × standard)``; a receipt's difference between what it cost and its standard
  value is its variance (to the price-difference account).

Negative stock, where a warehouse allows it: an issue beyond what is on hand is valued at the
current unit cost (average, oldest layer, standard; the last known cost when nothing is on hand)
and the balance goes negative at that cost. The next receipt first covers the shortfall: the
balance is set to what the remaining quantity is worth at the receipt's cost, and the
difference is booked on that receipt as ``revaluation`` (for standard items the variance covers it).
"""

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
UNIT_COST = Decimal("0.000001")
ZERO = Decimal("0")


def money(value: Decimal) -> Decimal:
    """Round to the cent, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def unit_cost(value: Decimal, quantity: Decimal) -> Decimal:
    """Value ÷ quantity to 6 places (zero for no quantity)."""
    if not quantity:
        return ZERO
    return (value / quantity).quantize(UNIT_COST, rounding=ROUND_HALF_UP)


class CostingMethod(enum.StrEnum):
    """How an item's stock is valued."""

    MOVING_AVERAGE = "moving_average"
    FIFO = "fifo"
    STANDARD = "standard"


class NegativeStockError(ValueError):
    """An issue would take more than is on hand where negative stock is not allowed."""


@dataclass(frozen=True)
class Move:
    """A stock move of one item in one warehouse, in the order the ledger books them.

    ``quantity`` is positive for a receipt and negative for an issue. A receipt carries what it
    cost: its ``unit_cost``, or its exact ``value`` (a transfer in takes the value that left the
    other warehouse to the cent). An issue carries neither: the method values it.
    """

    id: int
    quantity: Decimal
    unit_cost: Decimal | None = None
    value: Decimal | None = None


@dataclass(frozen=True)
class Layer:
    """A FIFO layer: what is left of one receipt."""

    quantity: Decimal
    value: Decimal


@dataclass(frozen=True)
class State:
    """The balance of an item in a warehouse after some moves."""

    quantity: Decimal = ZERO
    value: Decimal = ZERO
    layers: tuple[Layer, ...] = ()
    last_unit_cost: Decimal = ZERO


@dataclass(frozen=True)
class ValuedMove:
    """What one move is worth and the balance after it.

    ``value`` is signed like the quantity (an issue has a negative value). ``variance`` is a
    standard-cost receipt's actual cost minus its standard value; ``revaluation`` is the
    correction a receipt makes to a negative balance. Both are zero otherwise.
    """

    move_id: int
    quantity: Decimal
    value: Decimal
    unit_cost: Decimal
    variance: Decimal
    revaluation: Decimal
    state: State = field(repr=False)


def _receive(method: CostingMethod, state: State, move: Move, standard_cost: Decimal) -> ValuedMove:
    if move.value is not None and move.value >= 0:
        actual, cost = move.value, unit_cost(move.value, move.quantity)
    elif move.unit_cost is not None and move.unit_cost >= 0:
        actual, cost = money(move.quantity * move.unit_cost), move.unit_cost
    else:
        raise ValueError(f"Receipt {move.id} needs a unit cost or value of zero or more.")
    quantity = state.quantity + move.quantity
    variance = ZERO
    revaluation = ZERO
    if method is CostingMethod.STANDARD:
        value_after = money(quantity * standard_cost)
        value = value_after - state.value
        variance = actual - value
        layers: tuple[Layer, ...] = ()
    elif state.quantity < 0:
        # Covering a shortfall: what remains is worth the receipt's cost.
        value = actual
        value_after = money(quantity * cost) if quantity > 0 else state.value + actual
        revaluation = value_after - (state.value + actual)
        layers = (Layer(quantity, value_after),) if quantity > 0 else ()
    else:
        value = actual
        value_after = state.value + actual
        layers = (*state.layers, Layer(move.quantity, actual))
    if method is not CostingMethod.FIFO:
        layers = ()
    return ValuedMove(
        move_id=move.id,
        quantity=move.quantity,
        value=value,
        unit_cost=unit_cost(value, move.quantity),
        variance=variance,
        revaluation=revaluation,
        state=State(quantity, value_after, layers, cost),
    )


def _current_unit_cost(method: CostingMethod, state: State, standard_cost: Decimal) -> Decimal:
    if method is CostingMethod.STANDARD:
        return standard_cost
    if method is CostingMethod.FIFO and state.layers:
        return unit_cost(state.layers[0].value, state.layers[0].quantity)
    if state.quantity > 0:
        return unit_cost(state.value, state.quantity)
    return state.last_unit_cost


def _issue(
    method: CostingMethod,
    state: State,
    move: Move,
    standard_cost: Decimal,
    allow_negative: bool,
) -> ValuedMove:
    wanted = -move.quantity
    quantity = state.quantity - wanted
    if quantity < 0 and not allow_negative:
        raise NegativeStockError(
            f"Move {move.id} issues {wanted} but only {max(state.quantity, ZERO)} is on hand."
        )
    current = _current_unit_cost(method, state, standard_cost)
    layers: tuple[Layer, ...] = ()
    if method is CostingMethod.STANDARD:
        # The balance is always worth its quantity at standard: the issue takes the rest.
        taken = state.value - money(quantity * standard_cost)
    else:
        covered = min(wanted, max(state.quantity, ZERO))  # the part taken from stock on hand
        if method is CostingMethod.FIFO:
            taken, layers = _take_layers(state.layers, covered)
        elif covered == state.quantity:
            taken = state.value if covered else ZERO  # the last unit out takes what is left
        else:
            taken = money(state.value * covered / state.quantity)
        if wanted > covered:  # negative stock, where allowed: at the current cost
            taken += money((wanted - covered) * current)
    return ValuedMove(
        move_id=move.id,
        quantity=move.quantity,
        value=-taken,
        unit_cost=unit_cost(taken, wanted),
        variance=ZERO,
        revaluation=ZERO,
        state=State(quantity, state.value - taken, layers, current),
    )


def _take_layers(layers: tuple[Layer, ...], quantity: Decimal) -> tuple[Decimal, tuple[Layer, ...]]:
    """Empty the oldest layers first; a layer only partly emptied gives a proportional value."""
    taken, remaining, left = ZERO, quantity, []
    for layer in layers:
        if remaining <= 0:
            left.append(layer)
        elif layer.quantity <= remaining:
            taken += layer.value
            remaining -= layer.quantity
        else:
            part = money(layer.value * remaining / layer.quantity)
            taken += part
            left.append(Layer(layer.quantity - remaining, layer.value - part))
            remaining = ZERO
    return taken, tuple(left)


def value_move(
    *,
    method: CostingMethod,
    state: State,
    move: Move,
    standard_cost: Decimal = ZERO,
    allow_negative: bool = False,
) -> ValuedMove:
    """Value one move from ``state``: one step of ``value_moves``.

    For a caller that walks a long history without holding it in memory (a backdated move
    before half a million others): it feeds the moves one at a time as it reads them.
    """
    if not move.quantity:
        raise ValueError(f"Move {move.id} has no quantity.")
    if move.quantity > 0:
        return _receive(method, state, move, standard_cost)
    return _issue(method, state, move, standard_cost, allow_negative)


def value_moves(
    *,
    method: CostingMethod | str,
    moves: Iterable[Move],
    standard_cost: Decimal = ZERO,
    allow_negative: bool = False,
    opening: State | None = None,
) -> list[ValuedMove]:
    """Value the moves in order from the opening state; each result carries the state after it.

    Raises NegativeStockError (naming the move) when an issue would go below zero and negative
    stock is not allowed, and ValueError for a zero quantity or a receipt without a cost.
    """
    method = CostingMethod(method)
    state = opening or State()
    results = []
    for move in moves:
        valued = value_move(
            method=method,
            state=state,
            move=move,
            standard_cost=standard_cost,
            allow_negative=allow_negative,
        )
        results.append(valued)
        state = valued.state
    return results


def stock_effect(valued: ValuedMove) -> tuple[Decimal, Decimal]:
    """What a move did to the stock's value, and the part of its cost that went elsewhere.

    The first is ``value + revaluation`` (what the balance moved by); the second is a receipt's
    cost beyond that (``variance − revaluation``): a standard item's price difference, or what
    settled a negative balance.
    """
    return valued.value + valued.revaluation, valued.variance - valued.revaluation


@dataclass(frozen=True)
class Correction:
    """A move whose stock effect changed because an earlier move was inserted or changed."""

    move_id: int
    old_value: Decimal
    new_value: Decimal
    old_variance: Decimal
    new_variance: Decimal

    @property
    def delta(self) -> Decimal:
        """How much the move's value moved."""
        return self.new_value - self.old_value


def revaluation(
    *, booked: Sequence[ValuedMove], revalued: Sequence[ValuedMove]
) -> list[Correction]:
    """Compare what was booked for the later moves with what they are worth now.

    ``revalued`` may contain moves ``booked`` lacks (the backdated move itself): those are new,
    not corrections.
    """
    before = {v.move_id: v for v in booked}
    corrections = []
    for new in revalued:
        old = before.get(new.move_id)
        if old is None:
            continue
        (old_value, old_variance), (new_value, new_variance) = stock_effect(old), stock_effect(new)
        if (old_value, old_variance) != (new_value, new_variance):
            corrections.append(
                Correction(new.move_id, old_value, new_value, old_variance, new_variance)
            )
    return corrections
