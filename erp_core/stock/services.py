"""Stock ledger services: receipts, issues, transfers, adjustments, consumption and output.

Every move is booked through one path, ``stock_moves_book``: a batch of moves in one transaction
as one unit of work — a shipment's 200 lines, a count's 1,000 bins, a day's receipts. The
single-move services below are that batch with one line.

A batch checks every line first (one bad line refuses the whole batch, naming the line), locks
the balance of every item × warehouse it touches once, in primary-key order, values the moves in
memory with ``erp_core.valuation`` in the order given, then writes the ledger rows, their
journal entries (one per source document and day, one line per account) and the balances with a
few bulk statements, whatever its size. A move dated before the latest booked move of its item ×
warehouse re-values the later moves: each one whose value changes gets a revaluation row, and the
differences one correcting entry; nothing already booked is edited.
"""

import datetime as dt
import heapq
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, Sum, Value, When
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.db import rows as db_rows
from common.errors import Conflict
from common.numbers import parse_decimal
from common.templatetags.numbers import qty
from erp_core import registry
from erp_core.documents.sources import source_numbers
from erp_core.ledger.memos import Memo
from erp_core.ledger.selectors import item_posting_category
from erp_core.ledger.services import EntryInput, PostingPeriods
from erp_core.masterdata.quantities import quantity_for
from erp_core.models import Item, ItemCategory, Warehouse
from erp_core.stock import posting
from erp_core.stock.models import StockBalance, StockMove
from erp_core.valuation import (
    CostingMethod,
    Layer,
    Move,
    NegativeStockError,
    Replay,
    State,
    ValuedMove,
    value_move,
)
from erp_core.valuation.engine import money, stock_effect

ZERO = Decimal("0")
BASIS_PLACES = Decimal("0.000001")  # a basis quantity is stored to 6 places
UNIT_COST = Decimal("0.000001")

Reason = StockMove.Reason

# What a ledger row is written with (every column but the key), in plain SQL.
_MOVE_FIELDS = [f.attname for f in StockMove._meta.concrete_fields if not f.primary_key]

NOT_ON_HAND = gettext_lazy(
    "%(item)s in %(warehouse)s: %(wanted)s to take but only %(on_hand)s on hand."
)
ON_LINE = gettext_lazy("Line %(n)d: %(message)s")


def _lazy_text(message, params: dict):
    """``message % params`` made when shown, in the reader's language; quantities read as
    quantities ("5", not "5.000000")."""

    def text() -> str:
        shown = {
            name: qty(value) if isinstance(value, Decimal) else value
            for name, value in params.items()
        }
        return str(message) % shown

    return lazy(text, str)()


ISSUE_REASONS = (Reason.ISSUE, Reason.SHIPMENT, Reason.PRODUCTION_CONSUMPTION, Reason.ADJUSTMENT)
RECEIPT_REASONS = (Reason.RECEIPT, Reason.PRODUCTION_OUTPUT, Reason.ADJUSTMENT, Reason.OPENING)
# The reasons a line may give (``Reason.values`` builds its list anew on every call).
_MOVE_REASONS = frozenset(Reason.values) - {Reason.REVALUATION}
_IN_ONLY = (Reason.RECEIPT, Reason.PRODUCTION_OUTPUT, Reason.OPENING)
_OUT_ONLY = (Reason.ISSUE, Reason.SHIPMENT, Reason.PRODUCTION_CONSUMPTION)


@dataclass(frozen=True)
class Source:
    """The document or event a move comes from, kept on the ledger row and its entry."""

    type: str = ""
    id: str = ""
    event_id: str | None = None
    note: str = ""  # why, in the words of the person who booked it (an adjustment's reason)
    abnormal: bool = False  # a count loss beyond the norms (cleared to 6711, VAT transferred out)


@dataclass(frozen=True)
class MoveLine:
    """One move given to ``stock_moves_book``.

    ``quantity`` is signed like the ledger's: + into ``warehouse`` (a receipt, production
    output, an adjustment gain), − out of it (an issue, a shipment, consumption, a loss). A
    receipt carries its ``unit_cost``; a gain without one comes in at the current cost; an
    issue is valued by the costing method. A transfer moves ``quantity`` (> 0) from
    ``warehouse`` to ``to_warehouse`` and books two rows. ``moved_at`` defaults to now.
    """

    item: Item
    warehouse: Warehouse
    quantity: Decimal
    reason: str
    unit_cost: Decimal | None = None
    moved_at: dt.datetime | None = None
    to_warehouse: Warehouse | None = None
    source: Source = Source()


# --- Checks ------------------------------------------------------------------------------------


def _check_quantity(quantity: Decimal) -> None:
    if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity <= 0:
        raise ValidationError({"quantity": _("The quantity must be a positive number.")})


def _check_cost(unit_cost: Decimal | None) -> None:
    if not isinstance(unit_cost, Decimal) or not unit_cost.is_finite() or unit_cost < 0:
        raise ValidationError({"unit_cost": _("The unit cost must be zero or more.")})


def _check_item(item: Item) -> None:
    if item.item_type == Item.ItemType.SERVICE:
        raise ValidationError({"item": _("A service item has no stock.")})
    if not item.is_active:
        raise ValidationError({"item": _("The item is inactive.")})


def _check_line(line: MoveLine, now: dt.datetime) -> dt.datetime:
    """Refuse a line that cannot be booked; return its booking time (now when not given)."""
    if not isinstance(line, MoveLine):
        raise ValidationError({"lines": _("Not a stock move.")})
    reason, quantity = line.reason, line.quantity
    if reason not in _MOVE_REASONS:
        raise ValidationError({"reason": _("%(reason)s is not a move.") % {"reason": reason}})
    if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity == 0:
        raise ValidationError({"quantity": _("The quantity must be a number other than zero.")})
    if reason in _OUT_ONLY and quantity > 0:
        raise ValidationError({"quantity": _("An issue takes a quantity below zero.")})
    if reason in (*_IN_ONLY, Reason.TRANSFER) and quantity < 0:
        raise ValidationError({"quantity": _("The quantity must be a positive number.")})
    _check_item(line.item)
    warehouses = [line.warehouse]
    if reason == Reason.TRANSFER:
        if line.to_warehouse is None or line.to_warehouse.pk == line.warehouse.pk:
            raise ValidationError({"to_warehouse": _("Choose another warehouse than the source.")})
        warehouses.append(line.to_warehouse)
    for warehouse in warehouses:
        if not warehouse.is_active:
            raise ValidationError(
                {"warehouse": _("The warehouse %(code)s is inactive.") % {"code": warehouse.code}}
            )
    moved_at = line.moved_at or now
    if timezone.is_naive(moved_at):
        raise ValidationError({"moved_at": _("The time of a move needs a time zone.")})
    if moved_at > now + dt.timedelta(minutes=5):
        raise ValidationError({"moved_at": _("A move cannot be booked in the future.")})
    if reason in _IN_ONLY or (quantity > 0 and line.unit_cost is not None):
        _check_cost(line.unit_cost)
    elif quantity < 0 and line.unit_cost is not None and reason != Reason.ADJUSTMENT:
        raise ValidationError(
            {"unit_cost": _("An issue is valued by the costing method: give no unit cost.")}
        )
    return moved_at


