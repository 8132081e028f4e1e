"""The `ho-so-tthc` dashboard: served, its charts agree with the warehouse, it renders."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from playwright.sync_api import sync_playwright

from hub import reporting
from hub import superset as hub_superset
from hub.databases import Databases

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO_ROOT / "test-artifacts" / "superset_dashboard.png"
DASHBOARD_SLUG = "ho-so-tthc"
TOP_AGENCIES = 15
BAR_CHART = f"Hồ sơ đúng hạn, trễ hạn: {TOP_AGENCIES} cơ quan nhiều hồ sơ nhất"
PIE_CHART = "Hồ sơ tiếp nhận theo kênh"
TABLE_CHART = "Tỷ lệ trễ hạn theo cơ quan"
TIMELINESS = ["Đúng hạn", "Trễ hạn", "Đang xử lý, còn hạn", "Không có hạn trả"]  # the bar chart's series
TOTAL = "Tổng số hồ sơ"
METRIC = "Số hồ sơ"


@contextmanager
def _api(server: Any) -> Iterator[httpx.Client]:
    """An API client holding a bearer token from Superset's own login endpoint."""
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        login = client.post(
            "/api/v1/security/login",
            json={
                "username": server.username,
                "password": server.password,
                "provider": "db",
                "refresh": False,
            },
        )
        login.raise_for_status()
        client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        yield client


