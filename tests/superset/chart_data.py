"""A dashboard chart's data as Superset serves it under a set of filter values, and values made comparable."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx

from dashboards.model import Chart
from dashboards.queries import FilterValues, with_filters


def served_rows(client: httpx.Client, chart_id: int, chart: Chart, filters: FilterValues) -> list[dict[str, Any]]:
    """The chart's saved query with the dashboard filters its dataset has a column for, as a dashboard sends it."""
    saved = client.get(f"/api/v1/chart/{chart_id}")
    saved.raise_for_status()
    response = client.post("/api/v1/chart/data", json=with_filters(saved.json()["result"]["query_context"], chart,
                                                                   filters))  # fmt: skip
    assert response.status_code == 200, response.text
    (result,) = response.json()["result"]
    return result["data"]


def normalise(value: Any) -> Any:
    if isinstance(value, Decimal):
        return round(float(value), 6)
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat()[:19]
    if isinstance(value, date):
        return value.isoformat()
    return value


def normalise_served(value: Any, sql_type: str) -> Any:
    """Superset serves a DATE or TIMESTAMP as epoch milliseconds."""
    if sql_type == "DATE" and isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, tz=UTC).date().isoformat()
    if sql_type == "TIMESTAMP" and isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, tz=UTC).replace(tzinfo=None).isoformat()[:19]
    return normalise(value)
