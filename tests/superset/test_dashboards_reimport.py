"""Importing the bundles again updates the same objects: nothing duplicated, a leader's saved filter state kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from superset_api import api
from superset_roles import browser_session

from hub import superset as hub_superset
from hub.pipeline import Platform

IMPORT_MARKER = "dashboards-imported.json"  # superset_server/hub_superset_init.py: without it, the import runs


def _counts(server: Any) -> dict[str, int]:
    with api(server) as admin:
        return {kind: admin.get(f"/api/v1/{kind}/", params={"q": "(page_size:1)"}).json()["count"]
                for kind in ("dashboard", "chart", "dataset", "database")}  # fmt: skip


def test_reimport_duplicates_nothing_and_keeps_a_leaders_filter_state(superset_server: Any, platform: Platform) -> None:
    with api(superset_server) as admin:
        dashboard_id = admin.get("/api/v1/dashboard/tong-quan").json()["result"]["id"]
    chosen = json.dumps({"NATIVE_FILTER-dia_gioi": {"filterState": {"value": ["Trước 1/7/2025"]}}})
    leader_login = ("lanhdao", platform.secrets["superset_leader_password"])
    with browser_session(superset_server, *leader_login) as (leader, csrf):  # the filter bar's own session
        saved = leader.post(f"/api/v1/dashboard/{dashboard_id}/filter_state", json={"value": chosen},
                            headers={"X-CSRFToken": csrf, "Referer": superset_server.base_url})  # fmt: skip
        assert saved.status_code == 201, saved.text
        key = saved.json()["key"]
    before = _counts(superset_server)

    (Path(superset_server.env["SUPERSET_HOME"]) / IMPORT_MARKER).unlink(missing_ok=True)
    done = hub_superset.import_dashboards(superset_server.env, platform.reporting_url)
    assert done.imported

    assert _counts(superset_server) == before
    with browser_session(superset_server, *leader_login) as (leader, _):
        kept = leader.get(f"/api/v1/dashboard/{dashboard_id}/filter_state/{key}")
        assert kept.status_code == 200, kept.text
        assert json.loads(kept.json()["value"]) == json.loads(chosen)