def _check_lines(lines: Sequence[MoveLine], now: dt.datetime) -> list[dt.datetime]:
    """Check every line; one ValidationError names each bad line (numbered from 1)."""
    if isinstance(lines, MoveLine) or not isinstance(lines, Sequence) or not lines:
        raise ValidationError({"lines": _("Give a list of stock moves.")})
    times, errors = [], {}
    for n, line in enumerate(lines, start=1):
        try:
            times.append(_check_line(line, now))
        except ValidationError as error:
            if len(lines) == 1:
                raise
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(
                    _("Line %(n)d: %(message)s") % {"n": n, "message": message}
                    for message in messages
                )
    if errors:
        raise ValidationError(errors)
    return times


KEPT_BY_WAREHOUSE = gettext_lazy(
    "Stock in warehouse %(warehouse)s is kept by the warehouse in %(operator)s: adjust, move or "
    "transfer it there (a count, a bin move or a transfer), and the ledger books it from the "
    "warehouse's event."
)


def _refuse_if_operated(lines: Sequence[MoveLine]) -> None:
    """Refuse (409) a move made here (a page, the API, a service called by hand) into or out of
    a warehouse a front module runs (WMS): its stock changes there first, and the ledger books it
    from that module's event. A move booked from an event (it carries the event's id: WMS, MES)
    passes. Each warehouse is asked once per batch."""
    asked: dict[int, object] = {}
    for line in lines:
        if line.source.event_id:
            continue
        for warehouse in (line.warehouse, line.to_warehouse):
            if warehouse is None:
                continue
            if warehouse.pk not in asked:
                asked[warehouse.pk] = registry.stock_operator(warehouse.pk)
            if asked[warehouse.pk]:
                raise Conflict(
                    _lazy_text(
                        KEPT_BY_WAREHOUSE,
                        {"warehouse": warehouse.code, "operator": asked[warehouse.pk]},
                    ),
                    code="kept_by_warehouse",
                )


# --- Balances ----------------------------------------------------------------------------------


def _state(balance: StockBalance) -> State:
    return State(
        quantity=balance.quantity,
        value=balance.value,
        layers=tuple(Layer(Decimal(q), Decimal(v)) for q, v in balance.layers),
        last_unit_cost=balance.last_unit_cost,
    )


def _store_state(balance: StockBalance, state: State, now: dt.datetime) -> None:
    balance.quantity = state.quantity
    balance.value = state.value
    balance.layers = [[str(layer.quantity), str(layer.value)] for layer in state.layers]
    balance.last_unit_cost = state.last_unit_cost
    balance.updated_at = now


_BALANCE_COLUMNS = ("id", "item_id", "warehouse_id", "quantity", "value", "layers",
                    "last_unit_cost", "updated_at")  # fmt: skip


def _lock_sql(count: int) -> str:
    """Lock ``count`` balances in primary-key order, each with its latest move's time."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"b.{quote(column)}" for column in _BALANCE_COLUMNS)
    wanted = " OR ".join(["(b.item_id = %s AND b.warehouse_id = %s)"] * count)
    lock = " FOR UPDATE OF b" if connection.features.has_select_for_update_of else ""
    return (
        f"SELECT {columns}, (SELECT m.moved_at FROM {StockMove._meta.db_table} m "
        f"WHERE m.item_id = b.item_id AND m.warehouse_id = b.warehouse_id "
        f"ORDER BY m.moved_at DESC LIMIT 1) "
        f"FROM {StockBalance._meta.db_table} b WHERE {wanted} ORDER BY b.id{lock}"
    )


_BALANCE_FIELDS = ["quantity", "value", "layers", "last_unit_cost", "updated_at"]


def _balance_update(balance: StockBalance) -> db_rows.Statement:
    """The UPDATE that stores a balance's new state (plain SQL)."""
    return db_rows.update_statement(
        StockBalance, balance.pk, {name: getattr(balance, name) for name in _BALANCE_FIELDS}
    )


def _locked_balances(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], StockBalance]:
    """Lock the balances of these (item, warehouse) pairs in primary-key order (no deadlocks).

    One query in the usual case, which also brings each balance's latest move time (a move
    before it is backdated) as ``last_moved_at``; missing balances are created first (in a fixed
    order) and the lock is taken again. Plain SQL (``common.db.rows``): every posting runs it.
    """
    ordered = sorted(pairs)
    params = [value for pair in ordered for value in pair]
    moved_at = db_rows.converter(StockMove._meta.get_field("moved_at"), connection.alias)
    few = len(ordered) <= db_rows.FEW

    def lock() -> dict[tuple[int, int], StockBalance]:
        found = {}
        with connection.cursor() as cursor:
            db_rows.execute(cursor, _lock_sql(len(ordered)), params, prepare=few)
            for *values, last_moved_at in cursor.fetchall():
                balance = db_rows.from_row(StockBalance, _BALANCE_COLUMNS, values, connection.alias)
                balance.last_moved_at = moved_at(last_moved_at)
                found[(balance.item_id, balance.warehouse_id)] = balance
        return found

    found = lock()
    missing = pairs - found.keys()
    if missing:
        StockBalance.objects.bulk_create(
            [StockBalance(item_id=i, warehouse_id=w) for i, w in sorted(missing)],
            ignore_conflicts=True,
        )
        found = lock()
    return found


def _current_cost(item: Item, state: State) -> Decimal:
    """The unit cost a gain is valued at when none is given."""
    if item.costing_method == CostingMethod.STANDARD:
        return item.standard_cost
    if state.quantity > 0:
        return (state.value / state.quantity).quantize(Decimal("0.000001"))
    return state.last_unit_cost or item.standard_cost


def _category_code(item: Item) -> str | None:
    return item_posting_category(item)


