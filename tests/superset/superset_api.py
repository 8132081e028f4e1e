"""What the dashboard tests share: Superset's API as a logged-in user, chart data, a Chromium render."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
from playwright.sync_api import sync_playwright

from foundation.databases import Databases

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@contextmanager
def api(server: Any) -> Iterator[httpx.Client]:
    """An API client holding a bearer token from Superset's own login endpoint."""
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        login = client.post("/api/v1/security/login", json={
            "username": server.username, "password": server.password, "provider": "db", "refresh": False,
        })  # fmt: skip
        login.raise_for_status()
        client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        yield client


def warehouse_rows(databases: Databases, query: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(databases.warehouse) as conn:
        return conn.execute(query).fetchall()


def chart_titles(server: Any, slug: str) -> list[str]:
    with api(server) as client:
        charts = client.get(f"/api/v1/dashboard/{slug}/charts")
        charts.raise_for_status()
    return sorted(c["slice_name"] for c in charts.json()["result"])


def chart_rows(server: Any, slug: str, title: str) -> tuple[list[str], list[dict[str, Any]]]:
    """The chart's data as Superset serves it, from the query_context saved with it."""
    with api(server) as client:
        charts = client.get(f"/api/v1/dashboard/{slug}/charts")
        charts.raise_for_status()
        chart_id = next(c["id"] for c in charts.json()["result"] if c["slice_name"] == title)
        response = client.get(f"/api/v1/chart/{chart_id}/data/", params={"format": "json", "type": "full",
                                                                          "force": "true"})  # fmt: skip
        assert response.status_code == 200, response.text
    (result,) = response.json()["result"]
    return result["colnames"], result["data"]


def render(server: Any, launch_chromium: Callable[[Any], Any], slug: str, titles: list[str], screenshot: Path) -> None:
    """Log in, open the dashboard in Chromium, wait for every chart to draw, check for errors, take a screenshot.

    Fails if the page fetched anything outside Superset itself.
    """
    outside: list[str] = []
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)  # playwright gives every launch a fresh profile
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="vi-VN")
            page.on("response", lambda response: None if response.url.startswith(
                (server.base_url, "data:", "blob:")) else outside.append(response.url))  # fmt: skip
            page.goto(f"{server.base_url}/login/")
            page.fill("[data-test=username-input]", server.username)
            page.fill("[data-test=password-input]", server.password)
            page.click("[data-test=login-button]")
            page.wait_for_url(lambda url: "/login" not in url, timeout=30_000)

            page.goto(f"{server.base_url}/superset/dashboard/{slug}/")
            for title in titles:
                chart = page.locator(f'[data-test="chart-grid-component"][data-test-chart-name="{title}"]')
                drawing = chart.locator("[data-test=chart-container]").locator("canvas, svg, table")
                drawing.first.wait_for(state="visible", timeout=60_000)
                errors = chart.locator(".ant-alert-error, [data-test=error-message], .alert-danger")
                assert errors.count() == 0, f"{title}: {errors.first.inner_text()}"
                assert page.get_by_text(title, exact=True).first.is_visible(), title
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1500)  # let the ECharts entry animation finish
            page.screenshot(path=str(screenshot), full_page=True)
            assert page.locator(".ant-alert-error").count() == 0
        finally:
            browser.close()
    assert screenshot.stat().st_size > 20_000
    # the CSP allows only Superset itself; blocked attempts (Superset's telemetry pixel) never get a response
    assert outside == []
