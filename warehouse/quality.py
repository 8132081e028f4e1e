"""Run the Great Expectations suites in `expectations/` against the warehouse.

Each `<schema>__<table>.json` suite validates `schema.table`, or, during a transform's audit, the
table the build wrote in its stead (`schemas` maps `marts` to `marts_build`). Each expectation has
GX's own `severity` field (GX >= 1.x: `critical`, the default, or `warning`): a failed critical
check stops publication, a failed warning is recorded. Suite `meta.key` names the columns that
identify a failing row in the result (GX `unexpected_index_column_names`). SQL checks
(`unexpected_rows_expectation`) may name sibling tables as `{marts}.table`; `{batch}` is the table
itself. `_conventions.json` adds checks by column name (a `*_rate` between 0 and 1, counts never
negative) to every table of the published schemas, including new marts that have no suite yet.
Every result is stored in `quality.validation_runs`.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from foundation.databases import with_driver
from foundation.settings import REPO_ROOT

log = logging.getLogger(__name__)

EXPECTATIONS_DIR = REPO_ROOT / "expectations"
CONVENTIONS = "_conventions.json"
_URL_VARIABLE = "HUB_GX_WAREHOUSE_URL"  # GX reads the URL from here, so it is never in a config
_SCHEMA_PLACEHOLDERS = ("raw", "staging", "intermediate", "marts", "sharing")
SAMPLE_ROWS = 5


@dataclass(frozen=True)
class Failure:
    check: str  # expectation type and columns, e.g. expect_column_values_to_be_unique(dossier_id)
    description: str
    severity: str
    unexpected: int | None
    sample: list[Any] = field(default_factory=list)
    observed: Any = None  # what a table-level check saw (a row count), where no row fails by itself

    def describe(self, table: str) -> str:
        what = f"{self.check}" + (f" [{self.description}]" if self.description else "")
        if self.unexpected is None:
            return f"{what} on {table}: observed {self.observed}" if self.observed is not None else f"{what} on {table}"
        sample = json.dumps(self.sample[:SAMPLE_ROWS], ensure_ascii=False, default=str)
        return f"{what} on {table}: {self.unexpected} failing rows; sample {sample}"


@dataclass(frozen=True)
class SuiteResult:
    suite_name: str
    data_asset: str  # the published name, schema.table
    validated_table: str  # what was read (the build table during an audit)
    success: bool
    evaluated: int
    failed: int
    failures: tuple[str, ...]  # the failed checks, critical and warning
    details: tuple[Failure, ...] = ()

    @property
    def critical(self) -> tuple[Failure, ...]:
        return tuple(f for f in self.details if f.severity == "critical")

    @property
    def warnings(self) -> tuple[Failure, ...]:
        return tuple(f for f in self.details if f.severity != "critical")


def suite_files(directory: Path = EXPECTATIONS_DIR) -> list[Path]:
    return sorted(directory.glob("*__*.json"))


def load_suite(path: Path, schemas: Mapping[str, str]) -> dict[str, Any]:
    """The suite's JSON, with `{marts}`-style schema placeholders resolved for this run."""
    suite = json.loads(path.read_text(encoding="utf-8"))
    for expectation in suite["expectations"]:
        query = expectation["kwargs"].get("unexpected_rows_query")
        if query:
            for name in _SCHEMA_PLACEHOLDERS:
                query = query.replace("{" + name + "}", schemas.get(name, name))
            expectation["kwargs"]["unexpected_rows_query"] = query
    return suite


