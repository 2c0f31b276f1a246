"""Job-shop benchmark: the project's scheduler against proven optima, and the plain rule.

Reads a file of job-shop instances (``/work/shared/data/jobshop/public.json`` and its README's
format), runs the scheduler (dispatching heuristic, then CP-SAT warm-started from it) on each,
checks every schedule's feasibility and prints one line per instance::

    name makespan optimum gap% seconds | first-free-slot makespan gap%

and last ``mean gap N%`` (and the plain rule's mean gap). Instances without a proven optimum use
their best known upper bound.

    python -m benchmarks.jobshop FILE [--time-limit SECONDS] [--workers 8] [--only ft06 la01]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from erp_core.scheduling.core.dispatch import first_free_slot
from erp_core.scheduling.core.model import Job, Operation, Problem, check
from erp_core.scheduling.core.solver import optimise


def problem_of(instance: dict) -> Problem:
    """The instance as a scheduling problem: job j's k-th operation on its one machine."""
    jobs = []
    for j, (durations, machines) in enumerate(
        zip(instance["duration_matrix"], instance["machines_matrix"], strict=True)
    ):
        operations = tuple(
            Operation(id=(j, k), durations={machine: duration})
            for k, (duration, machine) in enumerate(zip(durations, machines, strict=True))
        )
        jobs.append(Job(id=j, operations=operations))
    return Problem(jobs=tuple(jobs))


def reference(instance: dict) -> int:
    """The proven optimum, else the best known upper bound."""
    metadata = instance.get("metadata", {})
    return metadata.get("optimum") or metadata.get("upper_bound") or metadata["lower_bound"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance")
    parser.add_argument("--workers", type=int, default=8, help="CP-SAT search workers")
    parser.add_argument("--only", nargs="*", help="instance names to run")
    args = parser.parse_args(argv)
    instances = json.loads(args.file.read_text())
    gaps, plain_gaps, total = [], [], 0.0
    for name, instance in instances.items():
        if args.only and name not in args.only:
            continue
        problem = problem_of(instance)
        optimum = reference(instance)
        plain = first_free_slot(problem)
        check(problem, plain)
        started = time.perf_counter()
        schedule = optimise(problem, seconds=args.time_limit, workers=args.workers)
        seconds = time.perf_counter() - started
        check(problem, schedule)
        total += seconds
        makespan = schedule.makespan()
        gap = 100 * (makespan - optimum) / optimum
        plain_gap = 100 * (plain.makespan() - optimum) / optimum
        gaps.append(gap)
        plain_gaps.append(plain_gap)
        print(
            f"{name} {makespan} {optimum} {gap:.1f}% {seconds:.2f}"
            f" | first-free-slot {plain.makespan()} {plain_gap:.1f}%",
            flush=True,
        )
    if not gaps:
        print("no instance", file=sys.stderr)
        return 1
    print(f"first-free-slot mean gap {sum(plain_gaps) / len(plain_gaps):.1f}%")
    print(f"total seconds {total:.1f}")
    print(f"mean gap {sum(gaps) / len(gaps):.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
