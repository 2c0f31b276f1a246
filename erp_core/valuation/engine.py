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
balance is set to what the remaining quantity is worth at the receipt's cost (nothing when the
receipt covers it exactly; while still short, the rest keeps the value it was issued at), and
the difference is booked on that receipt as ``revaluation`` (for standard items the variance
covers it).

A standard-cost change revalues a standard item's stock on hand at once: the difference is the
change's ``revaluation``; later moves are valued at the new standard.

A value adjustment (quantity 0, a ``value`` and the ``basis`` quantity it is for: a supplier's
price difference or credit on a receipt of an item at an actual cost) re-values the stock on
hand by the share of the amount that is still on hand: all of it when at least ``basis`` is on
hand, else ``amount × on hand ÷ basis``; never below a value of zero. The rest belongs to what
was issued: it is the move's ``variance`` (the cost of sales). Nothing on hand (or a shortfall):
all of it. FIFO spreads the share over its open layers by their value (by quantity when they are
worth nothing), the newest layer taking the cent of rounding. Standard-cost items are never
re-valued this way (their price difference stays on the price-difference account).
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
    """An issue would take more than is on hand where negative stock is not allowed.

    Carries the quantities (``wanted``, ``on_hand``) so that the service refusing the move can
    say it in the reader's language, with the item's code instead of a position.
    """

    def __init__(self, message: str, *, wanted: Decimal, on_hand: Decimal) -> None:
        super().__init__(message)
        self.wanted = wanted
        self.on_hand = on_hand


