"""The Sở Tư pháp leader (row-level security): a chart's data through their dashboard holds exactly the rows of
Sở Tư pháp and the agencies under it, compared with SQL on the mart with the same predicate."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import psycopg
from chart_data import normalise
from superset_api import api
from superset_roles import api_as, chart_data_request, roles_spec

from dashboards.queries import direct_sql, group_keys, with_filters
from dashboards.specs import mot_cua
from foundation.databases import Databases
from hub.pipeline import Platform

SPEC = roles_spec()


def test_the_justice_leader_gets_only_their_agencies_rows(
    superset_server: Any, platform: Platform, pipeline_ran: Databases
) -> None:
    chart = mot_cua.AGENCY_TABLE
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        (year,) = conn.execute("select period_label from marts.dim_reporting_period where period_kind = 'year' "
                               "order by period_order limit 1").fetchone()  # fmt: skip
    chosen = {"period_label": [year]}
    with api(superset_server) as admin:
        dashboard_id = admin.get("/api/v1/dashboard/mot-cua").json()["result"]["id"]
        listed = admin.get("/api/v1/dashboard/mot-cua/charts").json()["result"]
        chart_id = next(c["id"] for c in listed if c["slice_name"] == chart.title)
        request = chart_data_request(admin, chart_id, dashboard_id)
        everyone = admin.post("/api/v1/chart/data", json=request)
        assert everyone.status_code == 200, everyone.text
    request = with_filters(json.dumps(request), chart, chosen)
    with api_as(superset_server, "lanhdao_tuphap", platform.secrets["superset_justice_leader_password"]) as justice:
        served = justice.post("/api/v1/chart/data", json=request)
        assert served.status_code == 200, served.text
    (rule,) = SPEC.RLS_RULES
    restricted = dataclasses.replace(chart, where=(*chart.where, rule.clause))
    query, params = direct_sql(restricted, chosen)
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        expected = {tuple(normalise(v) for v in row) for row in conn.execute(query, params).fetchall()}
        theirs = f"select distinct agency_name from marts.fct_dossier_period_counts where {rule.clause}"
        justice_agencies = {name for (name,) in conn.execute(theirs).fetchall()}
    names = [*group_keys(chart), *(m.label for m in chart.metrics)]
    (result,) = served.json()["result"]
    got = {tuple(normalise(row[name]) for name in names) for row in result["data"]}
    assert got == expected
    assert got and {row[1] for row in got} <= justice_agencies
    assert len(got) < len(everyone.json()["result"][0]["data"])
