"""Dispatching heuristics: fast, always feasible; the solver's warm start and its fallback.

``dispatch`` builds an active schedule the Giffler–Thompson way: among the jobs' next operations
it finds the one that can finish first, and only operations that could start before that time
compete for a place; a priority rule picks one, which takes the earliest slot (gaps included)
on its eligible machine that finishes it first. ``best_dispatch`` tries every rule and then
randomised variants while its time budget lasts, and keeps the best score.

``first_free_slot`` is what ERP schedulers that "slot work orders into the first free window"
do: order by order, each operation in the first free slot. Kept to compare against.
"""

from __future__ import annotations

import bisect
import random
import time
from collections.abc import Callable

from erp_core.scheduling.core.model import (
    Assignment,
    Job,
    Key,
    Operation,
    Problem,
    Schedule,
    overlaps_break,
    score,
)

INF = float("inf")


def _fit(intervals: list[tuple[int, int]], start: int, duration: int) -> int:
    """The earliest time ``>= start`` where ``duration`` fits between the sorted intervals."""
    index = bisect.bisect_right(intervals, (start, INF)) - 1
    if index < 0 or intervals[index][1] <= start:
        index += 1
    while index < len(intervals) and intervals[index][0] < start + duration:
        start = max(start, intervals[index][1])
        index += 1
    return start


