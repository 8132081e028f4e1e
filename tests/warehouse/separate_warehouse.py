"""A warehouse database of a test's own beside the session's (same server): migrated, catalogs loaded,
raw tables filled by the real ingestion from the session's demo simulators; and dbt run against it.

The session warehouse stays untouched: dbt reads WAREHOUSE_DB from the environment, and each module
gives dbt a scratch target folder (never the shared target/manifest.json).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg

import catalog
from foundation.databases import create_database_if_missing, with_database
from hub import schema
from hub.pipeline import Platform
from ingest.framework.http_pages import PagedApi
from ingest.sources.documents.extract_load import load_inbox
from ingest.sources.onestop.extract_load import EPOCH, load_window
from simulators.onestop.config import OnestopConfig
from simulators.onestop.server import start_in_thread
from warehouse.dbt import DBT_PROJECT_DIR

DOCUMENTS_FOLDER = "documents"


def fresh_warehouse(platform: Platform, name: str) -> str:
    """A new, empty database `name` (dropped first if a previous session left it), migrated, catalogs loaded."""
    url = with_database(platform.databases.warehouse, name)
    with psycopg.connect(platform.databases.warehouse, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
    create_database_if_missing(url)
    schema.migrate(url)
    catalog.load_all(url)
    return url


def load_onestop(platform: Platform, url: str, since: str = EPOCH, until: str | None = None) -> None:
    """Both one-stop streams for the window [since, until) of a simulator serving exactly what the session's
    demo simulator serves (its config; the pages come from the same cache). A server of its own: this module
    never depends on the session's server still answering after hundreds of other tests."""
    config = platform.demo.started["onestop"].config
    assert isinstance(config, OnestopConfig)
    with start_in_thread(config) as server:
        api = PagedApi(server.base_url, page_size=1000)
        for stream in ("dossiers", "dossier_events"):
            load_window(url, api, stream, since, until)


def demo_document_files(platform: Platform) -> list[Path]:
    return sorted((platform.settings.inbox / DOCUMENTS_FOLDER).glob("*"))


def load_documents(url: str, files: list[Path], inbox: Path) -> None:
    """The given edXML files, dropped into a test inbox of its own, then loaded as the pipeline does."""
    (inbox / DOCUMENTS_FOLDER).mkdir(parents=True, exist_ok=True)
    for file in files:
        shutil.copy2(file, inbox / DOCUMENTS_FOLDER / file.name)
    load_inbox(url, inbox)


def run_dbt(platform: Platform, url: str, scratch: Path, *args: str) -> dict[str, Any]:
    """`dbt <args>` against the database of `url`; returns run_results.json, keyed by model name."""
    database = url.rsplit("/", 1)[1].split("?")[0]
    dbt = str(Path(sys.executable).with_name("dbt"))
    folders = ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    scratch_dirs = ["--target-path", str(scratch / "target"), "--log-path", str(scratch / "logs")]
    result = subprocess.run(
        [dbt, *args, *folders, *scratch_dirs],
        env={**platform.env, "WAREHOUSE_DB": database},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    results = json.loads((scratch / "target" / "run_results.json").read_text(encoding="utf-8"))
    return {r["unique_id"].rsplit(".", 1)[1]: r for r in results["results"]}
