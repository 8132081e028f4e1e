"""Source freshness: `dbt source freshness`, one row per source table in `quality.source_freshness`.

The thresholds are the sources' own (`freshness:` in models/staging/*/_*__sources.yml). A stale
source is recorded and logged; it never fails the transform, which has published by then: the
dashboards show how old each source is (marts.quality_source_freshness).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import psycopg

from warehouse import dbt

log = logging.getLogger(__name__)


def check(warehouse_url: str, transform_run_id: int | None, dbt_args: list[str]) -> list[str]:
    """Run dbt source freshness, record each source table's result; return those not passing."""
    target = dbt_args[dbt_args.index("--target-path") + 1] if "--target-path" in dbt_args else "target"
    sources_json = dbt.DBT_PROJECT_DIR / target / "sources.json"
    sources_json.unlink(missing_ok=True)
    try:
        dbt.run(["source", "freshness", *dbt_args])  # fails when a source errs: recorded, not raised
        rows = parse(sources_json)
    except Exception:  # a freshness check must never undo a publication
        log.exception("dbt source freshness did not run")
        return []
    record(warehouse_url, transform_run_id, rows)
    stale = [f"{r['source_name']}.{r['table_name']}: {_state(r)}" for r in rows if r["status"] != "pass"]
    for line in stale:
        log.warning("source freshness %s", line)
    return stale


def _state(row: dict[str, Any]) -> str:
    """dbt says `error` both for a source past its error threshold and for one with no rows at all."""
    if row["status"] == "runtime error":
        return "could not be checked (see the dbt log)"
    if row["max_loaded_at"] is None:
        return "no rows loaded yet (its source system is not connected, or has sent nothing)"
    return f"{row['status']} (last load {row['max_loaded_at']}, error after {row['error_after']})"


def parse(sources_json: Path) -> list[dict[str, Any]]:
    """dbt's sources.json: one row per source table."""
    results = json.loads(sources_json.read_text(encoding="utf-8"))["results"]
    rows = []
    for result in results:
        _, _, source_name, table_name = result["unique_id"].split(".", 3)
        criteria = result.get("criteria") or {}
        rows.append({
            "source_name": source_name,
            "table_name": table_name,
            "status": result["status"],
            "max_loaded_at": result.get("max_loaded_at"),
            "age_seconds": result.get("max_loaded_at_time_ago_in_s"),
            "warn_after": _period(criteria.get("warn_after")),
            "error_after": _period(criteria.get("error_after")),
        })  # fmt: skip
    return rows


def _period(threshold: dict[str, Any] | None) -> str | None:
    if not threshold or not threshold.get("count"):
        return None
    return f"{threshold['count']} {threshold['period']}"


def record(warehouse_url: str, transform_run_id: int | None, rows: list[dict[str, Any]]) -> None:
    with psycopg.connect(warehouse_url) as conn:
        for row in rows:
            conn.execute(
                "insert into quality.source_freshness (transform_run_id, source_name, table_name, status, "
                "max_loaded_at, age_seconds, warn_after, error_after) values (%s, %s, %s, %s, %s, %s, %s, %s)",
                (transform_run_id, row["source_name"], row["table_name"], row["status"], row["max_loaded_at"],
                 row["age_seconds"], row["warn_after"], row["error_after"]),
            )  # fmt: skip
