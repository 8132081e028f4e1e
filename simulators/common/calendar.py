"""Working days in Vietnam: weekends and public holidays (Labour Code 2019, art. 112).

Days off as announced for civil servants, including the Tết and bridge days.
2024 and 2025 follow the Government's announcements; 2026 and 2027 are
*unverified* projections from the lunar calendar and the usual pattern (Tết
around the lunar new year, Hùng Kings' day on 10/3 lunar, 30/4 + 1/5, and two
days for National Day since 2025). A configuration may replace them.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, timedelta
from functools import cache

_RANGES = (
    # 2024
    ("2024-01-01", "2024-01-01"), ("2024-02-08", "2024-02-14"), ("2024-04-18", "2024-04-18"),
    ("2024-04-27", "2024-05-01"), ("2024-08-31", "2024-09-03"),
    # 2025
    ("2025-01-01", "2025-01-01"), ("2025-01-25", "2025-02-02"), ("2025-04-07", "2025-04-07"),
    ("2025-04-30", "2025-05-04"), ("2025-08-30", "2025-09-02"),
    # 2026 (unverified)
    ("2026-01-01", "2026-01-01"), ("2026-02-14", "2026-02-22"), ("2026-04-27", "2026-04-27"),
    ("2026-04-30", "2026-05-03"), ("2026-09-01", "2026-09-02"),
    # 2027 (unverified)
    ("2027-01-01", "2027-01-01"), ("2027-02-05", "2027-02-10"), ("2027-04-16", "2027-04-16"),
    ("2027-04-30", "2027-05-03"), ("2027-09-02", "2027-09-03"),
)  # fmt: skip


@cache
def holidays() -> frozenset[date]:
    days: set[date] = set()
    for first, last in _RANGES:
        day, end = date.fromisoformat(first), date.fromisoformat(last)
        while day <= end:
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)


def is_holiday(day: date) -> bool:
    return day in holidays()


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in holidays()


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
