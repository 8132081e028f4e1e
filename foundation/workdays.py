"""Days off and working days in Vietnam, defined once for the simulators, the catalog and the warehouse.

A working day is Monday to Friday and not a day off (Labour Code 2019, art. 112). The days off:
- for the years the Government has announced (civil servants' days off, with Tết and bridge days):
  the announced ranges below, which replace the library's days for that year. 2024 and 2025 follow
  the announcements; 2026 and 2027 are *unverified* projections (the lunar calendar and the usual
  pattern) that the simulators were built on, so changing them changes simulated due dates;
- for any other year: the `holidays` package's Vietnamese calendar (Tết and the Hùng Kings'
  day from the lunar calendar, substitute days, and the bridge days it knows of).

The catalog `public_holiday` publishes these days (catalog/public_holidays.py) so that stewards can
add what the Government announces each year; the warehouse's dim_date reads the published catalog.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

# the years published and used by default: every year a simulation or a report may touch
FIRST_YEAR, LAST_YEAR = 2020, 2035

# (first day, last day, Vietnamese name) of each announced break, weekends inside it included
ANNOUNCED: dict[int, tuple[tuple[str, str, str], ...]] = {
    2024: (
        ("2024-01-01", "2024-01-01", "Tết Dương lịch"),
        ("2024-02-08", "2024-02-14", "Tết Nguyên Đán"),
        ("2024-04-18", "2024-04-18", "Ngày Giỗ Tổ Hùng Vương"),
        ("2024-04-27", "2024-05-01", "Ngày Chiến thắng và Ngày Quốc tế Lao động"),
        ("2024-08-31", "2024-09-03", "Quốc khánh"),
    ),
    2025: (
        ("2025-01-01", "2025-01-01", "Tết Dương lịch"),
        ("2025-01-25", "2025-02-02", "Tết Nguyên Đán"),
        ("2025-04-07", "2025-04-07", "Ngày Giỗ Tổ Hùng Vương"),
        ("2025-04-30", "2025-05-04", "Ngày Chiến thắng và Ngày Quốc tế Lao động"),
        ("2025-08-30", "2025-09-02", "Quốc khánh"),
    ),
    2026: (  # unverified
        ("2026-01-01", "2026-01-01", "Tết Dương lịch"),
        ("2026-02-14", "2026-02-22", "Tết Nguyên Đán"),
        ("2026-04-27", "2026-04-27", "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
        ("2026-04-30", "2026-05-03", "Ngày Chiến thắng và Ngày Quốc tế Lao động"),
        ("2026-09-01", "2026-09-02", "Quốc khánh"),
    ),
    2027: (  # unverified
        ("2027-01-01", "2027-01-01", "Tết Dương lịch"),
        ("2027-02-05", "2027-02-10", "Tết Nguyên Đán"),
        ("2027-04-16", "2027-04-16", "Ngày Giỗ Tổ Hùng Vương"),
        ("2027-04-30", "2027-05-03", "Ngày Chiến thắng và Ngày Quốc tế Lao động"),
        ("2027-09-02", "2027-09-03", "Quốc khánh"),
    ),
}


def _library_days(year: int) -> dict[date, str]:
    import holidays  # here: only a year with no announced list, or the names, pay for the import (~1 s)

    return dict(holidays.country_holidays("VN", years=year, language="vi").items())


def _announced_days(year: int) -> dict[date, str]:
    days: dict[date, str] = {}
    for first, last, name in ANNOUNCED[year]:
        day, end = date.fromisoformat(first), date.fromisoformat(last)
        while day <= end:
            days[day] = name
            day += timedelta(days=1)
    return days


@cache
def days_off(year: int) -> dict[date, str]:
    """Every day off of one year with its Vietnamese name (weekends inside an announced break included).
    An announced day takes the library's finer name (e.g. "Mùng hai Tết Nguyên Đán") where it has one."""
    named = _library_days(year)
    if year not in ANNOUNCED:
        return dict(sorted(named.items()))
    return {day: named.get(day, name) for day, name in _announced_days(year).items()}


@cache
def dates_off(year: int) -> frozenset[date]:
    """The days off of one year (the dates of `days_off`, without loading the library for an announced year)."""
    return frozenset(_announced_days(year) if year in ANNOUNCED else _library_days(year))


def source_of(year: int) -> str:
    """Where a year's days off come from, for the catalog's records."""
    if year in ANNOUNCED:
        return "Lịch nghỉ công bố cho cán bộ, công chức, viên chức" + (" (dự kiến)" if year >= 2026 else "")
    from importlib.metadata import version

    return f"holidays {version('holidays')} (Việt Nam)"


def published_years(today: date | None = None) -> range:
    """The years the catalog `public_holiday` is loaded with: FIRST_YEAR to LAST_YEAR, and always
    three years past today."""
    return range(FIRST_YEAR, max(LAST_YEAR, (today or date.today()).year + 3) + 1)


def is_day_off(day: date) -> bool:
    return day in dates_off(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_day_off(day)
