"""A chart's query two ways: as a dashboard sends it to Superset (the saved query with the dashboard's filter
values), and written directly on the published mart. The tests compare their figures, the bench their times."""

from __future__ import annotations

import json
from typing import Any

from dashboards.columns import dataset_columns
from dashboards.filters import LATEST_PERIOD_SQL, PERIOD_COLUMN
from dashboards.model import Chart

FilterValues = dict[str, list[str]]


def applicable(chart: Chart, filters: FilterValues) -> FilterValues:
    """The filter values whose column the chart's dataset has: Superset skips the others, and so does SQL."""
    columns = {c.name for c in dataset_columns(chart.dataset.table)}
    return {column: values for column, values in filters.items() if column in columns}


def with_filters(saved_query_context: str, chart: Chart, filters: FilterValues) -> dict[str, Any]:
    """The chart's saved query_context with the filters a dashboard adds, uncached (`force`)."""
    context = json.loads(saved_query_context)
    chosen = [{"col": c, "op": "IN", "val": v} for c, v in applicable(chart, filters).items()]
    for query in context["queries"]:
        query["filters"] = chosen
    # the dashboard also sends them in form_data, where a chart's templated conditions read them
    context["form_data"]["extra_form_data"] = {"filters": chosen}
    context["force"] = True
    return context


def direct_sql(chart: Chart, filters: FilterValues) -> tuple[str, list[Any]]:
    """The chart's figures written on the mart: its grouping, measures and conditions, every row (no limit)."""
    conditions = [f"({c})" for c in chart.where]
    params: list[Any] = []
    chosen = applicable(chart, filters)
    if PERIOD_COLUMN in {c.name for c in dataset_columns(chart.dataset.table)} and PERIOD_COLUMN not in chosen:
        conditions.append(LATEST_PERIOD_SQL)
    for column, values in chosen.items():
        conditions.append(f'"{column}" = any(%s)')
        params.append(values)
    where = f" where {' and '.join(conditions)}" if conditions else ""
    table = f"marts.{chart.dataset.table}"
    if chart.viz == "list":
        return f"select {', '.join(chart.columns)} from {table}{where}", params
    keys = group_keys(chart)
    measures = [f'{m.sql} as "{m.label}"' for m in chart.metrics]
    group = f" group by {', '.join(keys)}" if keys else ""
    return f"select {', '.join([*keys, *measures])} from {table}{where}{group}", params


def group_keys(chart: Chart) -> list[str]:
    """The columns a chart's rows are told apart by."""
    if chart.viz == "list":
        return list(chart.columns)
    return [*chart.groupby, *([chart.series] if chart.series else [])]
