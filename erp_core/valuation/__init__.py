"""Inventory valuation as plain Python over dataclasses: no ORM inside.

The stock ledger service loads an item × warehouse's moves, asks this package what each move is
worth under the item's costing method (moving average, FIFO, standard), and saves the answer
with its journal entries. A backdated move re-runs the later moves from the state just before
it; the differences become correcting entries.
"""

from erp_core.valuation.engine import (
    CostingMethod,
    Layer,
    Move,
    NegativeStockError,
    Replay,
    State,
    ValuedMove,
    revaluation,
    value_move,
    value_moves,
)

__all__ = [
    "CostingMethod",
    "Layer",
    "Move",
    "NegativeStockError",
    "Replay",
    "State",
    "ValuedMove",
    "revaluation",
    "value_move",
    "value_moves",
]
