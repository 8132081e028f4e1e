"""Run the Great Expectations suites in `expectations/` against the warehouse.

Each `<schema>__<table>.json` suite validates `schema.table`. All suites run in
one checkpoint; each result is stored in `quality.validation_runs`.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from foundation.databases import with_driver
from foundation.settings import REPO_ROOT

log = logging.getLogger(__name__)

EXPECTATIONS_DIR = REPO_ROOT / "expectations"
_URL_VARIABLE = "HUB_GX_WAREHOUSE_URL"  # GX reads the URL from here, so it is never in a config


@dataclass(frozen=True)
class SuiteResult:
    suite_name: str
    data_asset: str
    success: bool
    evaluated: int
    failed: int
    failures: tuple[str, ...]


def suite_files(directory: Path = EXPECTATIONS_DIR) -> list[Path]:
    return sorted(directory.glob("*__*.json"))


def run_checkpoint(warehouse_url: str, directory: Path = EXPECTATIONS_DIR) -> list[SuiteResult]:
    """Validate every suite's table; record and return the results."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx  # slow import (about 6 s): only when checks run
    from great_expectations.data_context.types.base import ProgressBarsConfig

    os.environ[_URL_VARIABLE] = with_driver(warehouse_url, "psycopg")
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_postgres("warehouse", connection_string="${" + _URL_VARIABLE + "}")
    definitions = []
    for path in suite_files(directory):
        schema, table = path.stem.split("__", 1)
        suite = context.suites.add(gx.ExpectationSuite(**json.loads(path.read_text(encoding="utf-8"))))
        asset = source.add_table_asset(name=path.stem, table_name=table, schema_name=schema)
        batch = asset.add_batch_definition_whole_table("whole_table")
        definitions.append(
            context.validation_definitions.add(gx.ValidationDefinition(name=path.stem, data=batch, suite=suite))
        )
    checkpoint = context.checkpoints.add(gx.Checkpoint(name="warehouse", validation_definitions=definitions))
    outcome = checkpoint.run()
    described = {run.suite_name: run.describe_dict() for run in outcome.run_results.values()}
    results = [_summarise(name, details) for name, details in described.items()]
    _record(warehouse_url, results, described)
    return results


def _summarise(suite_name: str, described: dict[str, Any]) -> SuiteResult:
    failures = tuple(
        f"{e['expectation_type']}({e['kwargs'].get('column', '')})"
        for e in described["expectations"]
        if not e["success"]
    )
    return SuiteResult(
        suite_name=suite_name,
        data_asset=suite_name.replace("__", ".", 1),
        success=described["success"],
        evaluated=described["statistics"]["evaluated_expectations"],
        failed=described["statistics"]["unsuccessful_expectations"],
        failures=failures,
    )


def _record(warehouse_url: str, results: list[SuiteResult], described: dict[str, dict[str, Any]]) -> None:
    with psycopg.connect(warehouse_url) as conn:
        for summary in results:
            conn.execute(
                "insert into quality.validation_runs (suite_name, data_asset, success, "
                "evaluated_expectations, failed_expectations, result) values (%s, %s, %s, %s, %s, %s)",
                (summary.suite_name, summary.data_asset, summary.success, summary.evaluated,
                 summary.failed, json.dumps(described[summary.suite_name], default=str)),
            )  # fmt: skip
            log.info("suite %s: %s (%d checked, %d failed)", summary.suite_name,
                     "passed" if summary.success else "FAILED", summary.evaluated, summary.failed)  # fmt: skip


def check_or_raise(warehouse_url: str) -> list[str]:
    """Run the checkpoint; raise naming every failed expectation, else return the suites checked."""
    results = run_checkpoint(warehouse_url)
    failed = [f"{r.suite_name}: {', '.join(r.failures)}" for r in results if not r.success]
    if failed:
        raise RuntimeError("data-quality checks failed: " + "; ".join(failed))
    return [r.suite_name for r in results]
