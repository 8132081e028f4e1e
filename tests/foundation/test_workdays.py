"""Days off defined once (foundation/workdays.py): the announced lists where there is one, the holidays
package's Vietnamese calendar (lunar Tết and Hùng Kings' day) for other years."""

from __future__ import annotations

from datetime import date

from foundation import workdays


def test_an_announced_year_uses_its_list_weekends_of_the_break_included() -> None:
    days = workdays.days_off(2026)
    assert date(2026, 2, 14) in days and date(2026, 2, 22) in days  # Tết Bính Ngọ, Saturday to Sunday
    assert days[date(2026, 2, 17)] == "Tết Nguyên Đán"  # the library's name for the day
    assert date(2026, 11, 24) not in days  # the announced (projected) list replaces the library's year


def test_a_year_without_a_list_has_the_lunar_days_off() -> None:
    days = workdays.days_off(2028)
    assert days[date(2028, 1, 26)] == "Tết Nguyên Đán"  # the first day of the lunar year Mậu Thân
    assert days[date(2028, 4, 4)] == "Ngày Giỗ Tổ Hùng Vương"  # 10/3 lunar
    assert date(2028, 1, 3) in days  # substitute day for New Year's Day on a Saturday
    assert workdays.dates_off(2028) == frozenset(days)


def test_working_days_are_weekdays_that_are_not_days_off() -> None:
    assert not workdays.is_working_day(date(2025, 9, 2))  # National Day
    assert not workdays.is_working_day(date(2028, 1, 27))  # Tết, from the library
    assert not workdays.is_working_day(date(2026, 3, 7))  # a Saturday
    assert workdays.is_working_day(date(2026, 2, 23))  # the Monday after Tết
    assert min(workdays.published_years(date(2040, 1, 1))) == workdays.FIRST_YEAR
    assert max(workdays.published_years(date(2040, 1, 1))) == 2043