def _warehouse_rows(databases: Databases, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(databases.warehouse) as conn:
        return conn.execute(query).fetchall()


def test_health(superset_server: Any) -> None:
    response = httpx.get(f"{superset_server.base_url}/health", timeout=10)
    assert response.status_code == 200
    assert response.text.strip() == "OK"


def test_second_init_is_skipped(superset_server: Any) -> None:
    started = time.monotonic()
    ran = hub_superset.init_metadata(superset_server.env, superset_server.password)
    assert ran is False
    assert time.monotonic() - started < 5


def test_dashboard_has_its_three_charts(superset_server: Any) -> None:
    with _api(superset_server) as api:
        dashboard = api.get(f"/api/v1/dashboard/{DASHBOARD_SLUG}")
        dashboard.raise_for_status()
        assert dashboard.json()["result"]["dashboard_title"] == "Tình hình giải quyết hồ sơ thủ tục hành chính"
        charts = api.get(f"/api/v1/dashboard/{DASHBOARD_SLUG}/charts")
        charts.raise_for_status()
    assert sorted(c["slice_name"] for c in charts.json()["result"]) == sorted([BAR_CHART, PIE_CHART, TABLE_CHART])


def test_superset_reads_the_warehouse_as_the_read_only_account(superset_server: Any) -> None:
    with _api(superset_server) as api:
        found = api.get("/api/v1/database/")
        found.raise_for_status()
        (warehouse,) = [d for d in found.json()["result"] if d["database_name"] == "warehouse"]
        connection = api.get(f"/api/v1/database/{warehouse['id']}/connection")
        connection.raise_for_status()
    assert connection.json()["result"]["sqlalchemy_uri"].startswith(f"postgresql+psycopg2://{reporting.ROLE}:")


def _chart_rows(superset_server: Any, title: str) -> tuple[list[str], list[dict[str, Any]]]:
    """The chart's data as Superset serves it, from the query_context saved with it."""
    with _api(superset_server) as api:
        charts = api.get(f"/api/v1/dashboard/{DASHBOARD_SLUG}/charts")
        charts.raise_for_status()
        chart_id = next(c["id"] for c in charts.json()["result"] if c["slice_name"] == title)
        response = api.get(
            f"/api/v1/chart/{chart_id}/data/",
            params={"format": "json", "type": "full", "force": "true"},
        )
        assert response.status_code == 200, response.text
    (result,) = response.json()["result"]
    return result["colnames"], result["data"]


def test_bar_chart_shows_the_busiest_agencies_busiest_first(superset_server: Any, pipeline_ran: Databases) -> None:
    colnames, rows = _chart_rows(superset_server, BAR_CHART)
    assert colnames[0] == "agency_name" and sorted(colnames[1:]) == sorted([*TIMELINESS, TOTAL])
    expected = _warehouse_rows(
        pipeline_ran,
        "select agency_name, " + ", ".join(f"count(*) filter (where timeliness = '{t}')" for t in TIMELINESS)
        + f", count(*) from marts.fct_dossiers where agency_rank <= {TOP_AGENCIES} group by 1 order by count(*)",
    )  # fmt: skip
    served = [(row["agency_name"], *(int(row[c]) for c in [*TIMELINESS, TOTAL])) for row in rows]
    assert sorted(served) == sorted(expected)
    assert [total for *_, total in served] == sorted(total for *_, total in expected)  # drawn bottom-up: busiest on top
    busiest = _warehouse_rows(pipeline_ran, "select agency_name from marts.fct_dossiers group by 1 "
                              f"order by count(*) desc, min(agency_code) limit {TOP_AGENCIES}")  # fmt: skip
    assert {name for name, *_ in served} == {name for (name,) in busiest}


def test_table_lists_every_agency_with_its_late_share(superset_server: Any, pipeline_ran: Databases) -> None:
    colnames, rows = _chart_rows(superset_server, TABLE_CHART)
    assert colnames == ["agency_name", METRIC, "Trễ hạn", "Tỷ lệ trễ hạn"]
    expected = _warehouse_rows(
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
    colnames, rows = _chart_rows(superset_server, PIE_CHART)
    assert colnames[:2] == ["channel_name", METRIC]
    served = {row["channel_name"]: row[METRIC] for row in rows}
    expected = dict(
        _warehouse_rows(
            pipeline_ran,
            "select channel_name, count(*) from marts.fct_dossiers group by 1",
        )
    )
    assert served == expected


@pytest.mark.timeout(180)
def test_dashboard_renders_in_chromium(superset_server: Any, launch_chromium: Callable[[Any], Any]) -> None:
    base_url = superset_server.base_url
    outside: list[str] = []
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        # playwright gives every launch a fresh temporary profile (--user-data-dir)
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="vi-VN")
            page.on(
                "response",
                lambda response: (
                    None if response.url.startswith((base_url, "data:", "blob:")) else outside.append(response.url)
                ),
            )
            page.goto(f"{base_url}/login/")
            page.fill("[data-test=username-input]", superset_server.username)
            page.fill("[data-test=password-input]", superset_server.password)
            page.click("[data-test=login-button]")
            page.wait_for_url(lambda url: "/login" not in url, timeout=30_000)

            page.goto(f"{base_url}/superset/dashboard/{DASHBOARD_SLUG}/")
            for title in (BAR_CHART, PIE_CHART):
                chart = page.locator(f'[data-test="chart-grid-component"][data-test-chart-name="{title}"]')
                drawing = chart.locator("[data-test=chart-container]").locator("canvas, svg")
                drawing.first.wait_for(state="visible", timeout=60_000)
                errors = chart.locator(".ant-alert-error, [data-test=error-message], .alert-danger")
                assert errors.count() == 0, f"{title}: {errors.first.inner_text()}"
            table = page.locator(f'[data-test="chart-grid-component"][data-test-chart-name="{TABLE_CHART}"] table')
            table.first.wait_for(state="visible", timeout=60_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1500)  # let the ECharts entry animation finish
            page.screenshot(path=str(SCREENSHOT), full_page=True)

            for title in (BAR_CHART, PIE_CHART, TABLE_CHART, "Tình hình giải quyết hồ sơ thủ tục hành chính"):
                assert page.get_by_text(title, exact=True).first.is_visible(), title
            assert page.locator(".ant-alert-error").count() == 0
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 20_000
    # the CSP allows only Superset itself; blocked attempts (Superset's telemetry
    # pixel) never get a response
    assert outside == []
