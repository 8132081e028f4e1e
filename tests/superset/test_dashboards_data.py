"""Every chart of every dashboard: the figures Superset's chart-data API serves equal SQL on the published marts,
under the default filters and under the pre-2025 boundary with a whole year and one agency."""

from __future__ import annotations

from collections import Counter
from typing import Any

import psycopg
import pytest
from chart_data import normalise, normalise_served, served_rows
from superset_api import api

from dashboards import filters
from dashboards.model import Chart, Dashboard
from dashboards.queries import direct_sql, group_keys
from dashboards.specs import DASHBOARDS
from foundation.databases import Databases

CHARTS = [(d, c) for d in DASHBOARDS for c in d.charts()]
COMBINATIONS = ("mac_dinh", "truoc_2025_ca_nam_mot_co_quan")


@pytest.fixture(scope="module")
def filter_values(pipeline_ran: Databases) -> dict[str, dict[str, list[str]]]:
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        (year,) = conn.execute("select period_label from marts.dim_reporting_period where period_kind = 'year' "
                               "order by period_order limit 1").fetchone()  # fmt: skip
        (agency,) = conn.execute("select agency_name from marts.fct_dossier_period_counts where period_kind = 'year' "
                                 "group by 1 order by sum(received) desc, 1 limit 1").fetchone()  # fmt: skip
        (source,) = conn.execute("select source_name from marts.fct_quality_loads_daily "
                                 "group by 1 order by sum(rows_loaded) desc, 1 limit 1").fetchone()  # fmt: skip
    return {
        # what a leader sees on opening: no period chosen (the latest month), the post-2025 boundary
        "mac_dinh": {"boundary": [filters.POST_2025]},
        "truoc_2025_ca_nam_mot_co_quan": {"period_label": [year], "boundary": [filters.PRE_2025],
                                          "agency_name": [agency], "source_name": [source]},
    }  # fmt: skip


@pytest.fixture(scope="module")
def chart_ids(superset_server: Any) -> dict[tuple[str, str], int]:
    ids = {}
    with api(superset_server) as client:
        for dashboard in DASHBOARDS:
            charts = client.get(f"/api/v1/dashboard/{dashboard.slug}/charts")
            charts.raise_for_status()
            for chart in charts.json()["result"]:
                ids[(dashboard.slug, chart["slice_name"])] = chart["id"]
    return ids


def _as_served(row: dict[str, Any], names: list[str], like: tuple[Any, ...] | None) -> tuple[Any, ...]:
    """A served row in the expected row's terms (Superset sends a DATE or TIMESTAMP as epoch milliseconds)."""
    values = []
    for position, name in enumerate(names):
        value = row[name]
        example = like[position] if like else None
        kind = "DATE" if isinstance(example, str) and len(example) == 10 and example[4] == "-" else (
            "TIMESTAMP" if isinstance(example, str) and len(example) == 19 and example[10] == "T" else "")  # fmt: skip
        values.append(normalise_served(value, kind))
    return tuple(values)


@pytest.mark.parametrize("combination", COMBINATIONS)
@pytest.mark.parametrize(("dashboard", "chart"), CHARTS, ids=[f"{d.slug}:{c.key}" for d, c in CHARTS])
def test_chart_data_equals_sql_on_the_marts(
    superset_server: Any,
    pipeline_ran: Databases,
    filter_values: dict[str, dict[str, list[str]]],
    chart_ids: dict[tuple[str, str], int],
    dashboard: Dashboard,
    chart: Chart,
    combination: str,
) -> None:
    chosen = filter_values[combination]
    with api(superset_server) as client:
        served = served_rows(client, chart_ids[(dashboard.slug, chart.title)], chart, chosen)
    query, params = direct_sql(chart, chosen)
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        expected = [tuple(normalise(v) for v in row) for row in conn.execute(query, params).fetchall()]
    names = [*group_keys(chart), *(m.label for m in chart.metrics)] if chart.viz != "list" else group_keys(chart)
    got = [_as_served(row, names, expected[0] if expected else None) for row in served]
    if len(expected) <= chart.row_limit:
        assert Counter(got) == Counter(expected)
        return
    # a top-N chart: N rows, each one of the expected, none beaten by a row left out
    assert len(got) == chart.row_limit
    assert not Counter(got) - Counter(expected)
    _assert_top_rows(chart, got, expected, len(group_keys(chart)))


def _assert_top_rows(chart: Chart, got: list[tuple[Any, ...]], expected: list[tuple[Any, ...]], keys: int) -> None:
    if chart.sort_by is not None:
        return  # ranked by a measure not drawn: membership is what can be checked here
    labels = [m.label for m in chart.metrics]
    name, ascending = next(((n, a) for n, a in chart.order_by if n in labels), (labels[0], False))
    position = keys + labels.index(name)
    kept = [row[position] or 0 for row in got]
    left_out = [row[position] or 0 for row in expected if row not in got]
    if ascending:
        assert max(kept) <= min(left_out)
    else:
        assert min(kept) >= max(left_out)
