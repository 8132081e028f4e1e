"""What every ingestion DAG shares: an hourly window, retries, one run at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

INGEST_DAG = {
    "schedule": "@hourly",
    "start_date": datetime(2026, 1, 1, tzinfo=UTC),
    "catchup": False,
    "max_active_runs": 1,  # two pulls of one stream at once would only load the same rows twice
    "default_args": {"retries": 2, "retry_delay": timedelta(minutes=5)},
}
