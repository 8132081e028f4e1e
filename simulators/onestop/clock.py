"""Simulated time: seconds since the period's start (local time, Asia/Ho_Chi_Minh).

Scalar formatting for the records, and vectorised office-hour and working-day
arithmetic (numpy) for the simulation of a million dossiers at once.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

from simulators.common.calendar import is_holiday, is_working_day

DAY = 86400
OPEN, LUNCH, AFTERNOON, CLOSE = 27000, 41400, 48600, 61200  # 7:30, 11:30, 13:30, 17:00
SPARE_DAYS = 400  # due dates and late updates may fall after the period
_HMS = tuple(f"{h:02d}{m:02d}{s:02d}" for h in range(24) for m in range(60) for s in range(60))


class Clock:
    def __init__(self, start: date, days: int) -> None:
        self.start = start
        total = days + SPARE_DAYS
        self._days = [(start + timedelta(days=i)).strftime("%Y%m%d") for i in range(total)]
        self.working = np.array([is_working_day(start + timedelta(days=i)) for i in range(total)])
        self.saturday = np.array([(start + timedelta(days=i)).weekday() == 5 for i in range(total)])
        self.saturday &= ~np.array([is_holiday(start + timedelta(days=i)) for i in range(total)])
        following = np.empty(total, dtype=np.int64)
        nxt = total - 1
        for i in range(total - 1, -1, -1):
            nxt = i if self.working[i] else nxt
            following[i] = nxt
        self.next_working = following
        self.working_days = np.flatnonzero(self.working)
        self.working_pos = np.cumsum(self.working) - 1  # for a working day: its index in working_days
        self._day_numbers = np.array([int(text) for text in self._days], dtype=np.int64) * 1_000_000

    def day_string(self, day: int) -> str:
        if 0 <= day < len(self._days):
            return self._days[day]
        return (self.start + timedelta(days=day)).strftime("%Y%m%d")

    def yymmdd(self, day: int) -> str:
        return self.day_string(day)[2:]

    def fmt(self, t: int) -> str:
        """`yyyyMMddHHmmss`."""
        day, second = divmod(t, DAY)
        return self.day_string(day) + _HMS[second]

    def stamps(self, t: np.ndarray) -> list[str]:
        """`yyyyMMddHHmmss` for many moments at once; "" where t < 0."""
        day, second = np.divmod(np.maximum(t, 0), DAY)
        hms = (second // 3600) * 10000 + (second // 60 % 60) * 100 + second % 60
        numbers = self._day_numbers[np.clip(day, 0, len(self._days) - 1)] + hms
        return [str(x) if x >= 0 else "" for x in np.where(t >= 0, numbers, -1).tolist()]

    def datetime(self, t: int) -> datetime:
        return datetime.combine(self.start, datetime.min.time()) + timedelta(seconds=t)

    def _day(self, day: np.ndarray) -> np.ndarray:
        return np.clip(day, 0, len(self.working) - 1)

    def office(self, t: np.ndarray) -> np.ndarray:
        """Move moments into office hours of a working day (the same or a later one)."""
        day, second = np.divmod(t, DAY)
        second = np.where(second < OPEN, OPEN + second % 1800, second)
        second = np.where((second >= LUNCH) & (second < AFTERNOON), AFTERNOON + (second - LUNCH) % 1800, second)
        closed = second >= CLOSE
        day = day + closed
        second = np.where(closed, OPEN + second % 3600, second)
        return self.next_working[self._day(day)] * DAY + second

    def add_working_days(self, day: np.ndarray, count: np.ndarray) -> np.ndarray:
        """The `count`-th working day at or after `day` (0: the first one)."""
        first = self.next_working[self._day(day)]
        pos = np.clip(self.working_pos[first] + count, 0, len(self.working_days) - 1)
        return self.working_days[pos]


def parse_timestamp(text: str) -> int:
    """`yyyyMMddHHmmss` -> the same digits as an int (ordered like the moments)."""
    if len(text) != 14 or not text.isdigit():
        raise ValueError(f"expected yyyyMMddHHmmss, got {text!r}")
    datetime.strptime(text, "%Y%m%d%H%M%S")
    return int(text)
