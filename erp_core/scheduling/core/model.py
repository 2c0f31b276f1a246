"""The scheduling problem and its answer as plain dataclasses: no ORM, integer time units.

Time is an integer count of units (the services use minutes) from the schedule's origin, "now".
A machine is known by any hashable key; its calendar is the list of intervals it cannot work
(nights, weekends, maintenance windows). An operation runs on one of its eligible machines for
that machine's duration (setup plus run), without interruption, inside the machine's working
time — except an operation longer than every working window of the machine, which is allowed
to run through breaks (a 30-hour job on an 8-hour shift calendar would otherwise never fit).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

Key = Hashable


@dataclass(frozen=True)
class Operation:
    """One operation of a job: eligible machines with their durations, or a frozen placement.

    A frozen operation (started on the floor) keeps ``frozen = (machine, start)``: the
    scheduler plans around it and never moves it.
    """

    id: Key
    durations: Mapping[Key, int]
    frozen: tuple[Key, int] | None = None

    def duration_on(self, machine: Key) -> int:
        """The time the operation takes on ``machine`` (setup included)."""
        return self.durations[machine]


@dataclass(frozen=True)
class Job:
    """A chain of operations run in order (a production order's routing).

    ``release`` is the earliest start of the first operation (materials available); ``due``
    the time the last one should be done by (``None``: no due date); ``weight`` what each unit
    of lateness costs.
    """

    id: Key
    operations: tuple[Operation, ...]
    release: int = 0
    due: int | None = None
    weight: int = 1


@dataclass(frozen=True)
class Problem:
    """Jobs, the machines' breaks and stops, the previous plan.

    ``breaks`` are the calendar's (sorted, non-overlapping ``(start, end)``): an operation longer
    than every working window may run through them. ``stops`` (a machine down, maintenance) are
    never run through.
    """

    jobs: tuple[Job, ...]
    breaks: Mapping[Key, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    stops: Mapping[Key, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    previous: Mapping[Key, tuple[Key, int]] = field(default_factory=dict)

    def machines(self) -> list[Key]:
        """Every machine some operation may run on, in a stable order."""
        seen: dict[Key, None] = {}
        for job in self.jobs:
            for operation in job.operations:
                for machine in operation.durations:
                    seen.setdefault(machine, None)
                if operation.frozen:
                    seen.setdefault(operation.frozen[0], None)
        return list(seen)

    def operations(self) -> dict[Key, tuple[Job, int, Operation]]:
        """Each operation by id, with its job and its place in the job."""
        return {
            operation.id: (job, index, operation)
            for job in self.jobs
            for index, operation in enumerate(job.operations)
        }

    def longest_window(self, machine: Key) -> float:
        """The longest stretch of working time between two breaks (inf when there are none)."""
        breaks = self.breaks.get(machine, ())
        if not breaks:
            return float("inf")
        longest = breaks[0][0]
        for (_s, end), (start, _e) in itertools.pairwise(breaks):
            longest = max(longest, start - end)
        return longest

    def respects_breaks(self, operation: Operation, machine: Key) -> bool:
        """True when the operation must fit between the machine's breaks (it is short enough)."""
        return operation.duration_on(machine) <= self.longest_window(machine)


@dataclass(frozen=True)
class Assignment:
    """Where and when one operation runs."""

    operation_id: Key
    machine: Key
    start: int
    end: int


@dataclass
class Schedule:
    """Every operation's assignment, and how it was found."""

    assignments: dict[Key, Assignment]
    method: str = ""
    proven_optimal: bool = False

    def makespan(self) -> int:
        """The end of the last operation."""
        return max((a.end for a in self.assignments.values()), default=0)


@dataclass(frozen=True)
class Score:
    """The objective, compared lexicographically: lateness first, then makespan, then changes."""

    weighted_tardiness: int
    makespan: int
    changes: int

    def key(self) -> tuple[int, int, int]:
        """The tuple compared: lower is better."""
        return (self.weighted_tardiness, self.makespan, self.changes)


def score(problem: Problem, schedule: Schedule) -> Score:
    """Total weighted tardiness, makespan and the operations moved against the previous plan."""
    tardiness = 0
    for job in problem.jobs:
        if job.due is None or not job.operations:
            continue
        end = schedule.assignments[job.operations[-1].id].end
        tardiness += job.weight * max(0, end - job.due)
    changes = 0
    for operation_id, (machine, start) in problem.previous.items():
        assignment = schedule.assignments.get(operation_id)
        if assignment and (assignment.machine != machine or assignment.start != start):
            changes += 1
    return Score(tardiness, schedule.makespan(), changes)


class Infeasible(ValueError):
    """A schedule breaks a rule of its problem; the message says which."""


def check(problem: Problem, schedule: Schedule) -> None:
    """Raise ``Infeasible`` unless every rule holds: each operation placed once on an eligible
    machine for its duration, routing order, releases, one operation per machine at a time,
    breaks kept (by operations short enough to fit between them) and frozen operations kept."""
    per_machine: dict[Key, list[tuple[int, int, Key]]] = {}
    for job in problem.jobs:
        previous_end = job.release
        for operation in job.operations:
            assignment = schedule.assignments.get(operation.id)
            if assignment is None:
                raise Infeasible(f"Operation {operation.id} is not scheduled.")
            if operation.frozen:
                machine, start = operation.frozen
                if (assignment.machine, assignment.start) != (machine, start):
                    raise Infeasible(f"Frozen operation {operation.id} moved.")
                previous_end = assignment.end
            else:
                if assignment.machine not in operation.durations:
                    raise Infeasible(f"Operation {operation.id} on an ineligible machine.")
                if assignment.end - assignment.start != operation.duration_on(assignment.machine):
                    raise Infeasible(f"Operation {operation.id} has the wrong duration.")
                if assignment.start < previous_end:
                    raise Infeasible(f"Operation {operation.id} starts before its predecessor.")
                if problem.respects_breaks(operation, assignment.machine) and overlaps_break(
                    problem.breaks.get(assignment.machine, ()), assignment.start, assignment.end
                ):
                    raise Infeasible(f"Operation {operation.id} runs in a break.")
                if overlaps_break(
                    problem.stops.get(assignment.machine, ()), assignment.start, assignment.end
                ):
                    raise Infeasible(f"Operation {operation.id} runs while its machine is stopped.")
                previous_end = assignment.end
            per_machine.setdefault(assignment.machine, []).append(
                (assignment.start, assignment.end, operation.id)
            )
    for machine, intervals in per_machine.items():
        intervals.sort(key=lambda interval: (interval[0], interval[1]))
        for (_s, end, first), (start, _e, second) in itertools.pairwise(intervals):
            if start < end:
                raise Infeasible(f"Operations {first} and {second} overlap on {machine}.")


def overlaps_break(breaks: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """True when ``[start, end)`` overlaps one of the sorted breaks."""
    if start == end:
        return False
    index = bisect.bisect_right(breaks, (start, float("inf"))) - 1
    if index >= 0 and breaks[index][1] > start:
        return True
    return index + 1 < len(breaks) and breaks[index + 1][0] < end
