"""The leaders' and stewards' roles: their own dashboards and nothing else, and a re-run changes nothing.

The slugs come from superset_server/hub_superset_roles.py; a listed dashboard not imported
yet is left out, and "another dashboard" is the steward's quality dashboard when it exists,
else any imported dashboard the leaders are not given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from superset_api import ARTIFACTS, api
from superset_roles import api_as, browser_session, chart_data_request, open_as, refused, roles_spec

from hub import superset as hub_superset
from hub.pipeline import Platform

SPEC = roles_spec()
TEST_SLUG = "kiem-thu-khong-giao"  # made only when no imported dashboard is outside the leaders' list
LEADER_LOGIN = ("lanhdao", "superset_leader_password")
STEWARD_LOGIN = ("quanlydulieu", "superset_steward_password")
JUSTICE_LOGIN = ("lanhdao_tuphap", "superset_justice_leader_password")


def _login(platform: Platform, login: tuple[str, str]) -> tuple[str, str]:
    username, secret = login
    return username, platform.secrets[secret]


@pytest.fixture(scope="module")
def dashboards(superset_server: Any) -> dict[str, int]:
    """slug → id of every imported dashboard, as the admin sees them."""
    with api(superset_server) as admin:
        found = admin.get("/api/v1/dashboard/", params={"q": "(page_size:100)"})
        found.raise_for_status()
    return {d["slug"]: d["id"] for d in found.json()["result"] if d["slug"]}


@pytest.fixture(scope="module")
def leader_slugs(dashboards: dict[str, int]) -> list[str]:
    present = [slug for slug in SPEC.LEADER_DASHBOARDS if slug in dashboards]
    assert present, f"none of the leaders' dashboards {SPEC.LEADER_DASHBOARDS} is imported ({sorted(dashboards)})"
    return present


@pytest.fixture(scope="module")
def other_slug(superset_server: Any, platform: Platform, dashboards: dict[str, int]) -> Iterator[str]:
    """A dashboard the leaders are not given: the steward's quality one, else any other, else
    an empty published one made for the test (and removed after it)."""
    quality = [slug for slug in SPEC.STEWARD_DASHBOARDS if slug not in SPEC.LEADER_DASHBOARDS]
    others = [slug for slug in [*quality, *sorted(dashboards)] if slug in dashboards]
    others = [slug for slug in others if slug not in SPEC.LEADER_DASHBOARDS]
    if others:
        yield others[0]
        return
    with api(superset_server) as admin:
        made = admin.post("/api/v1/dashboard/", json={"dashboard_title": "Kiểm thử", "slug": TEST_SLUG,
                                                      "published": True})  # fmt: skip
        assert made.status_code == 201, made.text
        dashboards[TEST_SLUG] = made.json()["id"]
        hub_superset.apply_access(superset_server.env, platform.secrets)  # the marker follows the new dashboard
        try:
            yield TEST_SLUG
        finally:
            admin.delete(f"/api/v1/dashboard/{dashboards.pop(TEST_SLUG)}").raise_for_status()
            hub_superset.apply_access(superset_server.env, platform.secrets)


def test_leader_logs_in_and_lists_exactly_the_leaders_dashboards(
    superset_server: Any, platform: Platform, leader_slugs: list[str]
) -> None:
    with api_as(superset_server, *_login(platform, LEADER_LOGIN)) as leader:
        listed = leader.get("/api/v1/dashboard/", params={"q": "(page_size:100)"})
        assert listed.status_code == 200, listed.text
        assert sorted(d["slug"] for d in listed.json()["result"]) == sorted(leader_slugs)
        for slug in leader_slugs:
            assert leader.get(f"/api/v1/dashboard/{slug}").status_code == 200, slug
            assert leader.get(f"/api/v1/dashboard/{slug}/charts").status_code == 200, slug


def test_leaders_charts_load_through_their_dashboard_only(
    superset_server: Any, platform: Platform, dashboards: dict[str, int], leader_slugs: list[str], other_slug: str
) -> None:
    """As the dashboard page asks for them: POST /api/v1/chart/data with dashboardId in form_data."""
    with api(superset_server) as admin, api_as(superset_server, *_login(platform, LEADER_LOGIN)) as leader:
        for slug in leader_slugs:
            charts = admin.get(f"/api/v1/dashboard/{slug}/charts")
            charts.raise_for_status()
            for chart in charts.json()["result"]:
                served = leader.post(
                    "/api/v1/chart/data", json=chart_data_request(admin, chart["id"], dashboards[slug])
                )
                assert served.status_code == 200, f"{slug} / {chart['slice_name']}: {served.text[:300]}"
        chart_id = admin.get(f"/api/v1/dashboard/{leader_slugs[0]}/charts").json()["result"][0]["id"]
        # the same chart without its dashboard, or through a dashboard not given to the leaders
        for dashboard_id in (None, dashboards[other_slug]):
            denied = leader.post("/api/v1/chart/data", json=chart_data_request(admin, chart_id, dashboard_id))
            assert denied.status_code == 403, denied.text[:300]
        assert leader.get(f"/api/v1/chart/{chart_id}/data/").status_code in (403, 404)
        # nor another query on the chart's dataset: raw rows (drill to detail), samples, another measure
        own = dashboards[leader_slugs[0]]
        detail = chart_data_request(admin, chart_id, own)
        detail["form_data"].pop("slice_id")
        dataset = admin.get(f"/api/v1/dataset/{detail['datasource']['id']}").json()["result"]
        detail["queries"] = [{"columns": [dataset["columns"][0]["column_name"]], "metrics": None, "row_limit": 5}]
        samples = chart_data_request(admin, chart_id, own) | {"result_type": "samples"}
        custom = chart_data_request(admin, chart_id, own)
        custom["queries"][0]["metrics"] = [{"expressionType": "SQL", "sqlExpression": "count(*)", "label": "n"}]
        for crafted in (detail, samples, custom):
            denied = leader.post("/api/v1/chart/data", json=crafted)
            assert denied.status_code == 403, denied.text[:300]
        # nor CSV export
        as_csv = chart_data_request(admin, chart_id, dashboards[leader_slugs[0]]) | {"result_format": "csv"}
        assert leader.post("/api/v1/chart/data", json=as_csv).status_code == 403


def test_leader_cannot_reach_sql_lab_explore_datasets_or_other_dashboards(
    superset_server: Any, platform: Platform, other_slug: str
) -> None:
    username, password = _login(platform, LEADER_LOGIN)
    with api_as(superset_server, username, password) as leader:
        assert leader.get(f"/api/v1/dashboard/{other_slug}").status_code in (403, 404)
        datasets = leader.get("/api/v1/dataset/")
        assert datasets.status_code in (401, 403) or datasets.json()["count"] == 0, datasets.text[:300]
        for path in ("/api/v1/database/", "/api/v1/chart/", "/api/v1/saved_query/", "/api/v1/query/"):
            found = leader.get(path)
            assert found.status_code in (401, 403) or found.json()["count"] == 0, f"{path}: {found.text[:300]}"
    with browser_session(superset_server, username, password) as (session, csrf):
        for page in ("/sqllab/", "/explore/", "/tablemodelview/list/", "/databaseview/list/"):
            assert refused(session.get(page)), page
        other = session.get(f"/superset/dashboard/{other_slug}/")
        assert refused(other) or other.status_code == 404, other.status_code
        executed = session.post("/api/v1/sqllab/execute/", json={"database_id": 1, "sql": "select 1"},
                                headers={"X-CSRFToken": csrf})  # fmt: skip
        assert executed.status_code in (401, 403), executed.text[:300]


def test_leader_opens_own_dashboard_page(superset_server: Any, platform: Platform, leader_slugs: list[str]) -> None:
    with browser_session(superset_server, *_login(platform, LEADER_LOGIN)) as (session, _):
        for slug in leader_slugs:
            assert session.get(f"/superset/dashboard/{slug}/").status_code == 200, slug


def test_leaders_dashboards_open_in_chromium_with_nothing_refused(
    superset_server: Any, platform: Platform, leader_slugs: list[str], launch_chromium: Callable[[Any], Any]
) -> None:
    """The home page and each dashboard as the leader: no request refused, no error shown."""
    username, password = _login(platform, LEADER_LOGIN)
    for slug in leader_slugs:
        shot = ARTIFACTS / f"superset_leader_{slug}.png"
        problems = open_as(superset_server, launch_chromium, username, password, f"/superset/dashboard/{slug}/", shot)
        assert problems == [], f"{slug}: {problems}"


def test_steward_reads_every_steward_dashboard(
    superset_server: Any, platform: Platform, dashboards: dict[str, int]
) -> None:
    present = [slug for slug in SPEC.STEWARD_DASHBOARDS if slug in dashboards]
    with api_as(superset_server, *_login(platform, STEWARD_LOGIN)) as steward:
        listed = steward.get("/api/v1/dashboard/", params={"q": "(page_size:100)"})
        assert sorted(d["slug"] for d in listed.json()["result"]) == sorted(present)
        for slug in present:
            assert steward.get(f"/api/v1/dashboard/{slug}").status_code == 200, slug
        assert steward.get("/api/v1/dataset/").status_code in (401, 403)


def test_justice_leader_has_the_leader_role_and_the_row_filter(
    superset_server: Any, platform: Platform, leader_slugs: list[str]
) -> None:
    with api_as(superset_server, *_login(platform, JUSTICE_LOGIN)) as justice:
        listed = justice.get("/api/v1/dashboard/", params={"q": "(page_size:100)"})
        assert sorted(d["slug"] for d in listed.json()["result"]) == sorted(leader_slugs)
    (rule,) = SPEC.RLS_RULES
    with psycopg.connect(_plain(superset_server.env["SUPERSET_DB_URL"])) as conn:
        rows = conn.execute(
            "select f.filter_type, f.clause, array(select r.name from rls_filter_roles fr join ab_role r "
            "on r.id = fr.role_id where fr.rls_filter_id = f.id), array(select ft.table_id from rls_filter_tables ft "
            "where ft.rls_filter_id = f.id order by 1) "
            "from row_level_security_filters f where f.name = %s",
            (rule.name,),
        ).fetchall()
        with_both = conn.execute(
            "select table_id from table_columns where column_name = any(%s) group by table_id "
            "having count(distinct column_name) = %s order by 1",
            (list(rule.columns), len(rule.columns)),
        ).fetchall()
    assert rows == [("Regular", f"'{SPEC.JUSTICE_AGENCY_CODE}' in (agency_code, parent_agency_code)",
                     [SPEC.JUSTICE_LEADER], [table_id for (table_id,) in with_both])]  # fmt: skip


def test_rerun_changes_nothing(superset_server: Any, platform: Platform) -> None:
    env = superset_server.env
    applied, _ = hub_superset.apply_access(env, platform.secrets)
    assert applied is False  # the marker and the metadata DB agree: skipped
    before = _snapshot(env)
    (platform.settings.superset_home / "access-applied.json").unlink()
    applied, _ = hub_superset.apply_access(env, platform.secrets)
    assert applied is True
    assert _snapshot(env) == before


def _snapshot(env: dict[str, str]) -> list[tuple[Any, ...]]:
    """Counts and links the access step owns; equal before and after a second run."""
    users = [u.username for u in SPEC.USERS]
    roles = [r.name for r in SPEC.ROLES]
    with psycopg.connect(_plain(env["SUPERSET_DB_URL"])) as conn:
        return [
            *conn.execute("select name, count(*) from ab_role where name = any(%s) group by 1 order by 1", (roles,)),
            *conn.execute(
                "select u.username, u.password, array_agg(r.name order by r.name) from ab_user u "
                "join ab_user_role ur on ur.user_id = u.id join ab_role r on r.id = ur.role_id "
                "where u.username = any(%s) group by 1, 2 order by 1",
                (users,),
            ),
            *conn.execute(
                "select r.name, array_agg(pvr.permission_view_id order by pvr.permission_view_id) from ab_role r "
                "join ab_permission_view_role pvr on pvr.role_id = r.id where r.name = any(%s) group by 1 order by 1",
                (roles,),
            ),
            *conn.execute(
                "select d.slug, array_agg(r.name order by r.name) from dashboards d join dashboard_roles dr "
                "on dr.dashboard_id = d.id join ab_role r on r.id = dr.role_id group by 1 order by 1"
            ),
            *conn.execute("select name, clause, id from row_level_security_filters order by 1"),
        ]


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg2://", "postgresql://", 1)