def _load_categories(items: list[Item]) -> None:
    """Fetch in one query the categories the batch's items do not carry yet."""
    wanted = {
        item.category_id
        for item in items
        if item.category_id is not None and not Item.category.is_cached(item)
    }
    if wanted:
        categories = ItemCategory.objects.in_bulk(wanted)
        for item in items:
            if item.category_id in categories and not Item.category.is_cached(item):
                item.category = categories[item.category_id]


# --- The batch ---------------------------------------------------------------------------------


@dataclass
class _Key:
    """An item × warehouse in the batch: its locked balance, state and the rows booked to it."""

    item: Item
    warehouse: Warehouse
    balance: StockBalance
    state: State
    last: dt.datetime | None
    rows: list[StockMove] = field(default_factory=list)
    changed: bool = False  # re-valued by a transfer re-valued elsewhere (no row of its own)

    @property
    def options(self) -> dict:
        return {
            "method": CostingMethod(self.item.costing_method),
            "standard_cost": self.item.standard_cost,
            "allow_negative": self.warehouse.allow_negative_stock,
        }


class _Fix(NamedTuple):
    """A correction of a booked move's value, found by replaying after a backdated move.

    A tuple: a backdated move may find hundreds of thousands.
    """

    key: _Key
    corrects: int | StockMove  # a stored row's pk, or a row of this batch
    moved_at: dt.datetime
    value: Decimal
    variance: Decimal
    backdated: StockMove
    receipt: Decimal = ZERO  # a transfer in's receipt value moved with what left the other side


def _entry_group(row: StockMove) -> tuple:
    """The entry a move posts into: its source document's of its day, or its own."""
    if row.source_type:
        return ("document", row.source_type, row.source_id, timezone.localdate(row.moved_at))
    return ("move", id(row))


def _ref(ref: int | StockMove) -> tuple:
    """A key for a booked row: a stored row by its pk, a row of this batch by its identity."""
    return ("stored", ref) if isinstance(ref, int) else ("batch", id(ref))


def _source_id(value: str) -> int | None:
    return int(value) if value.isdigit() else None