def suites_to_run(
    warehouse_url: str, directory: Path, schemas: Mapping[str, str], extra_tables: Iterable[str]
) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(schema, schema read, table, suite) for every suite file and every extra table (schema.table)
    without one; the conventions added to the tables of the mapped (published) schemas."""
    suites = {path.stem: load_suite(path, schemas) for path in suite_files(directory)}
    for name in extra_tables:
        stem = name.replace(".", "__", 1)
        suites.setdefault(stem, {"name": stem, "meta": {"description": "conventions only"}, "expectations": []})
    conventions_file = directory / CONVENTIONS
    rules = json.loads(conventions_file.read_text(encoding="utf-8"))["rules"] if conventions_file.exists() else []
    planned = []
    for stem, suite in sorted(suites.items()):
        schema, table = stem.split("__", 1)
        read_schema = schemas.get(schema, schema)
        if schema in schemas and rules:
            skip = suite.get("meta", {}).get("conventions_skip", [])
            suite["expectations"] += _conventions(warehouse_url, read_schema, table, rules, suite["expectations"], skip)
        planned.append((schema, read_schema, table, suite))
    return planned


def _conventions(
    warehouse_url: str,
    schema: str,
    table: str,
    rules: list[dict[str, Any]],
    existing: list[dict[str, Any]],
    skip: list[str],
) -> list[dict[str, Any]]:
    with psycopg.connect(warehouse_url) as conn:
        columns = [row[0] for row in conn.execute(
            "select column_name from information_schema.columns where table_schema = %s and table_name = %s "
            "and data_type in ('smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision')",
            (schema, table),
        )]  # fmt: skip
    covered = {(e["type"], e["kwargs"].get("column")) for e in existing}
    added = []
    for rule in rules:
        for column in (c for c in columns if c not in skip):  # a suite's meta.conventions_skip
            expectation = rule["expectation"]
            if re.search(rule["column_pattern"], column) and (expectation["type"], column) not in covered:
                added.append({**expectation, "kwargs": {**expectation["kwargs"], "column": column},
                              "meta": {"convention": rule["column_pattern"]}})  # fmt: skip
    return added


def run_checkpoint(
    warehouse_url: str,
    directory: Path = EXPECTATIONS_DIR,
    schemas: Mapping[str, str] | None = None,
    transform_run_id: int | None = None,
    extra_tables: Iterable[str] = (),
) -> list[SuiteResult]:
    """Validate every suite's table (in `schemas`' stead where mapped); record and return the results."""
    schemas = schemas or {}
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx  # slow import (about 7 s): only when checks run
    from great_expectations.data_context.types.base import ProgressBarsConfig

    os.environ[_URL_VARIABLE] = with_driver(warehouse_url, "psycopg")
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_postgres("warehouse", connection_string="${" + _URL_VARIABLE + "}")
    results, described = [], {}
    for schema, read_schema, table, suite_json in suites_to_run(warehouse_url, directory, schemas, extra_tables):
        name = suite_json["name"]
        if not _exists(warehouse_url, read_schema, table):
            results.append(_missing(name, schema, read_schema, table, len(suite_json["expectations"])))
            described[name] = {"missing_table": f"{read_schema}.{table}"}
            continue
        suite = context.suites.add(gx.ExpectationSuite(**suite_json))
        asset = source.add_table_asset(name=name, table_name=table, schema_name=read_schema)
        batch = asset.add_batch_definition_whole_table("whole_table")
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
        result_format = {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_ROWS}
        if key := suite_json.get("meta", {}).get("key"):
            result_format["unexpected_index_column_names"] = key
        outcome = definition.run(result_format=result_format)
        described[name] = outcome.describe_dict()
        results.append(_summarise(warehouse_url, outcome, schema, read_schema, table))
    _record(warehouse_url, results, described, transform_run_id)
    return results


def _exists(warehouse_url: str, schema: str, table: str) -> bool:
    with psycopg.connect(warehouse_url) as conn:
        return conn.execute(
            "select to_regclass(format('%%I.%%I', %s::text, %s::text)) is not null", (schema, table)
        ).fetchone()[0]


def _missing(suite_name: str, schema: str, read_schema: str, table: str, expectations: int) -> SuiteResult:
    failure = Failure("table_exists", "the suite's table was not built", "critical", None)
    return SuiteResult(suite_name, f"{schema}.{table}", f"{read_schema}.{table}", False, expectations,
                       expectations, ("table_exists",), (failure,))  # fmt: skip


def _check_name(config: Any) -> str:
    kwargs = config.kwargs
    columns = [kwargs[k] for k in ("column", "column_A", "column_B") if kwargs.get(k)]
    columns += kwargs.get("column_list") or []
    return f"{config.type}({', '.join(columns)})"


def _summarise(warehouse_url: str, outcome: Any, schema: str, read_schema: str, table: str) -> SuiteResult:
    details = []
    for result in outcome.results:
        if result.success:
            continue
        config = result.expectation_config
        found = result.result or {}
        sample = found.get("partial_unexpected_index_list") or found.get("partial_unexpected_list") or []
        if query := config.kwargs.get("unexpected_rows_query"):
            sample = _sql_sample(warehouse_url, query, f'"{read_schema}"."{table}"')
        unexpected = found.get("unexpected_count")
        severity = getattr(config.severity, "value", str(config.severity))
        details.append(Failure(_check_name(config), config.description or "", severity, unexpected, sample,
                               found.get("observed_value")))  # fmt: skip
    statistics = outcome.statistics
    return SuiteResult(
        suite_name=outcome.suite_name,
        data_asset=f"{schema}.{table}",
        validated_table=f"{read_schema}.{table}",
        success=outcome.success,
        evaluated=statistics["evaluated_expectations"],
        failed=statistics["unsuccessful_expectations"],
        failures=tuple(f.check for f in details),
        details=tuple(details),
    )


def _sql_sample(warehouse_url: str, query: str, table: str) -> list[dict[str, Any]]:
    """A few of the rows a SQL check found (GX's SUMMARY format gives only their count)."""
    with psycopg.connect(warehouse_url) as conn:
        cursor = conn.execute(f"select * from ({query.format(batch=table)}) as failing limit {SAMPLE_ROWS}")  # type: ignore[arg-type]
        names = [c.name for c in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _record(
    warehouse_url: str, results: list[SuiteResult], described: dict[str, Any], transform_run_id: int | None
) -> None:
    with psycopg.connect(warehouse_url) as conn:
        for summary in results:
            conn.execute(
                "insert into quality.validation_runs (suite_name, data_asset, success, evaluated_expectations, "
                "failed_expectations, result, transform_run_id, validated_table, critical_failures, "
                "warning_failures) values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (summary.suite_name, summary.data_asset, summary.success, summary.evaluated, summary.failed,
                 json.dumps(described[summary.suite_name], default=str), transform_run_id,
                 summary.validated_table, len(summary.critical), len(summary.warnings)),
            )  # fmt: skip
            log.info("suite %s on %s: %s (%d checked, %d critical and %d warning failures)", summary.suite_name,
                     summary.validated_table, "passed" if summary.success else "FAILED", summary.evaluated,
                     len(summary.critical), len(summary.warnings))  # fmt: skip


def critical_message(results: list[SuiteResult]) -> str | None:
    """Every failed critical check: suite, check, table and failing rows; None when there is none."""
    lines = [f"suite {r.suite_name}: {f.describe(r.validated_table)}" for r in results for f in r.critical]
    return "critical data-quality checks failed:\n" + "\n".join(lines) if lines else None


def check_or_raise(warehouse_url: str) -> list[str]:
    """Run the checkpoint on the published tables; raise naming every failed critical check."""
    results = run_checkpoint(warehouse_url)
    if message := critical_message(results):
        raise RuntimeError(message)
    return [r.suite_name for r in results]
