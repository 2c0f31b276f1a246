"""Lead-time offsetting: when an order must start so that it is done by its due date.

A bought item starts its purchase lead time (calendar days) before the due date. A made item
runs its routing's operations backwards from the due date, each on its work center's working
days: an operation takes as many working days as its setup plus run minutes fill at the work
center's daily capacity (at least one). No ORM inside.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

ONE_DAY = dt.timedelta(days=1)
MINUTES_PER_HOUR = Decimal(60)


@dataclass(frozen=True)
class WorkCenterCalendar:
    """A work center's working days (Monday first, ``1111100``) and its minutes per working day."""

    id: int
    working_days: str
    minutes_per_day: Decimal

    def is_working(self, day: dt.date) -> bool:
        """True when the work center works on ``day``."""
        return self.working_days[day.weekday()] == "1"


@dataclass(frozen=True)
class Operation:
    """A routing step: its work center, a setup once per order and run minutes per unit."""

    work_center_id: int
    setup_minutes: Decimal
    run_minutes_per_unit: Decimal


ALWAYS = WorkCenterCalendar(0, "1111111", Decimal(480))


def _working_days_needed(minutes: Decimal, per_day: Decimal) -> int:
    """Whole working days ``minutes`` fill at ``per_day`` minutes a day (at least one)."""
    if per_day <= 0:
        return 1
    whole = int(minutes // per_day)
    return max(1, whole + (1 if minutes > whole * per_day else 0))


def back_schedule(
    *,
    due: dt.date,
    quantity: Decimal,
    operations: tuple[Operation, ...],
    calendars: dict[int, WorkCenterCalendar],
) -> dt.date:
    """The start date of an order of ``quantity`` done by ``due``, its operations run backwards.

    The last operation ends on ``due`` (or the working day before it, when ``due`` is not a
    working day of its work center); each earlier one ends the working day before the next one
    starts. A work center that never works is treated as working every day.
    """
    end = due
    first = True
    for operation in reversed(operations):
        calendar = calendars.get(operation.work_center_id)
        if calendar is None or "1" not in calendar.working_days:
            calendar = ALWAYS
        minutes = operation.setup_minutes + operation.run_minutes_per_unit * quantity
        days = _working_days_needed(minutes, calendar.minutes_per_day)
        end = _back_days(calendar.working_days, end, days, first)
        first = False
    return end


@lru_cache(maxsize=65536)
def _back_days(working_days: str, end: dt.date, days: int, inclusive: bool) -> dt.date:
    """The first of ``days`` working days (of ``working_days``) ending on ``end`` (when
    ``inclusive``, else the working day before it), counted backwards."""
    day = end if inclusive else end - ONE_DAY
    while working_days[day.weekday()] != "1":
        day -= ONE_DAY
    left = days - 1
    while left:
        day -= ONE_DAY
        if working_days[day.weekday()] == "1":
            left -= 1
    return day