class _Batch:
    """Valuation of a batch in memory, then its writes in bulk."""

    def __init__(self, keys: dict[tuple[int, int], _Key], actor) -> None:
        self.keys = keys
        self.actor = actor
        self.rows: list[StockMove] = []
        self.fixes: list[_Fix] = []
        # Each backdated move's corrections summed by the corrected moves' reason and direction:
        # what its correcting entry posts.
        self.revalued: list[tuple[StockMove, _Key, dict[tuple[str, bool], Decimal]]] = []
        # A transfer's incoming leg by its outgoing leg, for the rows of this batch.
        self.transfer_in: dict[int, StockMove] = {}

    # --- valuation ----------------------------------------------------------------------------

    def book(
        self,
        key: _Key,
        *,
        n: int,
        quantity: Decimal,
        reason: str,
        moved_at: dt.datetime,
        source: Source,
        unit_cost: Decimal | None = None,
        value: Decimal | None = None,
        basis: Decimal | None = None,
    ) -> StockMove:
        """Value one move against its key's state (replaying later moves when backdated)."""
        move = Move(id=n, quantity=quantity, unit_cost=unit_cost, value=value, basis=basis)
        if key.last is not None and key.last > moved_at:
            return self._backdated(key, move, reason=reason, moved_at=moved_at, source=source)
        valued = value_move(state=key.state, move=move, **key.options)
        key.state = valued.state
        key.last = moved_at
        row = self._row(key, valued, move, reason=reason, moved_at=moved_at, source=source)
        key.rows.append(row)
        self.rows.append(row)
        return row

    def _row(
        self, key: _Key, valued: ValuedMove, move: Move, *, reason, moved_at, source: Source
    ) -> StockMove:
        stock_value, variance = stock_effect(valued)
        if reason == Reason.VALUE_ADJUSTMENT:
            receipt_value = move.value
        else:
            receipt_value = valued.value + valued.variance if valued.quantity > 0 else None
        return StockMove(
            item=key.item,
            warehouse=key.warehouse,
            moved_at=moved_at,
            reason=reason,
            quantity=valued.quantity,
            unit_cost=valued.unit_cost,
            value=stock_value,
            receipt_value=receipt_value,
            receipt_unit_cost=move.unit_cost if valued.quantity > 0 else None,
            basis_quantity=move.basis,
            variance=variance,
            source_type=source.type,
            source_id=source.id,
            source_event_id=source.event_id,
            note=source.note,
            abnormal_loss=source.abnormal and valued.quantity < 0,
        )

    def _history(self, key: _Key) -> Iterator[tuple]:
        """The key's moves in booking order, stored and of this batch, with what they are worth
        as booked now: ``(moved_at, quantity, receipt_value, receipt_unit_cost, reason, value,
        variance, ref, basis_quantity)``.

        Stored rows are streamed (a server-side cursor on PostgreSQL), their corrections merged
        in from a second stream in the same order, so a history of any length is never held in
        memory.
        """
        rows = (
            StockMove.objects.filter(item_id=key.item.pk, warehouse_id=key.warehouse.pk)
            .exclude(reason=Reason.REVALUATION)
            .order_by("moved_at", "pk")
            .values_list("moved_at", "pk", "quantity", "receipt_value", "receipt_unit_cost",
                         "reason", "value", "variance", "basis_quantity")
            .iterator(chunk_size=10_000)
        )  # fmt: skip
        fixes = (
            StockMove.objects.filter(
                item_id=key.item.pk, warehouse_id=key.warehouse.pk, reason=Reason.REVALUATION
            )
            .order_by("moved_at", "corrects_id")
            .values_list("moved_at", "corrects_id", "value", "variance", "receipt_value")
            .iterator(chunk_size=10_000)
        )
        fix = next(fixes, None)
        # Corrections found earlier in this batch (another backdated move of the key), unwritten.
        pending: dict[tuple, list[Decimal]] = {}
        for earlier in self.fixes:
            if earlier.key is key:
                sums = pending.setdefault(_ref(earlier.corrects), [ZERO, ZERO, ZERO])
                sums[0] += earlier.value
                sums[1] += earlier.variance
                sums[2] += earlier.receipt

        def stored() -> Iterator[tuple]:
            nonlocal fix
            for moved_at, pk, quantity, receipt_value, cost, reason, value, variance, basis in rows:
                while fix is not None and (fix[0], fix[1]) < (moved_at, pk):
                    fix = next(fixes, None)
                while fix is not None and (fix[0], fix[1]) == (moved_at, pk):
                    value, variance = value + fix[2], variance + fix[3]
                    if fix[4] is not None:  # a transfer in's receipt value moved
                        receipt_value += fix[4]
                    fix = next(fixes, None)
                if pending and ("stored", pk) in pending:
                    value += pending["stored", pk][0]
                    variance += pending["stored", pk][1]
                    if receipt_value is not None:
                        receipt_value += pending["stored", pk][2]
                yield moved_at, quantity, receipt_value, cost, reason, value, variance, pk, basis

        if not key.rows:  # most often no move of this batch is booked to the key yet
            return stored()

        # This batch's rows in booking order: by time, then in the order they were booked.
        order = {id(row): seq for seq, row in enumerate(key.rows)}

        def booked_here() -> Iterator[tuple]:
            for row in sorted(key.rows, key=lambda row: (row.moved_at, order[id(row)])):
                value, variance, receipt_value = row.value, row.variance, row.receipt_value
                if pending and _ref(row) in pending:
                    value += pending[_ref(row)][0]
                    variance += pending[_ref(row)][1]
                    if receipt_value is not None:
                        receipt_value += pending[_ref(row)][2]
                yield (row.moved_at, row.quantity, receipt_value, row.receipt_unit_cost,
                       row.reason, value, variance, row, row.basis_quantity)  # fmt: skip

        # Stored rows come first at the same time: this batch's rows get the higher keys.
        return heapq.merge(
            stored(),
            booked_here(),
            key=lambda entry: (
                (entry[0], 0, entry[7])
                if isinstance(entry[7], int)
                else (entry[0], 1, order[id(entry[7])])
            ),
        )

    def _replayer(self, key: _Key) -> Replay:
        """A replay of the key's history from nothing, at the standard the history starts at."""
        options = key.options
        if options["method"] is CostingMethod.STANDARD:
            # The standard the history starts at: the old cost of its first standard-cost change.
            first_change = (
                StockMove.objects.filter(
                    item_id=key.item.pk, warehouse_id=key.warehouse.pk, reason=Reason.COST_CHANGE
                )
                .order_by("moved_at", "pk")
                .values_list("unit_cost", flat=True)
                .first()
            )
            if first_change is not None:
                options["standard_cost"] = first_change
        return Replay(opening=State(), **options)

    def _backdated(self, key: _Key, move: Move, *, reason, moved_at, source) -> StockMove:
        """Insert a move into the past: replay the key's history from the state before it and
        correct every later move whose value changed."""
        replay = self._replayer(key)
        row = None
        changes = []
        for (
            at,
            quantity,
            receipt_value,
            cost,
            old_reason,
            value,
            variance,
            ref,
            basis,
        ) in self._history(key):
            if row is None and at > moved_at:
                valued = replay.value(move)
                row = self._row(key, valued, move, reason=reason, moved_at=moved_at, source=source)
            new_value, new_variance = replay.effect(
                ref if isinstance(ref, int) else 0, quantity, value=receipt_value, cost=cost,
                basis=basis,
            )  # fmt: skip
            if row is None:
                continue
            if new_value != value or new_variance != variance:
                changes.append((ref, at, old_reason, quantity, new_value - value,
                                new_variance - variance, ZERO))  # fmt: skip
        if row is None:  # nothing later after all (a move of this batch at the same time)
            valued = replay.value(move)
            row = self._row(key, valued, move, reason=reason, moved_at=moved_at, source=source)
        key.state = replay.state
        # The row belongs to the key before its corrections are carried on: a re-valued transfer
        # may come back to this key (goods sent on and back), whose replay must count the row.
        key.rows.append(row)
        self.rows.append(row)
        self._correct(key, row, changes)
        return row

    def _follow(self, key: _Key, target: tuple, receipt: Decimal, backdated: StockMove) -> None:
        """A transfer's outgoing leg was re-valued: its incoming leg (``target``, in ``key``)
        takes in what now left, ``receipt`` more, and the moves after it follow."""
        replay = self._replayer(key)
        changes, found = [], False
        for (
            at,
            quantity,
            receipt_value,
            cost,
            old_reason,
            value,
            variance,
            ref,
            basis,
        ) in self._history(key):
            moved = ZERO
            if not found and _ref(ref) == target:
                found, moved = True, receipt
                receipt_value += receipt
            new_value, new_variance = replay.effect(
                ref if isinstance(ref, int) else 0, quantity, value=receipt_value, cost=cost,
                basis=basis,
            )  # fmt: skip
            if found and (new_value != value or new_variance != variance or moved):
                changes.append((ref, at, old_reason, quantity, new_value - value,
                                new_variance - variance, moved))  # fmt: skip
        key.state = replay.state
        key.changed = True
        self._correct(key, backdated, changes)

    def _correct(self, key: _Key, backdated: StockMove, changes: list[tuple]) -> None:
        """Record the corrections a replay of ``key`` found, on behalf of ``backdated`` (whose
        document's correcting entry posts them), and carry a re-valued transfer's outgoing
        leg over to its incoming leg in the other warehouse."""
        sums: dict[tuple[str, bool], Decimal] = {}
        follow = []
        for ref, at, reason, quantity, delta, variance, receipt in changes:
            self.fixes.append(_Fix(key, ref, at, delta, variance, backdated, receipt))
            if reason == Reason.TRANSFER:
                if quantity < 0:
                    incoming = self._transfer_in(ref)
                    if incoming is not None:
                        follow.append((incoming, -delta))  # what now left arrives
                        continue
                    # No incoming leg known (booked before legs were linked): it posts alone.
                else:
                    delta -= receipt  # the incoming leg's change beyond what arrived
            group = (reason, quantity > 0)
            sums[group] = sums.get(group, ZERO) + delta
        if sums:
            self.revalued.append((backdated, key, sums))
        for (warehouse_id, target), receipt in follow:
            self._follow(self._key(key.item, warehouse_id), target, receipt, backdated)

    def _transfer_in(self, ref: int | StockMove) -> tuple[int, tuple] | None:
        """The warehouse and the reference of the incoming leg of a transfer's outgoing leg."""
        if isinstance(ref, StockMove):
            into = self.transfer_in.get(id(ref))
            return None if into is None else (into.warehouse_id, _ref(into))
        found = (
            StockMove.objects.filter(transfer_from_id=ref).values_list("warehouse_id", "pk").first()
        )
        return None if found is None else (found[0], ("stored", found[1]))

    def _key(self, item: Item, warehouse_id: int) -> _Key:
        """The key of ``item`` in a warehouse, locked now if the batch does not hold it yet."""
        pair = (item.pk, warehouse_id)
        if pair not in self.keys:
            balance = _locked_balances({pair})[pair]
            warehouse = Warehouse.objects.get(pk=warehouse_id)
            self.keys[pair] = _Key(item=item, warehouse=warehouse, balance=balance,
                                   state=_state(balance), last=balance.last_moved_at)  # fmt: skip
        return self.keys[pair]

    # --- writes -------------------------------------------------------------------------------

    def write(self, now: dt.datetime) -> None:
        """Write the entries, the rows, their corrections and the balances.

        When every move comes from a document (what the ERP's own flows and the front modules'
        events book), the entries are posted first and the rows written pointing at them.
        A move without one posts an entry pointing back at it, so the rows go first and are
        linked to their entries afterwards (one more statement).
        """
        documented = all(row.source_type for row in self.rows if _posts(row)) and all(
            backdated.source_type for backdated, _key, _sums in self.revalued
        )
        balances = []
        for key in self.keys.values():
            if key.rows or key.changed:
                _store_state(key.balance, key.state, now)
                balances.append(key.balance)
        # One balance changed (the usual one-item posting): its update shares the round trip of
        # the rows' insert on PostgreSQL.
        along = _balance_update(balances[0]) if documented and len(balances) == 1 else None
        if not documented:
            db_rows.insert(StockMove, self.rows, _MOVE_FIELDS)
        periods = self._lock_periods()
        entries, members = self._entries()
        posted = posting.post(entries, actor=self.actor, periods=periods)
        links = {}
        for entry, rows in zip(posted, members, strict=True):
            for row in rows:
                row.journal_entry = entry
                links[id(row)] = (row, entry.pk)
        if documented:
            db_rows.insert(StockMove, self.rows, _MOVE_FIELDS, along=along)
        elif len(linked := {entry for _row, entry in links.values()}) == 1:
            StockMove.objects.filter(pk__in=[row.pk for row, _entry in links.values()]).update(
                journal_entry_id=linked.pop()
            )
        elif links:
            StockMove.objects.filter(pk__in=[row.pk for row, _entry in links.values()]).update(
                journal_entry_id=Case(
                    *[When(pk=row.pk, then=Value(entry)) for row, entry in links.values()],
                    output_field=BigIntegerField(),
                )
            )
        if self.transfer_in:
            StockMove.objects.filter(pk__in=[into.pk for into in self.transfer_in.values()]).update(
                transfer_from_id=Case(
                    *[When(pk=into.pk, then=Value(out.pk)) for out, into in self._transfer_pairs()],
                    output_field=BigIntegerField(),
                )
            )
        if self.fixes:
            _insert_revaluations(self.fixes, now)
        if along is not None:
            return  # written with the rows
        if len(balances) == 1:
            statement = _balance_update(balances[0])
            with connection.cursor() as cursor:
                db_rows.execute(cursor, statement.sql, statement.params)
        elif balances:
            StockBalance.objects.bulk_update(balances, _BALANCE_FIELDS)

    def _lock_periods(self) -> PostingPeriods | None:
        """Lock the periods of the entries this batch will post (the moves' days, and today for
        a correcting entry) before their accounts are looked up: the posting rules' version
        comes with them. ``None`` when nothing posts (transfers only)."""
        dates = {timezone.localdate(row.moved_at) for row in self.rows if _posts(row)}
        if self.revalued:
            dates.add(timezone.localdate())
        return posting.lock_periods(dates) if dates else None

    def _transfer_pairs(self) -> Iterator[tuple[StockMove, StockMove]]:
        outs = {id(row): row for row in self.rows if row.reason == Reason.TRANSFER}
        for out_id, into in self.transfer_in.items():
            yield outs[out_id], into

    def _entries(self) -> tuple[list[EntryInput], list[list[StockMove]]]:
        """One entry per source document and day (a move without a document: its own), and one
        correcting entry, dated today, per document whose backdated moves re-valued others."""
        accounts = posting.Accounts()
        groups: dict[tuple, tuple[posting.Amounts, list[StockMove]]] = {}
        for row in self.rows:
            if not _posts(row):
                continue
            amounts, rows = groups.setdefault(_entry_group(row), (posting.new_amounts(), []))
            incoming = row.quantity > 0 or row.reason == Reason.VALUE_ADJUSTMENT
            if row.reason == Reason.COST_CHANGE:
                document = ZERO  # the whole revaluation goes to the difference account
            else:
                document = row.receipt_value if incoming else row.value
            posting.add_move(
                amounts, accounts, category_code=_category_code(row.item), reason=row.reason,
                incoming=incoming, value=row.value, document=document,
                method=row.item.costing_method,
            )  # fmt: skip
            rows.append(row)
        corrections: dict[tuple, tuple[posting.Amounts, list[StockMove]]] = {}
        for backdated, key, sums in self.revalued:
            amounts, rows = corrections.setdefault(
                _entry_group(backdated), (posting.new_amounts(), [])
            )
            for (reason, incoming), delta in sums.items():
                posting.add_revaluation(
                    amounts, accounts, category_code=_category_code(key.item), reason=reason,
                    incoming=incoming, delta=delta, method=key.item.costing_method,
                )  # fmt: skip
            rows.append(backdated)
        entries, members = [], []
        numbers = source_numbers(
            (rows[0].source_type, rows[0].source_id)
            for _amounts, rows in (*groups.values(), *corrections.values())
        )
        for (amounts, rows), correcting in (
            *((group, False) for group in groups.values()),
            *((group, True) for group in corrections.values()),
        ):
            memo = _memo(rows, correcting=correcting, numbers=numbers)
            lines = posting.entry_lines(amounts, memo)
            if not lines:
                continue
            first = rows[0]
            entries.append(
                EntryInput(
                    date=timezone.localdate() if correcting else timezone.localdate(first.moved_at),
                    memo=memo,
                    lines=lines,
                    source_type=first.source_type or "stock.move",
                    source_id=_source_id(first.source_id) if first.source_type else first.pk,
                )
            )
            members.append([] if correcting else rows)
        return entries, members


