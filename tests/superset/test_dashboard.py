"""The `ho-so-tthc` dashboard: served, its charts agree with the warehouse, it renders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from superset_api import ARTIFACTS, api, chart_rows, chart_titles, render, warehouse_rows

from foundation.databases import Databases
from hub import superset as hub_superset
from warehouse import reporting

SCREENSHOT = ARTIFACTS / "superset_dashboard.png"
DASHBOARD_SLUG = "ho-so-tthc"
TOP_AGENCIES = 15
BAR_CHART = f"Hồ sơ đúng hạn, trễ hạn: {TOP_AGENCIES} cơ quan nhiều hồ sơ nhất"
PIE_CHART = "Hồ sơ tiếp nhận theo kênh"
TABLE_CHART = "Tỷ lệ trễ hạn theo cơ quan"
TIMELINESS = ["Đúng hạn", "Trễ hạn", "Đang xử lý, còn hạn", "Không có hạn trả"]  # the bar chart's series
TOTAL = "Tổng số hồ sơ"
METRIC = "Số hồ sơ"


def test_health(superset_server: Any) -> None:
    response = httpx.get(f"{superset_server.base_url}/health", timeout=10)
    assert response.status_code == 200
    assert response.text.strip() == "OK"


def test_second_init_is_skipped(superset_server: Any) -> None:
    ran = hub_superset.init_metadata(superset_server.env, superset_server.password)
    assert ran is False


def test_dashboard_has_its_three_charts(superset_server: Any) -> None:
    with api(superset_server) as client:
        dashboard = client.get(f"/api/v1/dashboard/{DASHBOARD_SLUG}")
        dashboard.raise_for_status()
    assert dashboard.json()["result"]["dashboard_title"] == "Tình hình giải quyết hồ sơ thủ tục hành chính"
    assert chart_titles(superset_server, DASHBOARD_SLUG) == sorted([BAR_CHART, PIE_CHART, TABLE_CHART])


def test_superset_reads_the_warehouse_as_the_read_only_account(superset_server: Any) -> None:
    with api(superset_server) as client:
        found = client.get("/api/v1/database/")
        found.raise_for_status()
        (warehouse,) = [d for d in found.json()["result"] if d["database_name"] == "warehouse"]
        connection = client.get(f"/api/v1/database/{warehouse['id']}/connection")
        connection.raise_for_status()
    assert connection.json()["result"]["sqlalchemy_uri"].startswith(f"postgresql+psycopg2://{reporting.ROLE}:")


def test_bar_chart_shows_the_busiest_agencies_busiest_first(superset_server: Any, pipeline_ran: Databases) -> None:
    colnames, rows = chart_rows(superset_server, DASHBOARD_SLUG, BAR_CHART)
    assert colnames[0] == "agency_name" and sorted(colnames[1:]) == sorted([*TIMELINESS, TOTAL])
    expected = warehouse_rows(
        pipeline_ran,
        "select agency_name, " + ", ".join(f"count(*) filter (where timeliness = '{t}')" for t in TIMELINESS)
        + f", count(*) from marts.fct_dossiers where agency_rank <= {TOP_AGENCIES} group by 1 order by count(*)",
    )  # fmt: skip
    served = [(row["agency_name"], *(int(row[c]) for c in [*TIMELINESS, TOTAL])) for row in rows]
    assert sorted(served) == sorted(expected)
    assert [total for *_, total in served] == sorted(total for *_, total in expected)  # drawn bottom-up: busiest on top
    busiest = warehouse_rows(pipeline_ran, "select agency_name from marts.fct_dossiers group by 1 "
                              f"order by count(*) desc, min(agency_code) limit {TOP_AGENCIES}")  # fmt: skip
    assert {name for name, *_ in served} == {name for (name,) in busiest}


def test_table_lists_every_agency_with_its_late_share(superset_server: Any, pipeline_ran: Databases) -> None:
    colnames, rows = chart_rows(superset_server, DASHBOARD_SLUG, TABLE_CHART)
    assert colnames == ["agency_name", METRIC, "Trễ hạn", "Tỷ lệ trễ hạn"]
    expected = warehouse_rows(
        pipeline_ran,
        "select agency_name, count(*), count(*) filter (where timeliness = 'Trễ hạn'), "
        "(count(*) filter (where timeliness = 'Trễ hạn'))::numeric "
        "/ nullif(count(*) filter (where timeliness in ('Trễ hạn', 'Đúng hạn')), 0) "
        "from marts.fct_dossiers group by 1",
    )
    served = {r["agency_name"]: (r[METRIC], r["Trễ hạn"], r["Tỷ lệ trễ hạn"]) for r in rows}
    assert served.keys() == {name for name, *_ in expected}
    for name, count, late, share in expected:
        assert served[name][:2] == (count, late)
        assert served[name][2] == (None if share is None else pytest.approx(float(share)))
    lates = [r["Trễ hạn"] for r in rows]
    assert lates == sorted(lates, reverse=True)  # the latest agencies first


def test_pie_chart_matches_warehouse(superset_server: Any, pipeline_ran: Databases) -> None:
    colnames, rows = chart_rows(superset_server, DASHBOARD_SLUG, PIE_CHART)
    assert colnames[:2] == ["channel_name", METRIC]
    served = {row["channel_name"]: row[METRIC] for row in rows}
    expected = dict(
        warehouse_rows(
            pipeline_ran,
            "select channel_name, count(*) from marts.fct_dossiers group by 1",
        )
    )
    assert served == expected


@pytest.mark.timeout(180)
def test_dashboard_renders_in_chromium(superset_server: Any, launch_chromium: Callable[[Any], Any]) -> None:
    render(superset_server, launch_chromium, DASHBOARD_SLUG, [BAR_CHART, PIE_CHART, TABLE_CHART], SCREENSHOT)
