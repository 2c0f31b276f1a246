"""Property tests of the scheduling core on random instances (no database).

Whatever the instance — routings, alternative machines, calendars, machines stopped, frozen
operations, releases and due dates — every schedule the core returns is feasible; CP-SAT's is
never worse than the heuristic's; and a repair after a machine stops keeps every operation that
neither ran on it nor follows one that moved exactly where it was.
"""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erp_core.scheduling.core.dispatch import best_dispatch, dispatch, first_free_slot, repair
from erp_core.scheduling.core.model import Job, Operation, Problem, check, score
from erp_core.scheduling.core.solver import optimise, solve

MACHINES = ("a", "b", "c", "d")


@st.composite
def problems(draw, *, frozen: bool = True) -> Problem:
    """A random problem of up to 6 jobs of up to 4 operations on 4 machines."""
    ids = itertools.count()
    jobs = []
    frozen_until: dict[str, int] = {}
    for j in range(draw(st.integers(1, 6))):
        operations = []
        for k in range(draw(st.integers(1, 4))):
            eligible = draw(
                st.lists(st.sampled_from(MACHINES), min_size=1, max_size=2, unique=True)
            )
            duration = draw(st.integers(1, 12))
            pinned = None
            if frozen and k == 0 and draw(st.integers(0, 4)) == 0:
                machine = eligible[0]
                start = frozen_until.get(machine, 0)
                frozen_until[machine] = start + duration
                pinned = (machine, start)
                eligible = [machine]
            operations.append(
                Operation(id=next(ids), durations=dict.fromkeys(eligible, duration), frozen=pinned)
            )
        due = draw(st.one_of(st.none(), st.integers(5, 60)))
        release = draw(st.integers(0, 10))
        if operations[0].frozen:
            release = 0
        jobs.append(
            Job(id=j, operations=tuple(operations), release=release, due=due,
                weight=draw(st.integers(1, 3)))
        )  # fmt: skip
    breaks = {}
    for machine in MACHINES:
        if draw(st.booleans()):
            # A shift calendar: work 16, break 8, from after the frozen operations.
            first = max(frozen_until.get(machine, 0), 16)
            breaks[machine] = tuple((first + 24 * n, first + 24 * n + 8) for n in range(6))
    return Problem(jobs=tuple(jobs), breaks=breaks)


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(problems())
def test_every_heuristic_schedule_is_feasible(problem):
    for rule in ("mwkr", "slack", "edd"):
        check(problem, dispatch(problem, rule))
    check(problem, first_free_slot(problem))
    check(problem, best_dispatch(problem, seconds=0))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_cp_sat_is_feasible_and_never_worse_than_the_heuristic(problem):
    heuristic = best_dispatch(problem, seconds=0)
    solved = solve(problem, seconds=2, hint=heuristic, workers=2)
    if solved is not None:
        check(problem, solved)
    best = optimise(problem, seconds=1, workers=2)
    check(problem, best)
    assert score(problem, best).key() <= score(problem, heuristic).key()


@FAST
@given(problems(frozen=False), st.sampled_from(MACHINES), st.integers(0, 30))
def test_a_repair_after_a_machine_stops_keeps_what_need_not_move(problem, down, since):
    before = best_dispatch(problem, seconds=0)
    stopped = Problem(jobs=problem.jobs, breaks=problem.breaks, stops={down: ((since, 10_000),)})
    after, reasons = repair(stopped, before)
    check(stopped, after)
    for job in problem.jobs:
        moved_before = False
        for operation in job.operations:
            old, new = before.assignments[operation.id], after.assignments[operation.id]
            hit = old.machine == down and old.end > since
            if not hit and not moved_before:
                assert new == old, (operation.id, old, new)
                assert operation.id not in reasons
            if hit:
                # Off the machine, or before it stopped, or after it is back.
                assert new.machine != down or new.end <= since or new.start >= 10_000
                assert reasons[operation.id] == "machine_unavailable"
            moved_before = moved_before or new != old


def test_an_operation_longer_than_every_shift_runs_through_the_breaks():
    long = Operation(id="long", durations={"a": 30})
    problem = Problem(
        jobs=(Job(id=1, operations=(long,)),),
        breaks={"a": tuple((8 + 24 * n, 24 + 24 * n) for n in range(5))},
    )
    schedule = best_dispatch(problem, seconds=0)
    check(problem, schedule)
    assert schedule.assignments["long"].start == 0


def test_a_stop_is_never_run_through_even_by_a_long_operation():
    long = Operation(id="long", durations={"a": 30})
    problem = Problem(jobs=(Job(id=1, operations=(long,)),), stops={"a": ((5, 50),)})
    for schedule in (best_dispatch(problem, seconds=0), optimise(problem, seconds=1, workers=1)):
        check(problem, schedule)
        assert schedule.assignments["long"].start >= 50


def test_a_large_plan_is_improved_by_neighbourhoods_and_stays_feasible():
    import random

    rng = random.Random(7)
    machines = [f"m{n}" for n in range(8)]
    jobs = tuple(
        Job(
            id=j,
            operations=tuple(
                Operation(
                    id=(j, k),
                    durations=dict.fromkeys(rng.sample(machines, 2), rng.randint(10, 90)),
                )
                for k in range(5)
            ),
            due=rng.randint(200, 1500),
        )
        for j in range(90)
    )
    problem = Problem(jobs=jobs)
    heuristic = best_dispatch(problem, seconds=0.2)
    best = optimise(problem, seconds=4, workers=2)
    check(problem, best)
    assert score(problem, best).key() <= score(problem, heuristic).key()