def _posts(row: StockMove) -> bool:
    """Whether a move posts: all do but a transfer, which stays on the same inventory account —
    unless its incoming leg took in less or more than left (a cent of valuing it at standard,
    or settling negative stock), a difference that posts."""
    return row.reason != Reason.TRANSFER or (row.quantity > 0 and bool(row.variance))


def _memo(rows: list[StockMove], *, correcting: bool, numbers: dict[tuple[str, str], str]) -> Memo:
    """What the entry of ``rows`` is, as a memo kind and its values (shown in the reader's
    language); ``numbers`` holds the source documents' numbers."""
    first = rows[0]
    # A document's number, or (for a source that is no document) its type and id, read in the
    # reader's language when shown.
    document: dict[str, str] = {"document": numbers.get((first.source_type, first.source_id), "")}
    if not document["document"] and first.source_type:
        document.update(source_type=first.source_type, source_id=first.source_id)
    if correcting:
        if not first.source_type:
            return Memo("stock_revaluation_move", {"move": str(first.pk), "item": first.item.code})
        return Memo("stock_revaluation", document)
    if len(rows) == 1:
        return Memo(
            f"stock_{first.reason}",
            {
                **document,
                "item": first.item.code,
                "quantity": format(first.quantity.normalize(), "f"),
            },
        )
    reasons = sorted({str(row.reason) for row in rows})
    return Memo("stock_batch", {"reasons": reasons, **document, "count": len(rows)})


