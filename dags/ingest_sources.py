"""One ingestion DAG per registered source system (`ingest/sources/registry.py`).

Each DAG, `ingest_<source>`, has one task per stream, `load_<stream>`, which
loads that stream and updates its raw table's Asset. The DAGs are derived, not
written: adding a source to the registry adds its DAG here. (The house rule "file
name == DAG id" holds for hand-written DAGs; these are named after their source.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from airflow.sdk import DAG, task

from dags.assets import raw_table
from ingest.framework.source import Source
from ingest.sources.registry import SOURCES


@task
def load_stream(source_name: str, stream_name: str, data_interval_end: datetime | None = None) -> dict[str, int]:
    from ingest.sources.runner import load_stream as load  # at run time: parsing the DAGs stays fast

    return load(source_name, stream_name, data_interval_end)


def ingest_dag(source: Source) -> DAG:
    with DAG(
        dag_id=source.dag_id,
        schedule=source.schedule,
        start_date=datetime(2026, 1, 1, tzinfo=UTC),
        catchup=False,
        max_active_runs=1,  # two pulls of one stream at once would only load the same rows twice
        default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
        tags=["ingest", source.name],
        doc_md=source.description,
    ) as dag:
        for stream in source.streams:
            load_stream.override(task_id=f"load_{stream.name}", outlets=[raw_table(stream)])(source.name, stream.name)
    return dag


for _source in SOURCES:
    globals()[_source.dag_id] = ingest_dag(_source)
