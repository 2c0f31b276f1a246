"""OEE as plain Python: shift windows from a work center's calendar, and the figures of a window.

No ORM inside, so the arithmetic is tested alone; ``mes.selectors`` loads the events and
counters and calls it.

For a machine and a window of planned time (a shift, or the shifts of a day so far):

- planned time: the window, up to now while it is under way;
- run time: the part of it the machine was in the running state;
- availability = run time ÷ planned time;
- performance = ideal cycle time × output ÷ run time (output = good + scrap; each item's own
  ideal cycle time on the machine, else the machine's default);
- quality = good ÷ output;
- OEE = availability × performance × quality (= ideal time of the good units ÷ planned time).

A day's figures add its shifts' times and counts before dividing, so a short shift does not
weigh as much as a long one.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal

RATIO = Decimal("0.0001")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Shift:
    """A shift of planned time: its day, its number (1…) and its bounds."""

    day: date
    number: int
    start: datetime
    end: datetime


def shifts_of_day(
    *,
    day: date,
    shifts_per_day: int,
    hours_per_shift: Decimal,
    working_days: str,
    day_start: time,
    tz: tzinfo,
) -> list[Shift]:
    """The shifts a work center plans on ``day``: back to back from ``day_start``; none on a day
    its calendar does not work (``working_days``: Monday to Sunday, ``1`` for working)."""
    if len(working_days) != 7 or working_days[day.weekday()] != "1":
        return []
    length = timedelta(seconds=float(hours_per_shift * 3600))
    first = datetime.combine(day, day_start, tzinfo=tz)
    return [
        Shift(day, number + 1, first + number * length, first + (number + 1) * length)
        for number in range(shifts_per_day)
    ]


def run_seconds(
    *,
    state_at_start: str | None,
    changes: Iterable[tuple[datetime, str]],
    start: datetime,
    end: datetime,
    running: str = "running",
) -> Decimal:
    """Seconds in ``running`` between ``start`` and ``end``, from the state at ``start`` and
    the state changes (time, state) in order."""
    total = ZERO
    state, since = state_at_start, start
    for at, new_state in changes:
        if at < start:
            state = new_state
            continue
        if at >= end:
            break
        if state == running:
            total += Decimal(str((at - since).total_seconds()))
        state, since = new_state, at
    if state == running and end > since:
        total += Decimal(str((end - since).total_seconds()))
    return total


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator <= 0:
        return None
    return (numerator / denominator).quantize(RATIO)


@dataclass
class Figures:
    """The times and counts of a window, and its ratios (None where undefined)."""

    planned: Decimal = ZERO
    run: Decimal = ZERO
    good: int = 0
    scrap: int = 0
    ideal: Decimal = ZERO  # seconds the output would take at the ideal cycle times
    cycle_known: bool = True
    downtime: dict[str, Decimal] = field(default_factory=dict)

    def add(self, other: "Figures") -> None:
        """Add another window's times and counts (a day adds its shifts)."""
        self.planned += other.planned
        self.run += other.run
        self.good += other.good
        self.scrap += other.scrap
        self.ideal += other.ideal
        self.cycle_known = self.cycle_known and other.cycle_known

    @property
    def planned_hours(self) -> Decimal:
        """Planned time in hours."""
        return (self.planned / 3600).quantize(Decimal("0.01"))

    @property
    def run_hours(self) -> Decimal:
        """Run time in hours."""
        return (self.run / 3600).quantize(Decimal("0.01"))

    @property
    def output(self) -> int:
        """Good plus scrap."""
        return self.good + self.scrap

    @property
    def availability(self) -> Decimal | None:
        """Run time ÷ planned time."""
        return _ratio(self.run, self.planned)

    @property
    def performance(self) -> Decimal | None:
        """Ideal time of the output ÷ run time; None without run time or a cycle time."""
        if not self.cycle_known:
            return None
        return _ratio(self.ideal, self.run)

    @property
    def quality(self) -> Decimal | None:
        """Good ÷ output; None without output."""
        return _ratio(Decimal(self.good), Decimal(self.output))

    @property
    def oee(self) -> Decimal | None:
        """Availability × performance × quality; 0 when the machine did not run or made
        nothing, None when there is no planned time or the cycle time is unknown."""
        if self.planned <= 0:
            return None
        if self.run <= 0 or self.output == 0:
            return ZERO.quantize(RATIO)
        if not self.cycle_known:
            return None
        good_ideal = self.ideal * Decimal(self.good) / Decimal(self.output)
        return (good_ideal / self.planned).quantize(RATIO)