class Timelines:
    """The busy intervals of every machine (operations placed so far) and its breaks."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.busy: dict[Key, list[tuple[int, int]]] = {}
        self.breaks = {machine: list(b) for machine, b in problem.breaks.items()}
        self.stops = {machine: list(b) for machine, b in problem.stops.items()}
        self._respects: dict[tuple[Key, Key], bool] = {}

    def earliest(self, operation: Operation, machine: Key, ready: int) -> int:
        """The earliest start on ``machine`` at or after ``ready``."""
        duration = operation.duration_on(machine)
        busy = self.busy.get(machine, [])
        respects = self._respects.get((operation.id, machine))
        if respects is None:
            respects = self.problem.respects_breaks(operation, machine)
            self._respects[(operation.id, machine)] = respects
        breaks = self.breaks.get(machine, []) if respects else []
        stops = self.stops.get(machine, [])
        start = ready
        while True:
            moved = _fit(busy, start, duration)
            if breaks:
                moved = _fit(breaks, moved, duration)
            if stops:
                moved = _fit(stops, moved, duration)
            if moved == start:
                return start
            start = moved

    def best(self, operation: Operation, ready: int) -> tuple[int, int, Key]:
        """``(end, start, machine)`` of the eligible machine that finishes the operation first."""
        best: tuple[int, int, Key] | None = None
        for machine, duration in operation.durations.items():
            start = self.earliest(operation, machine, ready)
            if best is None or (start + duration, start) < best[:2]:
                best = (start + duration, start, machine)
        assert best is not None
        return best

    def reserve(self, machine: Key, start: int, end: int) -> None:
        """Mark ``[start, end)`` busy on the machine."""
        if end > start:
            bisect.insort(self.busy.setdefault(machine, []), (start, end))

    def release(self, machine: Key, start: int, end: int) -> None:
        """Free a reservation made before."""
        if end > start:
            self.busy[machine].remove((start, end))


Rule = Callable[[Job, int, int, int], float]


def _remaining_work(job: Job, index: int) -> int:
    return sum(min(op.durations.values()) for op in job.operations[index:] if op.durations)


RULES: dict[str, Rule] = {
    # Each rule maps (job, index of the next operation, its start, its end) to a priority,
    # lower first.
    "mwkr": lambda job, i, start, end: -_remaining_work(job, i),
    "mopnr": lambda job, i, start, end: -(len(job.operations) - i),
    "spt": lambda job, i, start, end: end - start,
    "edd": lambda job, i, start, end: job.due if job.due is not None else INF,
    "slack": lambda job, i, start, end: (
        (job.due - start - _remaining_work(job, i)) / job.weight if job.due is not None else INF
    ),
}


def _place_frozen(problem: Problem, timelines: Timelines) -> dict[Key, Assignment]:
    placed = {}
    for job in problem.jobs:
        for operation in job.operations:
            if operation.frozen:
                machine, start = operation.frozen
                end = start + operation.durations.get(machine, 0)
                placed[operation.id] = Assignment(operation.id, machine, start, end)
                timelines.reserve(machine, start, end)
    return placed


def dispatch(
    problem: Problem, rule: str = "mwkr", *, rng: random.Random | None = None, noise: float = 0
) -> Schedule:
    """One active schedule built with a priority rule (randomised when ``noise`` > 0)."""
    priority = RULES[rule]
    timelines = Timelines(problem)
    assignments = _place_frozen(problem, timelines)
    cursor = [0] * len(problem.jobs)
    ready = [job.release for job in problem.jobs]
    pending = list(range(len(problem.jobs)))
    candidates: dict[int, tuple[int, int, Key]] = {}
    stale = set(pending)
    while pending:
        for j in list(stale):
            job = problem.jobs[j]
            while cursor[j] < len(job.operations) and job.operations[cursor[j]].frozen:
                ready[j] = max(ready[j], assignments[job.operations[cursor[j]].id].end)
                cursor[j] += 1
            if cursor[j] == len(job.operations):
                pending.remove(j)
                candidates.pop(j, None)
                continue
            candidates[j] = timelines.best(job.operations[cursor[j]], ready[j])
        stale.clear()
        if not pending:
            break
        first_end = min(candidates[j][0] for j in pending)
        conflict = [j for j in pending if candidates[j][1] < first_end] or pending

        def key(j: int) -> tuple[float, int]:
            end, start, _machine = candidates[j]
            value = priority(problem.jobs[j], cursor[j], start, end)
            if rng is not None and noise:
                value = value * (1 + noise * rng.uniform(-1, 1)) if value != INF else value
                return (value, rng.random())
            return (value, j)

        chosen = min(conflict, key=key)
        end, start, machine = candidates[chosen]
        operation = problem.jobs[chosen].operations[cursor[chosen]]
        assignments[operation.id] = Assignment(operation.id, machine, start, end)
        timelines.reserve(machine, start, end)
        ready[chosen] = end
        cursor[chosen] += 1
        # Candidates whose best slot was on this machine may have lost it.
        stale = {j for j in pending if candidates[j][2] == machine or j == chosen}
        # Alternatives on other machines did not change, but a job may now prefer another
        # machine only if its chosen one was taken: covered above.
    return Schedule(assignments, method=f"dispatch:{rule}")


def first_free_slot(problem: Problem) -> Schedule:
    """Order by order (earliest due first, then as given), each operation in the first free
    slot of the machine that finishes it first — the plain rule of ERP schedulers."""
    timelines = Timelines(problem)
    assignments = _place_frozen(problem, timelines)
    order = sorted(
        range(len(problem.jobs)),
        key=lambda j: (problem.jobs[j].due if problem.jobs[j].due is not None else INF, j),
    )
    for j in order:
        job = problem.jobs[j]
        ready = job.release
        for operation in job.operations:
            if operation.frozen:
                ready = max(ready, assignments[operation.id].end)
                continue
            end, start, machine = timelines.best(operation, ready)
            assignments[operation.id] = Assignment(operation.id, machine, start, end)
            timelines.reserve(machine, start, end)
            ready = end
    return Schedule(assignments, method="first_free_slot")


def best_dispatch(problem: Problem, *, seconds: float = 0.2, seed: int = 0) -> Schedule:
    """The best of every rule, then of randomised variants while ``seconds`` last."""
    deadline = time.monotonic() + seconds
    best = None
    best_key = None
    for rule in RULES:
        candidate = dispatch(problem, rule)
        candidate_key = score(problem, candidate).key()
        if best_key is None or candidate_key < best_key:
            best, best_key = candidate, candidate_key
    rng = random.Random(seed)
    rules = list(RULES)
    while time.monotonic() < deadline:
        candidate = dispatch(problem, rng.choice(rules), rng=rng, noise=rng.choice((0.1, 0.3)))
        candidate_key = score(problem, candidate).key()
        if candidate_key < best_key:
            best, best_key = candidate, candidate_key
    assert best is not None
    return best


def repair(problem: Problem, previous: Schedule) -> tuple[Schedule, dict[Key, str]]:
    """Keep the previous plan where it still holds; move only what must move.

    An operation moves when its machine may no longer run it (a new break such as a machine
    down, or it is no longer eligible), or when an operation before it in its job now ends
    after its start; new operations are added at the end. Moved operations take the earliest
    slot, on any eligible machine, that the operations kept leave free. Returns the schedule and,
    for each moved operation, why: ``machine_unavailable``, ``predecessor_moved`` or ``new``.
    """
    timelines = Timelines(problem)
    assignments = _place_frozen(problem, timelines)
    index = problem.operations()
    kept: dict[Key, Assignment] = {}
    reasons: dict[Key, str] = {}
    for operation_id, (_job, _i, operation) in index.items():
        if operation.frozen:
            continue
        old = previous.assignments.get(operation_id)
        if old is None:
            reasons[operation_id] = "new"
        elif (
            old.machine not in operation.durations
            or old.end - old.start != operation.duration_on(old.machine)
            or (
                problem.respects_breaks(operation, old.machine)
                and overlaps_break(problem.breaks.get(old.machine, ()), old.start, old.end)
            )
            or overlaps_break(problem.stops.get(old.machine, ()), old.start, old.end)
        ):
            reasons[operation_id] = "machine_unavailable"
        else:
            kept[operation_id] = old
            timelines.reserve(old.machine, old.start, old.end)

    def order(operation_id: Key) -> tuple[int, int, int]:
        _job, i, _op = index[operation_id]
        old = previous.assignments.get(operation_id)
        return (0 if old else 1, old.start if old else 0, i)

    for operation_id in sorted((k for k in index if k not in assignments), key=order):
        if operation_id in assignments:
            continue
        job, i, operation = index[operation_id]
        # Earlier operations of the job have been placed (they started earlier, or come first).
        prior = job.operations[i - 1].id if i else None
        if prior is not None and prior not in assignments:
            # A new operation before a kept one: the kept one waits for it (rare).
            _place_chain(problem, index, timelines, assignments, kept, reasons, job, i - 1)
        at = max(job.release, assignments[prior].end) if prior is not None else job.release
        old = kept.get(operation_id)
        if old is not None and old.start >= at:
            assignments[operation_id] = old
            continue
        if old is not None:
            timelines.release(old.machine, old.start, old.end)
            reasons[operation_id] = "predecessor_moved"
        end, start, machine = timelines.best(operation, at)
        assignments[operation_id] = Assignment(operation_id, machine, start, end)
        timelines.reserve(machine, start, end)
    return Schedule(assignments, method="repair"), reasons


def _place_chain(problem, index, timelines, assignments, kept, reasons, job, upto) -> None:
    """Place a job's unplaced operations up to ``upto`` (for a new operation out of order)."""
    for i in range(upto + 1):
        operation = job.operations[i]
        if operation.id in assignments:
            continue
        at = assignments[job.operations[i - 1].id].end if i else job.release
        old = kept.pop(operation.id, None)
        if old is not None:
            timelines.release(old.machine, old.start, old.end)
            reasons[operation.id] = "predecessor_moved"
        end, start, machine = timelines.best(operation, max(at, job.release))
        assignments[operation.id] = Assignment(operation.id, machine, start, end)
        timelines.reserve(machine, start, end)


def insert_job(problem: Problem, schedule: Schedule, job: Job) -> list[Assignment]:
    """Fit a new job into the schedule's free capacity without moving anything planned.

    Capable-to-promise: each operation takes the earliest slot, on an eligible machine, that the
    planned operations (and the calendars) leave free after the one before it.
    """
    timelines = Timelines(problem)
    for assignment in schedule.assignments.values():
        timelines.reserve(assignment.machine, assignment.start, assignment.end)
    placed = []
    ready = job.release
    for operation in job.operations:
        end, start, machine = timelines.best(operation, ready)
        timelines.reserve(machine, start, end)
        placed.append(Assignment(operation.id, machine, start, end))
        ready = end
    return placed