_REVALUATION_COLUMNS = (
    "item_id", "warehouse_id", "moved_at", "reason", "quantity", "unit_cost", "value",
    "receipt_value", "variance", "corrects_id", "source_type", "source_id", "source_event_id",
    "created_at",
)  # fmt: skip


def _insert_revaluations(fixes: list[_Fix], now: dt.datetime) -> None:
    """Write the revaluation rows: COPY on PostgreSQL (a backdated move may correct hundreds of
    thousands), bulk inserts elsewhere."""
    null = "\\N"  # COPY's text format
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy_expert"):
            sql = f"COPY {StockMove._meta.db_table} ({', '.join(_REVALUATION_COLUMNS)}) FROM STDIN"
            # The columns each backdated move's corrections in one warehouse share, made once
            # (a re-valued transfer carries its corrections into the receiving warehouse).
            shared: dict[tuple[int, int], tuple[str, str]] = {}
            for first in range(0, len(fixes), 50_000):
                buffer = io.StringIO()
                for fix in fixes[first : first + 50_000]:
                    key, corrects, moved_at, value, variance, backdated = fix[:6]
                    if (id(backdated), id(key)) not in shared:
                        event = backdated.source_event_id
                        shared[id(backdated), id(key)] = (
                            f"{key.item.pk}\t{key.warehouse.pk}\t",
                            f"\tstock.move\t{backdated.pk}\t{event or null}\t{now}\n",
                        )
                    head, tail = shared[id(backdated), id(key)]
                    if not isinstance(corrects, int):
                        corrects = corrects.pk
                    receipt = fix.receipt or null
                    buffer.write(
                        f"{head}{moved_at}\trevaluation\t0\t0\t{value}\t{receipt}\t{variance}\t"
                        f"{corrects}{tail}"
                    )
                buffer.seek(0)
                cursor.copy_expert(sql, buffer)
            return
    StockMove.objects.bulk_create(
        (
            StockMove(
                item=fix.key.item,
                warehouse=fix.key.warehouse,
                moved_at=fix.moved_at,
                reason=Reason.REVALUATION,
                quantity=ZERO,
                unit_cost=ZERO,
                value=fix.value,
                receipt_value=fix.receipt or None,
                variance=fix.variance,
                corrects_id=fix.corrects if isinstance(fix.corrects, int) else fix.corrects.pk,
                source_type="stock.move",
                source_id=str(fix.backdated.pk),
                source_event_id=fix.backdated.source_event_id,
            )
            for fix in fixes
        ),
        batch_size=2000,
    )


# --- Services ----------------------------------------------------------------------------------


def _book(lines: Sequence[MoveLine], *, actor) -> list[StockMove]:
    """Check, lock, value and write a batch; the rows in the order of the lines."""
    now = timezone.now()
    times = _check_lines(lines, now)
    _refuse_if_operated(lines)
    pairs, items, warehouses = set(), {}, {}
    for line in lines:
        for warehouse in (line.warehouse, line.to_warehouse):
            if warehouse is not None:
                pairs.add((line.item.pk, warehouse.pk))
                warehouses.setdefault(warehouse.pk, warehouse)
        items.setdefault(line.item.pk, line.item)
    _load_categories(list(items.values()))
    keys = {
        pair: _Key(
            item=items[pair[0]],
            warehouse=warehouses[pair[1]],
            balance=balance,
            state=_state(balance),
            last=balance.last_moved_at,
        )
        for pair, balance in _locked_balances(pairs).items()
    }
    batch = _Batch(keys, actor)
    for n, (line, moved_at) in enumerate(zip(lines, times, strict=True), start=1):
        key = keys[(line.item.pk, line.warehouse.pk)]
        common = {"n": n, "reason": line.reason, "moved_at": moved_at, "source": line.source}
        try:
            if line.reason == Reason.TRANSFER:
                out = batch.book(key, quantity=-line.quantity, **common)
                batch.transfer_in[id(out)] = batch.book(
                    keys[(line.item.pk, line.to_warehouse.pk)],
                    quantity=line.quantity,
                    value=-out.value,
                    **common,
                )
                continue
            unit_cost = line.unit_cost if line.quantity > 0 else None
            if line.quantity > 0 and unit_cost is None:
                unit_cost = _current_cost(line.item, key.state)
                _check_cost(unit_cost)
            if unit_cost is not None:
                # Unit costs keep six places: the receipt is valued at what the ledger stores.
                unit_cost = unit_cost.quantize(UNIT_COST, rounding=ROUND_HALF_UP)
            batch.book(key, quantity=line.quantity, unit_cost=unit_cost, **common)
        except NegativeStockError as exc:
            message = _lazy_text(
                NOT_ON_HAND,
                {
                    "item": line.item.code,
                    "warehouse": key.warehouse.code,
                    "wanted": exc.wanted,
                    "on_hand": exc.on_hand,
                },
            )
            if len(lines) > 1:
                message = _lazy_text(ON_LINE, {"n": n, "message": message})
            raise ValidationError(
                {"quantity": ValidationError(message, code="not_on_hand")}
            ) from exc
    batch.write(now)
    return batch.rows


