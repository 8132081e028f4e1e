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


# Superset answers the 11th login of an account within a minute with 429 (superset_config.py): the tests
# log each account in once per server and reuse its bearer token (valid 15 minutes, longer than they run)
_TOKENS: dict[tuple[str, str], str] = {}


def bearer_token(server: Any, username: str, password: str) -> str:
    key = (server.base_url, username)
    if key not in _TOKENS:
        login = httpx.post(f"{server.base_url}/api/v1/security/login", timeout=60, json={
            "username": username, "password": password, "provider": "db", "refresh": False,
        })  # fmt: skip
        assert login.status_code == 200, f"{username}: {login.status_code} {login.text[:200]}"
        _TOKENS[key] = login.json()["access_token"]
    return _TOKENS[key]


@contextmanager
def api(server: Any, login: tuple[str, str] | None = None) -> Iterator[httpx.Client]:
    """An API client holding a bearer token (the admin's, or `login`'s) from Superset's own login endpoint."""
    username, password = login or (server.username, server.password)
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        client.headers["Authorization"] = f"Bearer {bearer_token(server, username, password)}"
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


def render(
    server: Any,
    launch_chromium: Callable[[Any], Any],
    slug: str,
    tabs: dict[str | None, list[str]],
    screenshot: Path,
    login: tuple[str, str] | None = None,
    texts: tuple[str, ...] = (),
) -> list[Path]:
    """Log in (as `login`, else the admin), open the dashboard in Chromium and, tab by tab (`None`: no tabs), wait
    for every chart titled in `tabs` to draw, check it shows no error, and take a full-page screenshot; check
    that each of `texts` shows (title, filter names). Returns the screenshots.

    Fails if the page fetched anything outside Superset itself.
    """
    username, password = login or (server.username, server.password)
    outside: list[str] = []
    shots: list[Path] = []
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)  # playwright gives every launch a fresh profile
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="vi-VN")
            page.on("response", lambda response: None if response.url.startswith(
                (server.base_url, "data:", "blob:")) else outside.append(response.url))  # fmt: skip
            page.goto(f"{server.base_url}/login/")
            page.fill("[data-test=username-input]", username)
            page.fill("[data-test=password-input]", password)
            page.click("[data-test=login-button]")
            page.wait_for_url(lambda url: "/login" not in url, timeout=30_000)

            page.goto(f"{server.base_url}/superset/dashboard/{slug}/")
            for number, (tab, titles) in enumerate(tabs.items()):
                if tab is not None:
                    page.get_by_role("tab", name=tab).first.click()
                for title in titles:
                    _wait_drawn(page, title)
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(1500)  # let the ECharts entry animation finish
                shot = screenshot if tab is None else screenshot.with_name(f"{screenshot.stem}_{number + 1}.png")
                page.screenshot(path=str(shot), full_page=True)
                shots.append(shot)
                assert page.locator(".ant-alert-error").count() == 0
            for text in texts:
                assert page.get_by_text(text, exact=True).first.is_visible(), text
        finally:
            browser.close()
    for shot in shots:
        assert shot.stat().st_size > 20_000
    # the CSP allows only Superset itself; blocked attempts (Superset's telemetry pixel) never get a response
    assert outside == []
    return shots


def _wait_drawn(page: Any, title: str) -> None:
    chart = page.locator(f'[data-test="chart-grid-component"][data-test-chart-name="{title}"]')
    chart.scroll_into_view_if_needed(timeout=60_000)  # charts below the fold draw only once scrolled to
    drawing = chart.locator("[data-test=chart-container]").locator(
        "canvas, svg, table, .superset-legacy-chart-big-number"
    )
    drawing.first.wait_for(state="visible", timeout=60_000)
    errors = chart.locator(".ant-alert-error, [data-test=error-message], .alert-danger")
    assert errors.count() == 0, f"{title}: {errors.first.inner_text()}"
    assert page.get_by_text(title, exact=True).first.is_visible(), title
