"""The serving side of bench.e2e: Superset as `hub up` starts it and a cache warm-up of every chart, and the
sharing API's first full pull of the dossiers dataset."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from bench.dashboards.__main__ import admin_client, chart_contexts, default_filters
from bench.e2e.measure import Stage, tree_peak_mb
from bench.sharing.__main__ import PAGE, api, pull, token
from bench.year_of_dossiers import say
from foundation.net import free_loopback_port


@contextmanager
def superset(platform: object) -> Iterator[tuple[str, subprocess.Popen[bytes], Stage]]:
    """Superset's metadata, the bundles and roles (hub/stack.py's stages), then gunicorn on a free port."""
    from hub import stack
    from hub import superset as hub_superset

    started = time.perf_counter()
    env = stack.prepare_dashboards(platform)  # type: ignore[arg-type]
    port = free_loopback_port()
    process = hub_superset.serve(env, "127.0.0.1", port)
    base_url = f"http://127.0.0.1:{port}"
    try:
        hub_superset.wait_healthy(base_url, 240, process=process)
        seconds, peak = time.perf_counter() - started, tree_peak_mb(process.pid)
        stage = Stage("superset start-up (not in the increment)", seconds, peak, "metadata, bundles, roles", "superset")
        say(f"  {stage.name}: {stage.seconds:.1f} s")
        yield base_url, process, stage
    finally:
        hub_superset.stop(process)


def warm_up(base_url: str, process: subprocess.Popen[bytes], admin_password: str, name: str, force: bool) -> Stage:
    """Every chart of every dashboard once with the filters a leader opens them with, cache on: a cold
    cache computes and stores each (`force` False); after a publication the refresh recomputes and stores
    each (`force` True: the data cache's 300 s would otherwise serve the previous figures)."""
    started = time.perf_counter()
    filters, charts, cached = default_filters(), 0, 0
    with admin_client(base_url, admin_password, 300) as client:
        for _, _, context in chart_contexts(client, filters):
            context["force"] = force
            response = client.post("/api/v1/chart/data", json=context)
            response.raise_for_status()
            charts += 1
            cached += sum(1 for r in response.json()["result"] if r.get("is_cached"))
    stage = Stage(name, time.perf_counter() - started, tree_peak_mb(process.pid),
                  f"{charts} charts ({cached} answered from cache)", "superset")  # fmt: skip
    say(f"  {name}: {stage.seconds:.1f} s, {stage.rows}")
    return stage


def first_full_pull(platform: object) -> Stage:
    """A new client with an `all` grant on `dossiers` pulls the whole dataset as CSV, 10,000-row pages."""
    from sharing import clients, datasets, grants
    from sharing import roles as sharing_roles

    warehouse = platform.databases.warehouse  # type: ignore[attr-defined]
    dataset = datasets.by_id(list(datasets.INTEGRATED))["dossiers"]
    with psycopg.connect(warehouse, autocommit=True) as conn:
        agency = conn.execute("select min(code) from catalog.codes where catalog = 'agency'").fetchone()[0]
        client = clients.add(conn, "e2e-client", "bench.e2e", agency, "bench", requests_per_minute=10_000_000)
        grants.add(conn, client.client_id, dataset, grants.Scope.parse("all"), (), "benchmark", "bench")
    api_url = sharing_roles.api_url(platform.settings, warehouse)  # type: ignore[attr-defined]
    with api(api_url) as server:
        started = time.perf_counter()
        bearer = token(server.base_url, client.client_id, client.secret)
        rows, nbytes, _ = pull(server.base_url, bearer, "csv")
        seconds = time.perf_counter() - started
        peak = server.peak_mib()
    stage = Stage("sharing API: first full pull of dossiers (CSV)", seconds, peak,
                  f"{rows:,} rows, {nbytes / 2**20:,.0f} MiB, {PAGE:,}-row pages", "api")  # fmt: skip
    say(f"  {stage.name}: {seconds:.1f} s, {stage.rows}")
    return stage
