"""The days off (catalog `public_holiday`): code = the day (ISO `YYYY-MM-DD`), name = its Vietnamese name.

Loaded from foundation/workdays.py (the announced days off, the `holidays` package for other years)
for `workdays.published_years()`. Like every load (loading.py), a day is inserted only when the
catalog has no published version of it: a day a steward renamed, retired or added through the
propose/review/publish flow is never overwritten, and loading again inserts nothing. Stewards add
the days the Government announces each year (bridge days, swapped days) as new codes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from catalog import store
from catalog.loading import LoadReport, VersionRow, load_versions
from foundation import workdays

CATALOG = "public_holiday"


def versions(today: date | None = None) -> Iterator[VersionRow]:
    for year in workdays.published_years(today):
        source = workdays.source_of(year)
        for day, name in workdays.days_off(year).items():
            yield VersionRow(CATALOG, day.isoformat(), name, legal_source=source)


def load(warehouse_url: str) -> LoadReport:
    """Load (or top up) the days off; safe to run again."""
    with store.connect(warehouse_url) as conn:
        results = load_versions(
            conn, versions(), "foundation.workdays", "Ngày nghỉ lễ, Tết (lịch công bố và thư viện holidays)"
        )
    return LoadReport(results)