@transaction.atomic
def stock_standard_cost_revalue(
    *, item: Item, old_cost: Decimal, actor=None, **_signal
) -> list[StockMove]:
    """Revalue a standard-cost item's stock on hand at its new standard cost, now.

    ``item`` carries the new standard cost (saved); ``old_cost`` is the one it replaces. Every
    warehouse that has held the item gets a ``cost_change`` row (quantity 0, the old and the new
    standard, the value its stock moved by) — also at nothing on hand, so that a move backdated
    before the change is valued at the standard of its time — and the differences post one
    entry, dated today: inventory against the price-difference account (1404 材料成本差异).
    Items at an actual cost are not revalued. Receives ``item_standard_cost_changed``.
    """
    if item.costing_method != CostingMethod.STANDARD:
        return []
    now = timezone.now()
    _load_categories([item])
    pairs = set(StockBalance.objects.filter(item_id=item.pk).values_list("item_id", "warehouse_id"))
    if not pairs:
        return []
    balances = _locked_balances(pairs)
    warehouses = Warehouse.objects.in_bulk([warehouse_id for _item, warehouse_id in pairs])
    keys = {
        pair: _Key(
            item=item,
            warehouse=warehouses[pair[1]],
            balance=balance,
            state=_state(balance),
            last=balance.last_moved_at,
        )
        for pair, balance in balances.items()
    }
    batch = _Batch(keys, actor)
    source = Source(type="masterdata.item", id=str(item.pk))
    for n, (_pair, key) in enumerate(sorted(keys.items()), start=1):
        row = batch.book(key, n=n, quantity=ZERO, unit_cost=item.standard_cost,
                         reason=Reason.COST_CHANGE, moved_at=now, source=source)  # fmt: skip
        row.unit_cost, row.receipt_unit_cost = old_cost, item.standard_cost
    batch.write(now)
    return batch.rows


@dataclass(frozen=True)
class ValueLine:
    """One value adjustment given to ``stock_value_adjust``: ``amount`` (+ the goods cost more,
    − less) for ``basis`` units of ``item`` received into ``warehouse``."""

    item: Item
    warehouse: Warehouse
    amount: Decimal
    basis: Decimal


def _on_hand_at(keys: dict[tuple[int, int], "_Key"], moved_at: dt.datetime) -> dict:
    """The quantity on hand at ``moved_at`` of each locked (item, warehouse): the balance when
    nothing is booked after that time, else the sum of the rows up to it (one query for all
    such pairs)."""
    on_hand = {pair: key.state.quantity for pair, key in keys.items()}
    later = {pair for pair, key in keys.items() if key.last is not None and key.last > moved_at}
    if later:
        on_hand.update(dict.fromkeys(later, ZERO))
        items = {item_id for item_id, _warehouse in later}
        rows = (
            StockMove.objects.filter(item_id__in=items, moved_at__lte=moved_at)
            .values_list("item_id", "warehouse_id")
            .annotate(total=Sum("quantity"))
            .order_by()
        )
        for item_id, warehouse_id, total in rows:
            if (item_id, warehouse_id) in later:
                on_hand[(item_id, warehouse_id)] = total or ZERO
    return on_hand


def _spread(
    line: ValueLine, on_hand: dict[tuple[int, int], Decimal], warehouses: dict[int, Warehouse]
) -> list[ValueLine]:
    """A value adjustment followed to where its goods are: the receipt's warehouse takes the
    share of what it holds; when it holds less than ``basis`` (some went out by transfer), the
    rest of the basis goes to the item's other warehouses with stock on hand, in proportion to
    what they hold (all of it where they hold no more than that rest), each at the line's
    amount per unit. What no warehouse holds stays with the receipt's warehouse, whose valuation
    gives it to the cost of sales. Amounts to the cent; the receipt's warehouse takes the rest.
    """
    item_id, home = line.item.pk, line.warehouse.pk
    rest = line.basis - min(max(on_hand.get((item_id, home), ZERO), ZERO), line.basis)
    others = sorted(
        (warehouse_id, quantity)
        for (other_item, warehouse_id), quantity in on_hand.items()
        if other_item == item_id and warehouse_id != home and quantity > 0
    )
    held = sum((quantity for _warehouse, quantity in others), ZERO)
    if rest <= 0 or held <= 0:
        return [line]
    spread, given, given_basis = [], ZERO, ZERO
    for warehouse_id, quantity in others:
        basis = (
            quantity
            if held <= rest
            else (rest * quantity / held).quantize(BASIS_PLACES, rounding=ROUND_DOWN)
        )
        amount = money(line.amount * basis / line.basis)
        if basis <= 0 or not amount:
            continue
        spread.append(ValueLine(line.item, warehouses[warehouse_id], amount, basis))
        given += amount
        given_basis += basis
    left, left_basis = line.amount - given, line.basis - given_basis
    if spread and left_basis <= 0:  # the others hold it all: the last takes the cent of rounding
        last = spread[-1]
        spread[-1] = ValueLine(last.item, last.warehouse, last.amount + left, last.basis)
        left = ZERO
    if not left:  # the receipt's warehouse keeps no amount: nothing to book there
        return spread
    return [ValueLine(line.item, line.warehouse, left, left_basis), *spread]


@transaction.atomic
def stock_value_adjust(
    *,
    lines: Sequence[ValueLine],
    source: Source,
    moved_at: dt.datetime | None = None,
    actor=None,
) -> list[StockMove]:
    """Re-value goods received at an actual cost by what their supplier billed beyond (or
    credited below) the price they were received at: value-only moves (quantity 0).

    Each line re-values its item's stock on hand by the share of the amount still on hand, the
    goods followed to where they are (``_spread``): the receipt's warehouse first, then the
    item's other warehouses for what went out of it by transfer. In each warehouse the share
    is all of its part when at least its basis is on hand, else ``amount × on hand ÷ basis``,
    never below a value of zero; the share of what went out of the company goes to the cost of
    sales. The document (``source``) posts one entry: Dr/Cr the inventory account and 6401
    主营业务成本, Cr/Dr the GR/IR account the bill cleared the amount through (1401 材料采购). A
    standard-cost item is not re-valued (its price difference stays on 1404): such a line is
    refused, like a line of no amount or no basis.
    """
    now = timezone.now()
    moved_at = moved_at or now
    if timezone.is_naive(moved_at) or moved_at > now + dt.timedelta(minutes=5):
        raise ValidationError({"moved_at": _("A move cannot be booked in the future.")})
    if not lines:
        raise ValidationError({"lines": _("Give a list of stock moves.")})
    for line in lines:
        # An item made inactive since its receipt is still billed: only a service is refused.
        if line.item.item_type == Item.ItemType.SERVICE:
            raise ValidationError({"item": _("A service item has no stock.")})
        if line.item.costing_method == CostingMethod.STANDARD:
            raise ValidationError(
                {"item": _("A standard-cost item keeps its price difference on 1404.")}
            )
        for number in (line.amount, line.basis):
            if not isinstance(number, Decimal) or not number.is_finite():
                raise ValidationError({"amount": _("The amount must be a number.")})
        if not line.amount or line.basis <= 0:
            raise ValidationError({"amount": _("A value adjustment needs an amount and a basis.")})
    items = {line.item.pk: line.item for line in lines}
    # Every warehouse holding the items is locked: the goods may have gone on by transfer.
    pairs = {(line.item.pk, line.warehouse.pk) for line in lines} | set(
        StockBalance.objects.filter(item_id__in=items).values_list("item_id", "warehouse_id")
    )
    _load_categories(list(items.values()))
    warehouses = {line.warehouse.pk: line.warehouse for line in lines}
    warehouses |= Warehouse.objects.in_bulk({w for _i, w in pairs} - warehouses.keys())
    keys = {
        pair: _Key(
            item=items[pair[0]],
            warehouse=warehouses[pair[1]],
            balance=balance,
            state=_state(balance),
            last=balance.last_moved_at,
        )
        for pair, balance in _locked_balances(pairs).items()
    }
    on_hand = _on_hand_at(keys, moved_at)
    batch = _Batch(keys, actor)
    spread = [part for line in lines for part in _spread(line, on_hand, warehouses)]
    for n, line in enumerate(spread, start=1):
        batch.book(
            keys[(line.item.pk, line.warehouse.pk)], n=n, quantity=ZERO,
            reason=Reason.VALUE_ADJUSTMENT, moved_at=moved_at, source=source,
            value=line.amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
            basis=line.basis,
        )  # fmt: skip
    batch.write(now)
    return batch.rows


