"""End to end: a province-year through the platform as it runs in production, then one day's increment.

`python -m bench.e2e [--profile province-year] [--scale 0.1]`

A throwaway platform home on free ports; the real start-up (`hub.pipeline.prepare`: the platform's stages,
demo mode serving the scale profile `--profile` times `--scale` from every simulator, Airflow's metadata).
Then every stage as production runs it, each timed (wall) with the peak RSS of the process it ran:

year     every ingestion DAG (`airflow dags test`; the one-stop DAG with its data interval ending at the start
         of the latest working day: the cut), the transform DAG (dbt build, Great Expectations audit, publication,
         scorecard marts, freshness; split by its own records and dbt's run_results.json), Superset started as
         `hub up` starts it and a cache warm-up of every chart, the sharing API's first full pull of `dossiers`.
increment  the sources move on (one-stop: what it holds after the cut, i.e. the latest working day and any
         weekend after it, what a Monday's run sees; the business register: its simulator lives through the
         same days with `advance`; documents, health, schools and civil status serve what they served: their
         DAGs run and find nothing new), then the same path: every ingestion DAG, the transform DAG, every chart
         refreshed. Target: from new rows at the sources to updated dashboards in under 300 s.

Peak memory: a DAG's is its `airflow dags test` process tree's VmHWM, polled; Superset's the summed VmHWM of
gunicorn's master and worker; the API's its process's VmHWM; the start-up's this process's (the simulators
serve from threads in it). PostgreSQL's own processes are in none of them. Library logs go to a file.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from bench.e2e.measure import Stage, airflow_dag, loaded_rows, self_peak_mb, timed, transform_split
from bench.year_of_dossiers import backdate_loads, isolate, quiet, say
from simulators import profiles

TARGET_SECONDS = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", default="province-year", choices=sorted(profiles.PROFILES))
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every size of the profile")
    args = parser.parse_args()
    profile = profiles.get(args.profile, args.scale)
    say(f"profile {profile.name}: {', '.join(f'{k} {v:,}' for k, v in profile.sizes().items())}, {profile.days} days")
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as scratch:
        isolate(Path(scratch))
        os.environ.update({profiles.PROFILE_VARIABLE: args.profile, profiles.SCALE_VARIABLE: str(args.scale)})
        log_dir = Path(tempfile.gettempdir()) / "bench-e2e-logs"
        quiet(log_dir)
        run(log_dir / "airflow-dags.log")


def run(dag_log: Path) -> None:
    from foundation import databases
    from hub import pipeline

    say("start-up (hub.pipeline.prepare, demo mode on the profile)")
    started = time.perf_counter()
    platform = pipeline.prepare()
    startup = Stage("start-up: platform, simulators built, Airflow", time.perf_counter() - started,
                    self_peak_mb(), ", ".join(platform.demo.started), "self")  # fmt: skip
    say(f"  {startup.name}: {startup.seconds:.1f} s")
    try:
        year, increment = measure(platform, dag_log)
        report(startup, year, increment)
    finally:
        platform.demo.stop()
        databases.embedded_server(platform.settings).stop()


def ingest_dags(platform: object, dag_log: Path, until: datetime | None) -> list[Stage]:
    from ingest.sources.registry import SOURCES

    stages = []
    for source in SOURCES:
        since = datetime.now().astimezone()
        cut = until if source.name == "onestop" else None
        started = time.perf_counter()
        peak = airflow_dag(platform.env, dag_log, source.dag_id, cut)  # type: ignore[attr-defined]
        rows = loaded_rows(platform.databases.warehouse, source.name, since)  # type: ignore[attr-defined]
        stages.append(Stage(source.dag_id, time.perf_counter() - started, peak, rows, "dag"))
        say(f"  {source.dag_id}: {stages[-1].seconds:.1f} s, {rows}")
    return stages


def transform_dag(platform: object, dag_log: Path) -> Stage:
    import psycopg

    from hub.pipeline import TRANSFORM_DAG

    since = datetime.now().astimezone()
    started = time.perf_counter()
    peak = airflow_dag(platform.env, dag_log, TRANSFORM_DAG)  # type: ignore[attr-defined]
    wall = time.perf_counter() - started
    with psycopg.connect(platform.databases.warehouse) as conn:  # type: ignore[attr-defined]
        count = conn.execute("select count(*) from marts.fct_dossiers").fetchone()[0]
    stage = Stage(TRANSFORM_DAG, wall, peak, f"{count:,} rows in marts.fct_dossiers", "dag")
    stage.notes = transform_split(platform.databases.warehouse, since, wall)  # type: ignore[attr-defined]
    say(f"  {TRANSFORM_DAG}: {wall:.1f} s, {stage.rows}")
    for note in stage.notes:
        say(f"     {note}")
    return stage


def measure(platform: object, dag_log: Path) -> tuple[list[Stage], list[Stage]]:
    from bench.e2e import serving
    from ingest.framework.local_time import LOCAL

    warehouse = platform.databases.warehouse  # type: ignore[attr-defined]
    last_day, start = date.today() - timedelta(days=1), date.today() - timedelta(days=profiles.from_env().days)
    cut_day = last_working_day(last_day)
    cut = datetime.combine(cut_day, clock(), LOCAL)  # the year up to its last working day; from there, the increment
    say(f"year (one-stop and the business register up to {cut:%Y-%m-%d %H:%M %z})")
    year = [timed("sources: business register lived through the year", lambda: advance_business(
        warehouse, (cut_day - start).days - 1))]  # fmt: skip
    year[0].name, year[0].how = year[0].name + " (not in the sums)", "self"
    year += ingest_dags(platform, dag_log, cut)
    started = time.perf_counter()
    backdate_loads(warehouse)  # each raw row loaded an hour after its change, as a running platform has them
    say(f"  (load times an hour after each change, vacuum analyze: {time.perf_counter() - started:.0f} s, not timed)")
    year.append(transform_dag(platform, dag_log))
    say(f"  WAL and checkpoints so far: {wal_and_checkpoints(warehouse)}")
    password = platform.secrets["superset_admin_password"]  # type: ignore[attr-defined]
    with serving.superset(platform) as (base_url, process, superset_start):
        year.append(superset_start)
        year.append(serving.warm_up(base_url, process, password, "dashboard cache warm-up (cold cache)", False))
        year.append(serving.warm_up(base_url, process, password, "dashboards again, from the cache", False))
        year.append(serving.first_full_pull(platform))

        say("increment (one day)")
        source_side = timed(f"sources: business register advanced to {last_day} (not in the sums)",
                            lambda: advance_business(warehouse, (last_day - cut_day).days + 1))  # fmt: skip
        increment = [source_side]
        increment_started = time.perf_counter()
        increment += ingest_dags(platform, dag_log, None)
        increment.append(transform_dag(platform, dag_log))
        increment.append(serving.warm_up(base_url, process, password, "dashboards refreshed (every chart)", True))
        say(f"  WAL and checkpoints so far: {wal_and_checkpoints(warehouse)}")
        increment.append(Stage("increment: new rows at the sources to updated dashboards",
                               time.perf_counter() - increment_started, None, "", ""))  # fmt: skip
    return year, increment


def last_working_day(day: date) -> date:
    """Offices receive and decide on working days: a Sunday's increment is a handful of online submissions.
    The increment starts at the latest working day (Monday's run sees Friday and the weekend)."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def advance_business(warehouse_url: str, days: int) -> str:
    """The business register's simulator starts at day 0 (the period's start) and lives day by day."""
    import psycopg

    from foundation.databases import with_database
    from simulators.sector.business import advance

    url = with_database(warehouse_url, "sector_business")
    if days > 0:
        advance(url, days)
    with psycopg.connect(url) as conn:
        day = conn.execute("select value ->> 'day' from simulator.state where name = 'business'").fetchone()[0]
    return f"{days} simulated days, now at day {day}"


def wal_and_checkpoints(warehouse_url: str) -> str:
    """WAL written since the server's cluster began, and its checkpoints: by time, or forced by WAL volume."""
    import psycopg

    with psycopg.connect(warehouse_url) as conn:
        wal, timed_, requested = conn.execute(
            "select pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')), num_timed, num_requested "
            "from pg_stat_checkpointer"
        ).fetchone()
    return f"{wal} of WAL; checkpoints {timed_} by time, {requested} requested (WAL volume or commands)"


def report(startup: Stage, year: list[Stage], increment: list[Stage]) -> None:
    say("")
    say(f"{'stage':<62} {'wall s':>8} {'peak RSS MB':>12}  rows")
    for label, stages in (("year", [startup, *year]), ("increment", increment)):
        say(f"-- {label}")
        for s in stages:
            peak = f"{s.peak_mb:,.0f} ({s.how})" if s.peak_mb is not None else ""
            say(f"{s.name[:62]:<62} {s.seconds:8.1f} {peak:>12}  {s.rows}")
    # the same path for the year: its DAG runs and the cold warm-up
    same_path = sum(s.seconds for s in year if s.how == "dag" or s.name.startswith("dashboard cache warm-up"))
    total = increment[-1].seconds
    verdict = "met" if total < TARGET_SECONDS else "MISSED"
    say(f"increment total {total:.1f} s against {TARGET_SECONDS} s: {verdict}")
    say(
        f"baseline ratio: increment / year, same path (DAGs + warm-up) = {total:.1f} / {same_path:.1f} "
        f"= {total / same_path:.3f}"
    )


if __name__ == "__main__":
    main()
