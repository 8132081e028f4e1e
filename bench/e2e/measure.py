"""What bench.e2e measures with: a timed stage, a DAG run as production runs it with its process's peak memory,
where the transform's time goes, and the peak memory of a long-running service's process tree."""

from __future__ import annotations

import contextlib
import json
import resource
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import psutil
import psycopg

from bench.year_of_dossiers import say


@dataclass
class Stage:
    name: str
    seconds: float
    peak_mb: float | None  # the peak RSS of the process(es) the stage ran (see `how`)
    rows: str = ""
    how: str = ""  # whose peak: "dag" (the `airflow dags test` process), "self", "api", "superset"
    notes: list[str] = field(default_factory=list)


def self_peak_mb() -> float:
    """This process's peak RSS so far (monotonic: it includes the simulators serving in threads)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(name: str, action: Callable[[], str], how: str = "self") -> Stage:
    started = time.perf_counter()
    rows = action()
    stage = Stage(name, time.perf_counter() - started, self_peak_mb(), rows, how)
    say(f"  {name}: {stage.seconds:.1f} s, {rows}")
    return stage


def airflow_dag(env: dict[str, str], log_file: Path, dag_id: str, logical_date: datetime | None = None) -> float:
    """`airflow dags test <dag_id> [logical date]` (what hub/pipeline.py runs); its output to the log file.

    Returns the peak RSS in MB of that process and any it starts, polled every 0.2 s from their VmHWM
    (`dags test` runs the tasks in its own process: dbt through its runner, Great Expectations, psycopg).
    Not `RUSAGE_CHILDREN`/`wait4`: on Linux a child's ru_maxrss starts at its parent's RSS at the fork, so
    every DAG would report at least this process's size. PostgreSQL's server processes are not included."""
    from hub.airflow import AIRFLOW

    command = [AIRFLOW, "dags", "test", dag_id, *([logical_date.isoformat()] if logical_date else [])]
    peak = 0.0
    with log_file.open("ab") as sink:
        process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT)
        while process.poll() is None:
            with contextlib.suppress(psutil.Error):
                peak = max(peak, tree_peak_mb(process.pid))
            time.sleep(0.2)
    if process.returncode != 0:
        raise RuntimeError(f"airflow dags test {dag_id} failed with exit {process.returncode} (log: {log_file})")
    return peak


def loaded_rows(warehouse_url: str, source: str, since: datetime) -> str:
    with psycopg.connect(warehouse_url) as conn:
        extracted, new = conn.execute(
            "select coalesce(sum(rows_extracted), 0), coalesce(sum(rows_new_versions), 0) from audit.load_batches "
            "where source_system = %s and started_at >= %s",
            (source, since),
        ).fetchone()
    return f"{extracted:,} read, {new:,} new versions"


def transform_split(warehouse_url: str, since: datetime, wall: float) -> list[str]:
    """Where the transform DAG's time went: its own record (quality.transform_runs, validation_runs), dbt's
    run_results.json (the build's elapsed time and its slowest nodes), the rest: Airflow and dbt start-up."""
    from warehouse.dbt import DBT_PROJECT_DIR
    from warehouse.transform import TARGET_PATH

    with psycopg.connect(warehouse_url) as conn:
        run_id, seconds, outcome = conn.execute(
            "select transform_run_id, extract(epoch from finished_at - started_at)::float8, outcome "
            "from quality.transform_runs where started_at >= %s order by transform_run_id desc limit 1",
            (since,),
        ).fetchone()
        suites = conn.execute(
            "select count(*) from quality.validation_runs where transform_run_id = %s", (run_id,)
        ).fetchone()[0]
    results = json.loads((DBT_PROJECT_DIR / TARGET_PATH / "run_results.json").read_text(encoding="utf-8"))
    dbt = results["elapsed_time"]
    nodes = sorted(results["results"], key=lambda r: r["execution_time"], reverse=True)[:6]
    slowest = ", ".join(f"{r['unique_id'].split('.')[2][:44]} {r['execution_time']:.1f} s" for r in nodes)
    return [
        f"outcome {outcome}; run_transform {seconds:.1f} s of the DAG's {wall:.1f} s "
        f"(Airflow `dags test` start-up and task set-up {wall - seconds:.1f} s)",
        f"dbt build {dbt:.1f} s ({len(results['results'])} nodes); outside it {seconds - dbt:.1f} s: dbt start-up "
        f"and parse, Great Expectations (import, {suites} suites), publication, freshness (the suites are "
        "recorded in one transaction: not split further)",
        f"slowest dbt nodes: {slowest}",
    ]


def tree_peak_mb(pid: int) -> float:
    """The summed peak RSS (VmHWM) of a running process and its children (gunicorn's master and worker)."""
    total = 0.0
    root = psutil.Process(pid)
    for process in (root, *root.children(recursive=True)):
        try:
            for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        except FileNotFoundError:
            continue
    return total
