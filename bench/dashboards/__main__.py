"""Dashboard benchmark: every chart's query through Superset's chart-data API, cache off, against the same
figures by SQL directly on the published marts, over a simulated year of N one-stop dossiers.

A throwaway platform (embedded PostgreSQL and the real start-up stages), the year loaded into `raw` and
transformed as production does (`warehouse.transform.run_transform`); then Superset set up as `hub up` does
(metadata, the dashboard bundles, roles) and served on a free loopback port. For each chart of each dashboard,
with the dashboards' default filters (no period chosen: the latest month; the post-2025 boundary),
`--repeat` uncached requests (`force`), timed from the client, and the chart's SQL written directly on the
mart (`dashboards.queries`), run as many times over one psycopg connection. Prints per chart p50 and p95
of both and their ratio (Superset / SQL), the slowest charts first; target: every chart under one second p95.

Only the one-stop source is simulated: the document, sector and quality charts run on small marts and say
little about scale. Library logs go to a file (its path is printed).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench.year_of_dossiers import (
    FAR_FUTURE,
    FAR_PAST,
    backdate_loads,
    isolate,
    load,
    platform_with_simulated_year,
    quiet,
    say,
)
from dashboards.model import Chart
from dashboards.queries import FilterValues, direct_sql, with_filters
from dashboards.specs import DASHBOARDS
from foundation.net import free_loopback_port


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def default_filters() -> FilterValues:
    """What a leader opens: no period chosen (the charts read the latest month), the post-2025 boundary."""
    return {"boundary": ["Sau 1/7/2025"]}


def time_superset(client: httpx.Client, context: dict[str, object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.post("/api/v1/chart/data", json=context)
        samples.append(time.perf_counter() - started)
        response.raise_for_status()
    return samples


def time_sql(conn: psycopg.Connection, chart: Chart, filters: FilterValues, repeat: int) -> list[float]:
    query, params = direct_sql(chart, filters)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        conn.execute(query, params).fetchall()
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_500_000, help="dossiers received over the simulated year")
    parser.add_argument("--repeat", type=int, default=20, help="uncached requests per chart")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as scratch:
        isolate(Path(scratch))
        quiet(Path(tempfile.gettempdir()) / "bench-dashboards-logs")
        run(args.rows, args.repeat)


def run(rows: int, repeat: int) -> None:
    from foundation import databases
    from hub import superset as hub_superset
    from warehouse.transform import run_transform

    state, simulator, _ = platform_with_simulated_year(rows)
    url = state.warehouse
    process = None
    try:
        started = time.perf_counter()
        loaded = load(url, simulator.base_url, FAR_PAST, FAR_FUTURE)
        backdate_loads(url)
        say(f"raw: {rows:,} dossiers, {loaded:,} versions and events loaded in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        run_transform(url)
        say(f"transform: {time.perf_counter() - started:.0f} s (not timed here: see bench.transform)")

        env = hub_superset.superset_env(state.databases, state.secrets, state.settings.superset_home)
        hub_superset.init_metadata(env, state.secrets["superset_admin_password"])
        hub_superset.import_dashboards(env, state.reporting_url)
        port = free_loopback_port()
        process = hub_superset.serve(env, "127.0.0.1", port)
        base_url = f"http://127.0.0.1:{port}"
        hub_superset.wait_healthy(base_url, 180, process=process)
        measure(base_url, state.secrets["superset_admin_password"], url, repeat)
    finally:
        if process is not None:
            hub_superset.stop(process)
        simulator.stop()
        databases.embedded_server(state.settings).stop()


@contextmanager
def admin_client(base_url: str, admin_password: str, timeout_s: float) -> Iterator[httpx.Client]:
    """An API client holding the Superset admin's bearer token (one login: logins are rate-limited)."""
    from hub import superset as hub_superset

    with httpx.Client(base_url=base_url, timeout=timeout_s) as client:
        login = client.post("/api/v1/security/login", json={"username": hub_superset.ADMIN_USERNAME,
                            "password": admin_password, "provider": "db", "refresh": False})  # fmt: skip
        login.raise_for_status()
        client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        yield client


def chart_contexts(client: httpx.Client, filters: FilterValues) -> Iterator[tuple[str, Chart, dict[str, Any]]]:
    """Every chart of every dashboard: its name, spec and saved query context with `filters` applied."""
    for dashboard in DASHBOARDS:
        listed = client.get(f"/api/v1/dashboard/{dashboard.slug}/charts")
        listed.raise_for_status()
        ids = {c["slice_name"]: c["id"] for c in listed.json()["result"]}
        for chart in dashboard.charts():
            saved = client.get(f"/api/v1/chart/{ids[chart.title]}")
            saved.raise_for_status()
            context = with_filters(saved.json()["result"]["query_context"], chart, filters)
            yield f"{dashboard.slug}: {chart.title}", chart, context


def measure(base_url: str, admin_password: str, warehouse_url: str, repeat: int) -> None:
    filters = default_filters()
    say(f"filters: {filters}; {repeat} uncached requests per chart")
    results = []
    with admin_client(base_url, admin_password, 120) as client, psycopg.connect(warehouse_url) as conn:
        for name, chart, context in chart_contexts(client, filters):
            served = time_superset(client, context, repeat)
            direct = time_sql(conn, chart, filters, repeat)
            results.append((name, served, direct))
    results.sort(key=lambda r: percentile(r[1], 0.95), reverse=True)
    say(f"{'chart':<78} {'Superset p50/p95 ms':>20} {'SQL p50/p95 ms':>16} {'ratio p50':>9}")
    for name, served, direct in results:
        ratio = statistics.median(served) / max(statistics.median(direct), 1e-6)
        say(f"{name[:78]:<78} {percentile(served, 0.5) * 1000:9.0f}/{percentile(served, 0.95) * 1000:<9.0f} "
             f"{percentile(direct, 0.5) * 1000:7.0f}/{percentile(direct, 0.95) * 1000:<7.0f} {ratio:9.1f}")  # fmt: skip
    worst = max(percentile(served, 0.95) for _, served, _ in results)
    overhead = statistics.median([statistics.median(s) - statistics.median(d) for _, s, d in results])
    say(f"charts: {len(results)}; slowest p95 through Superset {worst * 1000:.0f} ms (target < 1000 ms); "
         f"median overhead Superset adds per chart {overhead * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
