"""Every DAG imports without errors, has no cycle, and lives in a file named after it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hub.pipeline import PIPELINE_DAGS, Platform
from hub.runtime_env import DAGS_DIR
from ingest.sources.registry import SOURCES


@pytest.fixture(scope="module")
def dagbag(platform: Platform) -> Iterator[Any]:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in platform.env.items():
            patch.setenv(name, value)
        from airflow.dag_processing.dagbag import DagBag

        yield DagBag(dag_folder=str(DAGS_DIR))


def test_no_import_errors(dagbag: Any) -> None:
    assert dagbag.import_errors == {}


def test_pipeline_dags_are_there(dagbag: Any) -> None:
    assert set(PIPELINE_DAGS) <= set(dagbag.dags)


def test_file_name_is_dag_id(dagbag: Any) -> None:
    """Hand-written DAGs live in a file named after them; ingestion DAGs come from the source registry."""
    derived = {source.dag_id for source in SOURCES}
    for dag_id, dag in dagbag.dags.items():
        assert Path(dag.fileloc).stem == ("ingest_sources" if dag_id in derived else dag_id)


def test_every_source_has_a_dag_with_a_task_per_stream(dagbag: Any) -> None:
    for source in SOURCES:
        tasks = {task.task_id for task in dagbag.dags[source.dag_id].tasks}
        assert tasks == {f"load_{stream.name}" for stream in source.streams}


def test_no_cycles(dagbag: Any) -> None:
    for dag in dagbag.dags.values():
        dag.check_cycle()  # raises AirflowDagCycleException on a cycle