@dataclass(frozen=True)
class Move:
    """A stock move of one item in one warehouse, in the order the ledger books them.

    ``quantity`` is positive for a receipt and negative for an issue. A receipt carries what it
    cost: its ``unit_cost``, or its exact ``value`` (a transfer in takes the value that left the
    other warehouse to the cent), or both (a receipt replayed: its cost to the cent as booked
    and the unit cost it was given). An issue carries neither: the method values it. A move of
    quantity zero with a ``unit_cost`` is a standard-cost change: a standard item's stock on
    hand is revalued at the new cost (its ``revaluation``), and later moves are valued at it.
    A move of quantity zero with a ``value`` (and no unit cost) is a value adjustment of that
    amount for ``basis`` units received.
    """

    id: int
    quantity: Decimal
    unit_cost: Decimal | None = None
    value: Decimal | None = None
    basis: Decimal | None = None


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
    standard-cost receipt's actual cost minus its standard value, or the part of a value
    adjustment that is not on hand; ``revaluation`` is the correction a receipt makes to a
    negative balance. Both are zero otherwise.
    """

    move_id: int
    quantity: Decimal
    value: Decimal
    unit_cost: Decimal
    variance: Decimal
    revaluation: Decimal
    state: State = field(repr=False)


# The rules work on plain values (quantity, value, layers, last unit cost of the balance; the
# move's fields) and return a plain tuple: ``value_move`` wraps them in the dataclasses, and
# ``Replay`` walks a long history through them without an object per move.
_Balance = tuple[Decimal, Decimal, tuple, Decimal]  # quantity, value, layers, last unit cost
_Step = tuple[Decimal, Decimal, Decimal, _Balance]  # value, variance, revaluation, balance after


def _receive(
    method: CostingMethod,
    on_hand: Decimal,
    worth: Decimal,
    held: tuple[Layer, ...],
    move_id: int,
    quantity: Decimal,
    cost_given: Decimal | None,
    value_given: Decimal | None,
    standard_cost: Decimal,
) -> _Step:
    if value_given is not None and value_given >= 0:
        # A receipt booked at a unit cost is replayed with both: its cost to the cent as booked,
        # and the unit cost it was given (not one derived back from the rounded value).
        actual = value_given
        given = cost_given is not None and cost_given >= 0
        cost = cost_given if given else unit_cost(value_given, quantity)
    elif cost_given is not None and cost_given >= 0:
        actual, cost = money(quantity * cost_given), cost_given
    else:
        raise ValueError(f"Receipt {move_id} needs a unit cost or value of zero or more.")
    after = on_hand + quantity
    variance = revaluation = ZERO
    layers: tuple[Layer, ...] = ()
    if method is CostingMethod.STANDARD:
        value_after = money(after * standard_cost)
        value = value_after - worth
        variance = actual - value
    elif on_hand < 0:
        # Covering a shortfall: what remains is worth the receipt's cost.
        # Covered: what remains is worth the receipt's cost; exactly covered, nothing is left
        # and nothing of value either. Still short: the rest of the shortfall keeps the value
        # it was issued at. The covered part's difference is the revaluation.
        value = actual
        if after > 0:
            value_after = money(after * cost)
        elif after == 0:
            value_after = ZERO
        else:
            value_after = money(worth * after / on_hand)
        revaluation = value_after - (worth + actual)
        if method is CostingMethod.FIFO and after > 0:
            layers = (Layer(after, value_after),)
    else:
        value = actual
        value_after = worth + actual
        if method is CostingMethod.FIFO:
            layers = (*held, Layer(quantity, actual))
    return value, variance, revaluation, (after, value_after, layers, cost)


def _current_unit_cost(
    method: CostingMethod,
    on_hand: Decimal,
    worth: Decimal,
    held: tuple[Layer, ...],
    last_unit_cost: Decimal,
    standard_cost: Decimal,
) -> Decimal:
    if method is CostingMethod.STANDARD:
        return standard_cost
    if method is CostingMethod.FIFO and held:
        return unit_cost(held[0].value, held[0].quantity)
    if on_hand > 0:
        return unit_cost(worth, on_hand)
    return last_unit_cost


def _issue(
    method: CostingMethod,
    on_hand: Decimal,
    worth: Decimal,
    held: tuple[Layer, ...],
    last_unit_cost: Decimal,
    move_id: int,
    quantity: Decimal,
    standard_cost: Decimal,
    allow_negative: bool,
) -> _Step:
    wanted = -quantity
    after = on_hand - wanted
    if after < 0 and not allow_negative:
        raise NegativeStockError(
            f"Move {move_id} issues {wanted} but only {max(on_hand, ZERO)} is on hand.",
            wanted=wanted,
            on_hand=max(on_hand, ZERO),
        )
    current = _current_unit_cost(method, on_hand, worth, held, last_unit_cost, standard_cost)
    layers: tuple[Layer, ...] = ()
    if method is CostingMethod.STANDARD:
        # The balance is always worth its quantity at standard: the issue takes the rest.
        taken = worth - money(after * standard_cost)
    else:
        covered = min(wanted, max(on_hand, ZERO))  # the part taken from stock on hand
        if method is CostingMethod.FIFO:
            taken, layers = _take_layers(held, covered)
        elif covered == on_hand:
            taken = worth if covered else ZERO  # the last unit out takes what is left
        else:
            taken = money(worth * covered / on_hand)
        if wanted > covered:  # negative stock, where allowed: at the current cost
            taken += money((wanted - covered) * current)
    return -taken, ZERO, ZERO, (after, worth - taken, layers, current)


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


def _restandard(method: CostingMethod, state: _Balance, standard_cost: Decimal) -> _Step:
    """A standard-cost change: the stock on hand is revalued at the new standard now.

    The whole difference is the move's revaluation (its stock effect; the other side is the
    variance account). Items at an actual cost are not affected.
    """
    on_hand, worth, held, last_unit_cost = state
    if method is not CostingMethod.STANDARD:
        return ZERO, ZERO, ZERO, state
    value_after = money(on_hand * standard_cost)
    return ZERO, ZERO, value_after - worth, (on_hand, value_after, held, last_unit_cost)


def _revalue(
    method: CostingMethod, state: _Balance, move_id: int, amount: Decimal, basis: Decimal | None
) -> _Step:
    """A value adjustment: the share of ``amount`` still on hand goes into the stock's value
    (the move's value), the rest is its variance (see the module's docstring)."""
    if method is CostingMethod.STANDARD:
        raise ValueError(f"Move {move_id}: a standard-cost item is not re-valued by an amount.")
    if basis is not None and basis <= 0:
        raise ValueError(f"Move {move_id}: the basis of a value adjustment must be positive.")
    on_hand, worth, held, last_unit_cost = state
    share = ZERO
    if on_hand > 0 and amount:
        share = amount if basis is None or on_hand >= basis else money(amount * on_hand / basis)
        share = max(share, -worth)  # never below a value of zero
    layers = held
    if share and method is CostingMethod.FIFO and held:
        by_value = worth > 0
        whole = worth if by_value else sum((layer.quantity for layer in held), ZERO)
        spread, given = [], ZERO
        for index, layer in enumerate(held):
            if index == len(held) - 1:
                part = share - given
            else:
                part = money(share * (layer.value if by_value else layer.quantity) / whole)
            given += part
            spread.append(Layer(layer.quantity, layer.value + part))
        layers = tuple(spread)
    return share, amount - share, ZERO, (on_hand, worth + share, layers, last_unit_cost)


def _step(
    method: CostingMethod,
    state: _Balance,
    move_id: int,
    quantity: Decimal,
    cost_given: Decimal | None,
    value_given: Decimal | None,
    standard_cost: Decimal,
    allow_negative: bool,
    basis: Decimal | None = None,
) -> _Step:
    on_hand, worth, held, last_unit_cost = state
    if not quantity:
        if cost_given is None and value_given is not None:
            return _revalue(method, state, move_id, value_given, basis)
        if cost_given is None or cost_given < 0:
            raise ValueError(f"Move {move_id} has no quantity.")
        return _restandard(method, state, cost_given)
    if quantity > 0:
        return _receive(
            method, on_hand, worth, held, move_id, quantity, cost_given, value_given,
            standard_cost,
        )  # fmt: skip
    return _issue(
        method, on_hand, worth, held, last_unit_cost, move_id, quantity, standard_cost,
        allow_negative,
    )  # fmt: skip


def value_move(
    *,
    method: CostingMethod,
    state: State,
    move: Move,
    standard_cost: Decimal = ZERO,
    allow_negative: bool = False,
) -> ValuedMove:
    """Value one move from ``state``: one step of ``value_moves``.

    A move of quantity zero with a unit cost is a standard-cost change to that cost; with a
    value and no unit cost, a value adjustment.
    """
    value, variance, revaluation, after = _step(
        CostingMethod(method),
        (state.quantity, state.value, state.layers, state.last_unit_cost),
        move.id,
        move.quantity,
        move.unit_cost,
        move.value,
        standard_cost,
        allow_negative,
        move.basis,
    )
    return ValuedMove(
        move_id=move.id,
        quantity=move.quantity,
        value=value,
        unit_cost=unit_cost(value, move.quantity),
        variance=variance,
        revaluation=revaluation,
        state=State(*after),
    )


class Replay:
    """One item × warehouse's valuation walked a move at a time, holding only its state.

    For a caller that re-values a long history as it reads it (a backdated move before half a
    million others): ``effect`` values a move and returns only its stock effect, without a
    result object per move; ``value`` gives the full ``ValuedMove`` of a move to be written.
    Both follow exactly the rules of ``value_moves``.
    """

    __slots__ = ("_balance", "allow_negative", "method", "standard_cost")

    def __init__(
        self,
        *,
        method: CostingMethod | str,
        opening: State | None = None,
        standard_cost: Decimal = ZERO,
        allow_negative: bool = False,
    ) -> None:
        self.method = CostingMethod(method)
        self.standard_cost = standard_cost
        self.allow_negative = allow_negative
        state = opening or State()
        self._balance = (state.quantity, state.value, state.layers, state.last_unit_cost)

    @property
    def state(self) -> State:
        """The balance after the moves walked so far."""
        return State(*self._balance)

    def effect(
        self,
        move_id: int,
        quantity: Decimal,
        *,
        value: Decimal | None = None,
        cost: Decimal | None = None,
        basis: Decimal | None = None,
    ) -> tuple[Decimal, Decimal]:
        """Value the next move and return its ``stock_effect``: (stock value, variance)."""
        moved, variance, revaluation, self._balance = _step(
            self.method, self._balance, move_id, quantity, cost, value, self.standard_cost,
            self.allow_negative, basis,
        )  # fmt: skip
        if not quantity and cost is not None:
            self.standard_cost = cost  # a standard-cost change: later moves at the new one
        return moved + revaluation, variance - revaluation

    def value(self, move: Move) -> ValuedMove:
        """Value the next move and return what it is worth, with the state after it."""
        valued = value_move(
            method=self.method,
            state=self.state,
            move=move,
            standard_cost=self.standard_cost,
            allow_negative=self.allow_negative,
        )
        state = valued.state
        self._balance = (state.quantity, state.value, state.layers, state.last_unit_cost)
        if not move.quantity and move.unit_cost is not None:
            self.standard_cost = move.unit_cost
        return valued


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
        if not move.quantity and move.unit_cost is not None:
            standard_cost = move.unit_cost  # a standard-cost change: later moves at the new one
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
