"""Property tests: schedules stay feasible with the calendars the loader builds (weekly shift
patterns, night shifts, holidays), maintenance windows, release times (materials) and started
operations — for the heuristic, CP-SAT with the large-neighbourhood search, and the repair
after a machine stops. No database: calendars are built from unsaved work centers."""

import datetime as dt
import itertools

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erp_core.masterdata.models import WorkCenter
from erp_core.scheduling.core.dispatch import best_dispatch, repair
from erp_core.scheduling.core.model import Job, Operation, Problem, check, overlaps_break
from erp_core.scheduling.core.solver import optimise
from erp_core.scheduling.loader import Calendar, _merge, calendar_breaks

DAYS = 8
CENTERS = {"x": ("x1", "x2"), "y": ("y1", "y2")}
MACHINES = tuple(machine for machines in CENTERS.values() for machine in machines)


@st.composite
def calendars(draw) -> Calendar:
    """A weekly pattern of one to three shifts a day (some past midnight) and a few holidays."""
    shifts = []
    for weekday in range(7):
        for start_hour in draw(st.lists(st.integers(0, 23), max_size=3, unique=True)):
            hours = draw(st.integers(2, 12))
            shifts.append(
                (weekday, dt.time(start_hour), dt.time((start_hour + hours) % 24, 30 * (hours % 2)))
            )
    holidays = draw(st.sets(st.integers(0, DAYS), max_size=3))
    origin_day = dt.date(2026, 3, 2)
    return Calendar(tuple(shifts), frozenset(origin_day + dt.timedelta(days=d) for d in holidays))


@st.composite
def problems(draw) -> Problem:
    """Jobs on the machines of two work centers with their calendars, stops and releases."""
    origin = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 30))
    breaks, stops = {}, {}
    for code, machines in CENTERS.items():
        center = WorkCenter(code=code, name=code, working_days="1111100", shifts_per_day=2)
        spans = tuple(calendar_breaks(center, origin, DAYS, draw(calendars())))
        for machine in machines:
            breaks[machine] = spans
            if draw(st.booleans()):  # a maintenance window
                start = draw(st.integers(0, 4000))
                stops[machine] = ((start, start + draw(st.integers(30, 600))),)
    ids = itertools.count()
    jobs = []
    pinned_machines: set[str] = set()
    for j in range(draw(st.integers(1, 5))):
        operations = []
        for k in range(draw(st.integers(1, 3))):
            eligible = draw(
                st.lists(st.sampled_from(MACHINES), min_size=1, max_size=2, unique=True)
            )
            duration = draw(st.integers(30, 300))
            frozen = None
            if k == 0 and eligible[0] not in pinned_machines and draw(st.integers(0, 3)) == 0:
                pinned_machines.add(eligible[0])
                frozen = (eligible[0], 0)
                eligible = [eligible[0]]
            operations.append(
                Operation(id=next(ids), durations=dict.fromkeys(eligible, duration), frozen=frozen)
            )
        release = 0 if operations[0].frozen else draw(st.integers(0, 3000))
        due = draw(st.one_of(st.none(), st.integers(600, 8000)))
        jobs.append(Job(id=j, operations=tuple(operations), release=release, due=due))
    # A started operation keeps its machine: nothing else is planned over it, stops included.
    for machine in pinned_machines:
        stops.pop(machine, None)
    return Problem(jobs=tuple(jobs), breaks=breaks, stops=stops)


def _assert_feasible(problem: Problem, schedule) -> None:
    check(problem, schedule)
    for job in problem.jobs:
        first = schedule.assignments[job.operations[0].id]
        if job.operations[0].frozen:
            assert (first.machine, first.start) == job.operations[0].frozen
        else:
            assert first.start >= job.release
        for operation in job.operations:
            placed = schedule.assignments[operation.id]
            if operation.frozen:
                continue
            assert not overlaps_break(
                problem.stops.get(placed.machine, ()), placed.start, placed.end
            )
            if problem.respects_breaks(operation, placed.machine):
                assert not overlaps_break(
                    problem.breaks.get(placed.machine, ()), placed.start, placed.end
                )


# The optimiser's examples come from the profile (a few in CI; HYPOTHESIS_PROFILE=thorough for
# a deep run); the heuristic's are cheap enough for fifty.
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@settings(SETTINGS, max_examples=50)
@given(problems(), st.sampled_from(MACHINES), st.integers(0, 3000))
def test_the_heuristic_and_the_repair_keep_calendars_windows_and_releases(problem, down, since):
    before = best_dispatch(problem, seconds=0)
    _assert_feasible(problem, before)
    stops = dict(problem.stops)
    stops[down] = _merge([*stops.get(down, ()), (since, 20_000)])
    if any(op.frozen and op.frozen[0] == down for job in problem.jobs for op in job.operations):
        return  # a started operation's machine going down is the floor's to sort out
    stopped = Problem(jobs=problem.jobs, breaks=problem.breaks, stops=stops)
    after, _reasons = repair(stopped, before)
    _assert_feasible(stopped, after)


@SETTINGS
@given(problems())
def test_the_optimiser_keeps_calendars_windows_and_releases(problem):
    _assert_feasible(problem, optimise(problem, seconds=0.5, workers=2))
