"""The optimising scheduler: OR-Tools CP-SAT, warm-started from the dispatching heuristic.

``solve`` builds the model (one interval per operation and eligible machine, one of them
present; routing precedence; a no-overlap per machine that holds the machine's breaks as fixed
intervals; frozen operations fixed) and minimises, lexicographically through weights, total
weighted tardiness, then makespan, then the operations moved against the previous plan.

``optimise`` is what the services call: the heuristic first, then CP-SAT hinted with it for the
time left, then — on large instances — a large-neighbourhood search that frees a window of the
plan at a time while the rest keeps its machines and order, so the answer keeps improving as the
time limit grows. The answer is never worse than the heuristic's.
"""

from __future__ import annotations

import itertools
import random
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from erp_core.scheduling.core.dispatch import best_dispatch
from erp_core.scheduling.core.model import Assignment, Key, Problem, Schedule, check, score

#: Above this many operations a single model is not enough: optimise by neighbourhoods.
LNS_THRESHOLD = 400


@dataclass(frozen=True)
class Fixed:
    """An operation held on its machine, after ``not_before`` and in its machine order."""

    machine: Key
    not_before: int


def solve(
    problem: Problem,
    *,
    seconds: float,
    hint: Schedule | None = None,
    workers: int = 8,
    fixed: dict[Key, Fixed] | None = None,
    sequences: dict[Key, list[Key]] | None = None,
    horizon: int | None = None,
) -> Schedule | None:
    """The best schedule CP-SAT finds in ``seconds`` (``None`` when it finds none).

    ``fixed`` holds operations on one machine; ``sequences`` adds, per machine, an order the
    listed operations must keep (both used by the neighbourhood search).
    """
    fixed = fixed or {}
    model = cp_model.CpModel()
    has_due = any(job.due is not None for job in problem.jobs)
    total = sum(
        max(op.durations.values()) if op.durations else 0
        for job in problem.jobs
        for op in job.operations
    )
    latest_break = max((b[-1][0] for b in problem.breaks.values() if b), default=0)
    latest_release = max((job.release for job in problem.jobs), default=0)
    if horizon is None:
        horizon = max(latest_break, latest_release) + total
        if hint is not None:
            if not has_due and not problem.previous:
                horizon = hint.makespan()
            else:
                horizon = max(horizon, hint.makespan())
    starts: dict[Key, cp_model.IntVar] = {}
    ends: dict[Key, cp_model.IntVar] = {}
    presence: dict[tuple[Key, Key], cp_model.IntVar] = {}
    per_machine: dict[Key, list] = {}
    job_ends = []
    tardiness_terms = []
    for job in problem.jobs:
        previous_end = None
        for operation in job.operations:
            if operation.frozen:
                machine, start = operation.frozen
                duration = operation.durations.get(machine, 0)
                s = model.new_constant(start)
                e = model.new_constant(start + duration)
                per_machine.setdefault(machine, []).append(
                    model.new_fixed_size_interval_var(start, duration, f"f{operation.id}")
                )
            else:
                low = job.release
                s = model.new_int_var(low, horizon, f"s{operation.id}")
                e = model.new_int_var(low, horizon, f"e{operation.id}")
                hold = fixed.get(operation.id)
                options = (
                    {hold.machine: operation.durations[hold.machine]}
                    if hold
                    else operation.durations
                )
                if hold:
                    model.add(s >= hold.not_before)
                if len(options) == 1:
                    ((machine, duration),) = options.items()
                    interval = model.new_interval_var(s, duration, e, f"i{operation.id}")
                    per_machine.setdefault(machine, []).append(interval)
                    presence[(operation.id, machine)] = model.new_constant(1)
                    if not problem.respects_breaks(operation, machine):
                        per_machine[machine][-1] = (interval, False)
                else:
                    literals = []
                    for machine, duration in options.items():
                        literal = model.new_bool_var(f"p{operation.id}_{machine}")
                        interval = model.new_optional_interval_var(
                            s, duration, e, literal, f"i{operation.id}_{machine}"
                        )
                        entry = interval
                        if not problem.respects_breaks(operation, machine):
                            entry = (interval, False)
                        per_machine.setdefault(machine, []).append(entry)
                        presence[(operation.id, machine)] = literal
                        literals.append(literal)
                    model.add_exactly_one(literals)
            if previous_end is not None:
                model.add(s >= previous_end)
            starts[operation.id], ends[operation.id] = s, e
            previous_end = e
        if job.operations:
            job_ends.append(previous_end)
            if job.due is not None:
                late = model.new_int_var(0, max(0, horizon - job.due), f"t{job.id}")
                model.add(late >= previous_end - job.due)
                tardiness_terms.append(job.weight * late)
    for machine, entries in per_machine.items():
        with_breaks = [entry for entry in entries if not isinstance(entry, tuple)]
        through = [entry[0] for entry in entries if isinstance(entry, tuple)]
        breaks = [
            model.new_fixed_size_interval_var(start, min(end, horizon + 1) - start, "b")
            for start, end in problem.breaks.get(machine, ())
            if start < horizon
        ]
        stops = [
            model.new_fixed_size_interval_var(start, min(end, horizon + 1) - start, "x")
            for start, end in problem.stops.get(machine, ())
            if start < horizon
        ]
        model.add_no_overlap(with_breaks + through + stops)
        if breaks and with_breaks:
            model.add_no_overlap(with_breaks + breaks + stops)
    for order in (sequences or {}).values():
        for first, second in itertools.pairwise(order):
            model.add(starts[second] >= ends[first])
    makespan = model.new_int_var(0, horizon, "makespan")
    model.add_max_equality(makespan, job_ends or [model.new_constant(0)])
    changes = []
    for operation_id, (machine, start) in problem.previous.items():
        if operation_id not in starts or (operation_id, machine) not in presence:
            continue
        stays = model.new_bool_var(f"k{operation_id}")
        model.add(starts[operation_id] == start).only_enforce_if(stays)
        model.add_implication(stays, presence[(operation_id, machine)])
        changes.append(stays)
    change_weight = 1
    makespan_weight = len(changes) + 1
    tardiness_weight = makespan_weight * (horizon + 1)
    objective = makespan_weight * makespan + change_weight * (len(changes) - sum(changes))
    if tardiness_terms:
        objective += tardiness_weight * sum(tardiness_terms)
    model.minimize(objective)
    by_operation: dict[Key, list[tuple[Key, cp_model.IntVar]]] = {}
    for (operation_id, machine), literal in presence.items():
        by_operation.setdefault(operation_id, []).append((machine, literal))
    if hint is not None:
        for operation_id, assignment in hint.assignments.items():
            if operation_id not in by_operation:
                continue
            model.add_hint(starts[operation_id], assignment.start)
            model.add_hint(ends[operation_id], assignment.end)
            if len(by_operation[operation_id]) > 1:
                for machine, literal in by_operation[operation_id]:
                    model.add_hint(literal, machine == assignment.machine)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    assignments = {}
    index = problem.operations()
    for operation_id, (_job, _i, operation) in index.items():
        start = solver.value(starts[operation_id])
        if operation.frozen:
            machine = operation.frozen[0]
        else:
            machine = next(
                m for m, literal in by_operation[operation_id] if solver.boolean_value(literal)
            )
        assignments[operation_id] = Assignment(
            operation_id, machine, start, start + operation.durations.get(machine, 0)
        )
    return Schedule(assignments, method="cp-sat", proven_optimal=status == cp_model.OPTIMAL)