def revalue_on_standard_cost_change(sender, *, item: Item, old_cost: Decimal, **kwargs) -> None:
    """Receiver of ``item_standard_cost_changed`` (connected in ``StockConfig.ready``)."""
    stock_standard_cost_revalue(item=item, old_cost=old_cost)


@transaction.atomic
def stock_moves_book(*, lines: Sequence[MoveLine], actor=None) -> list[StockMove]:
    """Book a batch of moves as one unit of work: all of them, or none.

    Returns the ledger rows in the order of the lines (a transfer gives two: out, then in).
    Refused with a ``ValidationError`` naming the line: bad input on any line, an issue beyond
    what is on hand at its time, a date in a closed period.
    """
    return _book(lines, actor=actor)


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
    _check_quantity(quantity)
    _check_cost(unit_cost)
    (row,) = _book(
        [MoveLine(item=item, warehouse=warehouse, quantity=quantity, reason=reason,
                  unit_cost=unit_cost, moved_at=moved_at, source=source)],
        actor=actor,
    )  # fmt: skip
    return row


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
    _check_quantity(quantity)
    (row,) = _book(
        [MoveLine(item=item, warehouse=warehouse, quantity=-quantity, reason=reason,
                  moved_at=moved_at, source=source)],
        actor=actor,
    )  # fmt: skip
    return row


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
    (row,) = _book(
        [MoveLine(item=item, warehouse=warehouse, quantity=quantity, reason=Reason.ADJUSTMENT,
                  unit_cost=unit_cost if quantity > 0 else None, moved_at=moved_at,
                  source=source)],
        actor=actor,
    )  # fmt: skip
    return row


NOTE_LENGTH = 255


@transaction.atomic
def stock_adjustment_book(
    *,
    item: Item,
    warehouse: Warehouse,
    quantity: Decimal | str,
    reason: str,
    unit_cost: Decimal | str | None = None,
    abnormal: bool = False,
    actor=None,
) -> StockMove:
    """Book an adjustment a person counted, with the reason they give (a count, goods that come
    back, breakage): a gain (+) at ``unit_cost`` or the current cost, a loss (−).

    The reason is kept on the ledger row; numbers go through the one parser, within the
    ledger's columns, so a page, the API and an import are answered alike.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the stock is adjusted.")})
    if len(reason) > NOTE_LENGTH:
        raise ValidationError(
            {"reason": _("Say it in at most %(max)d characters.") % {"max": NOTE_LENGTH}}
        )
    quantity = quantity_for(item, quantity, bounds=StockMove._meta.get_field("quantity"))
    if unit_cost is not None and unit_cost != "":
        unit_cost = parse_decimal(
            unit_cost, field="unit_cost", bounds=StockMove._meta.get_field("unit_cost"), min_value=0
        )
        if quantity < 0:
            raise ValidationError(
                {"unit_cost": _("A loss is valued by the costing method: give no unit cost.")}
            )
    else:
        unit_cost = None
    return stock_adjust(
        item=item,
        warehouse=warehouse,
        quantity=quantity,
        unit_cost=unit_cost,
        source=Source(note=reason, abnormal=bool(abnormal) and quantity < 0),
        actor=actor,
    )


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
    _check_quantity(quantity)
    out, into = _book(
        [MoveLine(item=item, warehouse=from_warehouse, to_warehouse=to_warehouse,
                  quantity=quantity, reason=Reason.TRANSFER, moved_at=moved_at, source=source)],
        actor=actor,
    )  # fmt: skip
    return out, into


@dataclass(frozen=True)
class OpeningLine:
    """One line of an opening balance: an item's quantity on hand and its unit cost."""

    item: Item
    quantity: Decimal
    unit_cost: Decimal


OPENING_SOURCE = "stock.opening"


@transaction.atomic
def stock_opening_balance_post(
    *,
    warehouse: Warehouse,
    lines: Sequence[OpeningLine],
    reference: str,
    moved_at: dt.datetime | None = None,
    actor=None,
) -> list[StockMove]:
    """Book the stock a company holds when it starts its books here, as its own document.

    Each line comes in at its unit cost (reason ``opening``); the document posts one entry:
    Dr each item category's inventory account (1403 原材料, 1405 库存商品, 1411 周转材料…),
    Cr the opening-balance equity account (4190 期初余额, the ``opening_balance`` rule) — never
    1401 材料采购, which only bills clear. ``reference`` names the document (its source id);
    a reference already booked is refused.
    """
    reference = (reference or "").strip()
    if not reference or len(reference) > 50:
        raise ValidationError({"reference": _("Give the opening balance a reference.")})
    if not lines:
        raise ValidationError({"lines": _("An opening balance needs at least one line.")})
    if StockMove.objects.filter(source_type=OPENING_SOURCE, source_id=reference).exists():
        raise ValidationError(
            {"reference": _("The opening balance %(ref)s is booked.") % {"ref": reference}}
        )
    moves = []
    for line in lines:
        quantity = quantity_for(
            line.item, line.quantity, bounds=StockMove._meta.get_field("quantity")
        )
        unit_cost = parse_decimal(
            line.unit_cost,
            field="unit_cost",
            bounds=StockMove._meta.get_field("unit_cost"),
            min_value=0,
        )
        moves.append(
            MoveLine(item=line.item, warehouse=warehouse, quantity=quantity,
                     reason=Reason.OPENING, unit_cost=unit_cost, moved_at=moved_at,
                     source=Source(type=OPENING_SOURCE, id=reference))
        )  # fmt: skip
    return _book(moves, actor=actor)
