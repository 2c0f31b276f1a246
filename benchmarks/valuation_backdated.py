"""Backdated move: how long re-valuing 50,000 later moves takes in the valuation engine.

Prints, per costing method, the time to re-run the later moves from the state before a
backdated receipt and to list the moves whose value changed. This is the engine's share of a
backdated posting; the stock ledger's database writes come on top.

    .venv/bin/python benchmarks/valuation_backdated.py [--moves 50000]
"""

import argparse
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from erp_core.valuation import CostingMethod, Move, revaluation, value_moves


def history(count: int, seed: int = 7) -> list[Move]:
    """Alternating receipts and issues that never go below zero."""
    rng = random.Random(seed)
    moves, on_hand = [], Decimal(0)
    for n in range(count):
        if on_hand > 10 and rng.random() < 0.5:
            quantity = Decimal(rng.randint(1, int(on_hand) // 2))
            moves.append(Move(n, -quantity))
            on_hand -= quantity
        else:
            quantity = Decimal(rng.randint(1, 100))
            moves.append(Move(n, quantity, Decimal(rng.randint(100, 99_999)) / 100))
            on_hand += quantity
    return moves


def main() -> None:
    """Value a history, insert a receipt at the start, re-value, and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--moves", type=int, default=50_000)
    args = parser.parse_args()
    moves = history(args.moves)
    for method in CostingMethod:
        booked = value_moves(method=method, moves=moves, standard_cost=Decimal("12.34"))
        backdated = Move(-1, Decimal("25"), Decimal("7.77"))
        started = time.perf_counter()
        rerun = value_moves(
            method=method, moves=[backdated, *moves], standard_cost=Decimal("12.34")
        )
        corrections = revaluation(booked=booked, revalued=rerun)
        elapsed = time.perf_counter() - started
        print(
            f"{method.value:15} {args.moves} later moves re-valued in {elapsed * 1000:.0f} ms, "
            f"{len(corrections)} corrections"
        )


if __name__ == "__main__":
    main()
