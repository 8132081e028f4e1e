"""What the role tests share: the roles' declarations, a user's API client and browser session."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
from superset_api import api

ROLES_MODULE = Path(__file__).resolve().parents[2] / "superset_server" / "hub_superset_roles.py"


def roles_spec() -> ModuleType:
    """superset_server/hub_superset_roles.py (standard library only at import), loaded by path."""
    spec = importlib.util.spec_from_file_location("hub_superset_roles", ROLES_MODULE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Login:
    """A user of `superset_server`: what `superset_api.api` and `render` need."""

    base_url: str
    username: str
    password: str = field(repr=False)


@contextmanager
def api_as(server: Any, username: str, password: str) -> Iterator[httpx.Client]:
    """An API client holding `username`'s bearer token."""
    with api(server, (username, password)) as client:
        yield client


@contextmanager
def browser_session(server: Any, username: str, password: str) -> Iterator[tuple[httpx.Client, str]]:
    """A client logged in through the login form (a session cookie, as a browser), and its CSRF token."""
    with httpx.Client(base_url=server.base_url, timeout=60, follow_redirects=False) as client:
        form = client.get("/login/")
        form.raise_for_status()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"', form.text)
        csrf = next(group for group in token.groups() if group) if token else ""
        done = client.post("/login/", data={"username": username, "password": password, "csrf_token": csrf})
        assert done.status_code in (302, 303) and "/login" not in done.headers.get("location", ""), done.text[:300]
        yield client, csrf


def refused(response: httpx.Response) -> bool:
    """403/401, or a redirect to the login page or away from the page asked for."""
    if response.status_code in (401, 403):
        return True
    if response.status_code in (301, 302, 303, 307, 308):
        return response.request.url.path not in response.headers.get("location", "")
    return False


def chart_data_request(admin: httpx.Client, chart_id: int, dashboard_id: int | None) -> dict[str, Any]:
    """The chart's saved query_context, as a dashboard sends it: with dashboardId and slice_id."""
    chart = admin.get(f"/api/v1/chart/{chart_id}")
    chart.raise_for_status()
    result = chart.json()["result"]
    context = json.loads(result["query_context"])
    context["datasource"] = {"id": result["datasource_id"], "type": result["datasource_type"]}
    form_data = context.setdefault("form_data", {})
    form_data["slice_id"] = chart_id
    if dashboard_id is None:
        form_data.pop("dashboardId", None)
    else:
        form_data["dashboardId"] = dashboard_id
    context["force"] = True
    return context


def open_as(
    server: Any, launch_chromium: Callable[[Any], Any], username: str, password: str, path: str, screenshot: Path
) -> list[str]:
    """Log in as `username` in Chromium, open `path`, wait until the page is idle, take a screenshot.

    Returns what the page was refused: "<status> <method> <path>" for every answer of 400 or more,
    and every error alert shown. At least one chart must have drawn.
    """
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="vi-VN")
            page.on("response", lambda r: problems.append(f"{r.status} {r.request.method} {r.url}")
                    if r.status >= 400 else None)  # fmt: skip
            page.goto(f"{server.base_url}/login/")
            page.fill("[data-test=username-input]", username)
            page.fill("[data-test=password-input]", password)
            page.click("[data-test=login-button]")
            page.wait_for_url(lambda url: "/login" not in url, timeout=30_000)
            page.wait_for_load_state("networkidle")
            page.goto(f"{server.base_url}{path}")
            drawn = page.locator("[data-test=chart-container]").locator("canvas, svg, table")
            drawn.first.wait_for(state="visible", timeout=60_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1500)
            page.screenshot(path=str(screenshot), full_page=True)
            errors = page.locator(".ant-alert-error, [data-test=error-message], .alert-danger")
            problems.extend(f"shown: {errors.nth(i).inner_text()}" for i in range(errors.count()))
        finally:
            browser.close()
    return problems
