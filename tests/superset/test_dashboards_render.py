"""Each dashboard in headless Chromium, as the leader (the quality one as the steward): every chart drawn with
no error, the Vietnamese title and every filter shown, a screenshot per dashboard (and tab) in test-artifacts/."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from superset_api import ARTIFACTS, render

from dashboards.model import Chart, Dashboard
from dashboards.specs import DASHBOARDS, LEADER_SLUGS
from hub.pipeline import Platform

LEADER = ("lanhdao", "superset_leader_password")
STEWARD = ("quanlydulieu", "superset_steward_password")


def _titles(rows: tuple[tuple[Any, ...], ...]) -> list[str]:
    return [cell.title for row in rows for cell in row if isinstance(cell, Chart)]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("dashboard", DASHBOARDS, ids=[d.slug for d in DASHBOARDS])
def test_dashboard_renders_for_its_audience(
    superset_server: Any, platform: Platform, launch_chromium: Callable[[Any], Any], dashboard: Dashboard
) -> None:
    username, secret = LEADER if dashboard.slug in LEADER_SLUGS else STEWARD
    login = (username, platform.secrets[secret])
    tabs: dict[str | None, list[str]] = {None: _titles(dashboard.rows)} if not dashboard.tabs else {}
    for tab in dashboard.tabs:
        tabs[tab.title] = _titles(tab.rows)
    texts = (dashboard.title, *(f.name for f in dashboard.filters))
    shots = render(superset_server, launch_chromium, dashboard.slug, tabs,
                   ARTIFACTS / f"dashboard_{dashboard.folder}.png", login=login, texts=texts)  # fmt: skip
    assert len(shots) == max(1, len(dashboard.tabs))
