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
import tempfile
import time
from datetime import timedelta
from pathlib import Path

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
    say(f"{label}: {seconds:7.1f} s (dbt build {dbt_seconds:.1f} s; {len(report.published)} tables published)")
    say("   slowest: " + ", ".join(slowest))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="dossiers received over the simulated year")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as scratch:
        isolate(Path(scratch))
        quiet(Path(tempfile.gettempdir()) / "bench-transform-logs")
        run(args.rows)


def run(rows: int) -> None:
    from foundation import databases

    state, simulator, last_day = platform_with_simulated_year(rows)
    url = state.warehouse
    try:
        cut = last_day.strftime("%Y%m%d") + "000000"
        started = time.perf_counter()
        loaded = load(url, simulator.base_url, FAR_PAST, cut)
        backdate_loads(url)
        say(f"raw: {loaded:,} dossier versions and events up to {last_day - timedelta(days=1)} loaded in "
             f"{time.perf_counter() - started:.0f} s (not timed; load times: an hour after each change)")  # fmt: skip
        full = _timed_transform(url, "full build          ")
        _timed_transform(url, "second run, no data ")
        day = load(url, simulator.base_url, cut, FAR_FUTURE)
        say(f"raw: one more day, {day:,} dossier versions and events")
        incremental = _timed_transform(url, "one day, incremental")
        say(f"incremental / full: {incremental / full:.2f} (target ≤ 0.1)")
    finally:
        simulator.stop()
        databases.embedded_server(state.settings).stop()


if __name__ == "__main__":
    main()
