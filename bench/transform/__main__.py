"""Transform benchmark: the full build against one day's incremental run, same data, same run.

A throwaway platform (embedded PostgreSQL, migrations, catalogs, the sharing role: the real
start-up stages) with a simulated one-stop system serving a year of N dossiers. Everything up to
the year's last day is loaded into `raw` (not timed), then the transform runs as production runs
it (`warehouse.transform.run_transform`: dbt build into the build schemas, Great Expectations
audit, atomic publication, source freshness):

1. the full build, from nothing;
2. a second run with no new data (the build schemas hold no copy yet: the swap leaves the previous
   publication there, which for the first run is nothing, so this run builds from scratch too);
3. the last day's dossiers and events loaded, then the incremental run the DAG does every day.

The year is loaded in one go, but a platform receives it change by change: each raw row's load
time is set to an hour after the change it carries (the dossier version's updated_at, the event's
time), so that the incremental models' watermark and lookback (var incremental_lookback, 3 days)
see what they would see in production; loaded ten minutes before the run, the whole year would
fall inside the lookback.

Prints each run's wall time, dbt's share of it and the slowest models, and the ratio incremental /
full (target: at most 0.1). dbt's, Great Expectations' and our INFO logs go to a log file (its path
is printed), not to the console.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from foundation.net import free_loopback_port

FAR_PAST, FAR_FUTURE = "20000101000000", "20991231000000"


def _say(text: str) -> None:
    print(text, flush=True)


def _quiet(log_dir: Path) -> None:
    """Library logs to a file, as hub/console.py does; dbt prints errors only."""
    from hub.console import configure_logging

    os.environ.update(DBT_QUIET="true", DBT_LOG_PATH=str(log_dir))
    _say(f"logs: {configure_logging(log_dir)}")


def _backdate_loads(warehouse_url: str) -> None:
    """Each current raw row loaded an hour after its change (never later than now); then the
    planner statistics autovacuum would have gathered on a platform that has been running (without
    them, the first build's plans for the fresh catalog tables took minutes)."""
    import psycopg

    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        for table, changed in (("onestop__dossiers__current", "updated_at"),
                               ("onestop__dossier_events__current", "event_at")):  # fmt: skip
            conn.execute(f"update raw.{table} set _loaded_at = least(now(), "
                         f"({changed} + interval '1 hour') at time zone 'Asia/Ho_Chi_Minh')")  # fmt: skip
        conn.execute("vacuum analyze")


def _isolate(home: Path) -> None:
    """A platform home of its own on free loopback ports; no developer settings."""
    for name in ("WAREHOUSE_URL", "AIRFLOW_DB_URL", "SUPERSET_DB_URL", "ONESTOP_API_URL"):
        os.environ.pop(name, None)
    os.environ.update(HUB_ENV_FILE=os.devnull, HUB_HOME=str(home), HUB_PG_PORT=str(free_loopback_port()))


def _load(warehouse_url: str, api_url: str, since: str, until: str) -> int:
    from ingest.framework.http_pages import PagedApi
    from ingest.sources.onestop.extract_load import load_window

    api = PagedApi(api_url, page_size=5000)
    return sum(load_window(warehouse_url, api, stream, since, until).rows_extracted
               for stream in ("dossiers", "dossier_events"))  # fmt: skip


def _slowest_models(count: int = 6) -> tuple[float, list[str]]:
    """dbt's own elapsed time of the last build and its slowest nodes, from run_results.json."""
    from warehouse.dbt import DBT_PROJECT_DIR
    from warehouse.transform import TARGET_PATH

    results = json.loads((DBT_PROJECT_DIR / TARGET_PATH / "run_results.json").read_text(encoding="utf-8"))
    nodes = sorted(results["results"], key=lambda r: r["execution_time"], reverse=True)[:count]
    return results["elapsed_time"], [f"{r['unique_id'].split('.')[2][:48]} {r['execution_time']:.1f} s" for r in nodes]


def _timed_transform(warehouse_url: str, label: str) -> float:
    from warehouse.transform import run_transform

    started = time.perf_counter()
    report = run_transform(warehouse_url)
    seconds = time.perf_counter() - started
    dbt_seconds, slowest = _slowest_models()
    _say(f"{label}: {seconds:7.1f} s (dbt build {dbt_seconds:.1f} s; {len(report.published)} tables published)")
    _say("   slowest: " + ", ".join(slowest))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="dossiers received over the simulated year")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as scratch:
        _isolate(Path(scratch))
        _quiet(Path(tempfile.gettempdir()) / "bench-transform-logs")
        run(args.rows)


def run(rows: int) -> None:
    from foundation import databases
    from foundation.settings import get_settings
    from hub import demo_sources, startup
    from simulators.demo import DEMO_DIRT
    from simulators.onestop.config import OnestopConfig
    from simulators.onestop.server import start_in_thread

    get_settings.cache_clear()
    state = startup.Startup(get_settings())
    startup.platform_stages(state)
    assert state.databases is not None
    url = state.databases.warehouse
    demo_sources.load_demo_agencies(url)
    last_day = date.today() - timedelta(days=1)
    config = OnestopConfig(size=rows, start=last_day - timedelta(days=364), days=365, dirt=DEMO_DIRT)
    started = time.perf_counter()
    simulator = start_in_thread(config)
    _say(f"simulator: {rows:,} dossiers over {config.start} .. {last_day}, built in "
         f"{time.perf_counter() - started:.0f} s (not timed)")  # fmt: skip
    try:
        cut = last_day.strftime("%Y%m%d") + "000000"
        started = time.perf_counter()
        loaded = _load(url, simulator.base_url, FAR_PAST, cut)
        _backdate_loads(url)
        _say(f"raw: {loaded:,} dossier versions and events up to {last_day - timedelta(days=1)} loaded in "
             f"{time.perf_counter() - started:.0f} s (not timed; load times: an hour after each change)")  # fmt: skip
        full = _timed_transform(url, "full build          ")
        _timed_transform(url, "second run, no data ")
        day = _load(url, simulator.base_url, cut, FAR_FUTURE)
        _say(f"raw: one more day, {day:,} dossier versions and events")
        incremental = _timed_transform(url, "one day, incremental")
        _say(f"incremental / full: {incremental / full:.2f} (target ≤ 0.1)")
    finally:
        simulator.stop()
        databases.embedded_server(state.settings).stop()


if __name__ == "__main__":
    main()