def optimise(
    problem: Problem,
    *,
    seconds: float = 10,
    workers: int = 8,
    seed: int = 0,
    heuristic_seconds: float | None = None,
) -> Schedule:
    """The heuristic's schedule, improved by CP-SAT (and neighbourhoods) within ``seconds``."""
    deadline = time.monotonic() + seconds
    if heuristic_seconds is None:
        heuristic_seconds = min(0.5, seconds / 10)
    best = best_dispatch(problem, seconds=heuristic_seconds, seed=seed)
    best_key = score(problem, best).key()
    operations = sum(len(job.operations) for job in problem.jobs)
    left = deadline - time.monotonic()
    if left <= 0.05:
        return best
    if operations <= LNS_THRESHOLD:
        found = solve(problem, seconds=left, hint=best, workers=workers)
        if found is not None:
            check(problem, found)
            if score(problem, found).key() <= best_key:
                return found
        return best
    return _neighbourhoods(problem, best, deadline=deadline, workers=workers, seed=seed)


def _neighbourhoods(
    problem: Problem, best: Schedule, *, deadline: float, workers: int, seed: int
) -> Schedule:
    """Free a time window of the plan (or a few machines) at a time; keep what improves."""
    rng = random.Random(seed)
    best_key = score(problem, best).key()
    index = problem.operations()
    size = LNS_THRESHOLD // 2
    while time.monotonic() < deadline - 0.1:
        ordered = sorted(best.assignments.values(), key=lambda a: a.start)
        if rng.random() < 0.5:
            first = rng.randrange(max(1, len(ordered) - size))
            free = {a.operation_id for a in ordered[first : first + size]}
        else:
            machines = list({a.machine for a in ordered})
            rng.shuffle(machines)
            chosen: set[Key] = set()
            free = set()
            for machine in machines:
                chosen.add(machine)
                free = {a.operation_id for a in ordered if a.machine in chosen}
                if len(free) >= size:
                    break
        fixed: dict[Key, Fixed] = {}
        sequences: dict[Key, list[Key]] = {}
        for assignment in ordered:
            operation = index[assignment.operation_id][2]
            if operation.frozen or assignment.operation_id in free:
                continue
            fixed[assignment.operation_id] = Fixed(assignment.machine, 0)
            sequences.setdefault(assignment.machine, []).append(assignment.operation_id)
        left = min(deadline - time.monotonic(), 5.0)
        if left <= 0.05:
            break
        found = solve(
            problem,
            seconds=left,
            hint=best,
            workers=workers,
            fixed=fixed,
            sequences=sequences,
        )
        if found is None:
            continue
        check(problem, found)
        found_key = score(problem, found).key()
        if found_key <= best_key:
            best, best_key = found, found_key
            best.method = "cp-sat+lns"
    return best
