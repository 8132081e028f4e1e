"""Working days in Vietnam for the simulators: weekends and days off, as foundation/workdays.py defines them.

The days off themselves (the announced ranges, the `holidays` package for other years) live in
foundation.workdays, which the catalog `public_holiday` and the warehouse's dim_date also follow.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, timedelta
from functools import cache

from foundation import workdays


@cache
def holidays() -> frozenset[date]:
    """Every day off from workdays.FIRST_YEAR to LAST_YEAR (for vectorised working-day arithmetic)."""
    years = range(workdays.FIRST_YEAR, workdays.LAST_YEAR + 1)
    return frozenset(day for year in years for day in workdays.dates_off(year))


def is_holiday(day: date) -> bool:
    return workdays.is_day_off(day)


def is_working_day(day: date) -> bool:
    return workdays.is_working_day(day)


class WorkCalendar:
    """Fast working-day arithmetic over a fixed span of days (indexes from `start`)."""

    def __init__(self, start: date, days: int) -> None:
        self.start = start
        self.days = days
        self.working = [is_working_day(start + timedelta(days=i)) for i in range(days)]
        self.working_index = [i for i, ok in enumerate(self.working) if ok]

    def day(self, index: int) -> date:
        return self.start + timedelta(days=index)

    def next_working(self, index: int) -> int:
        """The first working day at or after `index` (may run past the span)."""
        pos = bisect_left(self.working_index, index)
        if pos < len(self.working_index):
            return self.working_index[pos]
        extra = index
        while not is_working_day(self.day(extra)):
            extra += 1
        return extra

    def add_working_days(self, index: int, count: int) -> int:
        """The day `count` working days after day `index` (0 = next working day at or after)."""
        pos = bisect_left(self.working_index, index)
        if pos + count < len(self.working_index):
            return self.working_index[pos + count]
        day = self.next_working(index)
        for _ in range(count):
            day = self.next_working(day + 1)
        return day


def at(start: date, day_index: int, seconds: int) -> datetime:
    return datetime.combine(start, datetime.min.time()) + timedelta(days=day_index, seconds=seconds)
