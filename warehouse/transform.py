"""The transform as one step: write, audit, publish, then source freshness.

1. Write: one `dbt build` of the whole project with var `wap_build`, so that the published layers
   (marts, sharing) are built into `marts_build` and `sharing_build` (macros/generate_schema_name.sql);
   dashboards and the sharing API never see a table being built. One invocation pays dbt's start-up
   once (a few seconds on the demo data, where cosmos' task per node took about 90 s). dbt's data
   tests run in it; its unit tests do not: they check logic, not data, and run with the test suite
   (an incremental model's unit test reads its own table, which a build schema rebuilt from scratch
   does not have yet).
2. Audit: every Great Expectations suite on the build tables (and on raw); a failed critical check
   stops here, naming suite, check, table and failing rows.
3. Publish: one transaction swaps the build tables in (warehouse/publish.py).
4. Freshness: `dbt source freshness`, recorded per source table; stale sources warn, never fail.

A failed build or audit drops the build schemas, so that the next run rebuilds from scratch and no
incremental model ever builds on rows that failed; a run that was killed leaves its row in
`quality.transform_runs` without an outcome, and the next run discards the build schemas likewise.
An advisory lock keeps two transforms from running at once.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import psycopg
from psycopg import sql

from warehouse import dbt, freshness, publish, quality

log = logging.getLogger(__name__)

TARGET_PATH = "target/transform"  # its own partial-parse cache: builds with the var reparse nothing
BUILD_VARS = '{"wap_build": true}'
_LOCK = 740768  # pg_advisory_lock key: one transform at a time (sharing.publish uses 740767)


class TransformFailed(RuntimeError):
    pass


@dataclass
class TransformReport:
    transform_run_id: int
    built: list[str] = field(default_factory=list)
    audited: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unaudited: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    sharing_publication_id: int | None = None
    stale_sources: list[str] = field(default_factory=list)


def build_schemas() -> dict[str, str]:
    """Published schema -> the schema the transform builds it in."""
    return {schema: schema + publish.BUILD_SUFFIX for schema in dbt.published_schemas()}


def run_transform(
    warehouse_url: str, after_build: Callable[[list[publish.Relation]], None] | None = None
) -> TransformReport:
    """Write, audit, publish, freshness; raise (publishing nothing) when the build or a critical check
    fails. `after_build` lets a test plant rows in the build before the audit."""
    with _exclusive(warehouse_url), _dbt_env(warehouse_url):
        if not _last_run_published(warehouse_url):
            discard_build(warehouse_url)
        report = TransformReport(_start(warehouse_url))
        outcome = "build_failed"
        try:
            relations = build()
            report.built, outcome = [r.built for r in relations], "audit_failed"
            if after_build:
                after_build(relations)
            audit(warehouse_url, relations, report)
            outcome = "publish_failed"
            published = publish.publish(warehouse_url, relations)
        except Exception as error:
            _finish(warehouse_url, report, outcome, str(error))
            discard_build(warehouse_url)  # never build on top of what failed
            raise
        report.published, report.sharing_publication_id = list(published.relations), published.sharing_publication_id
        _finish(warehouse_url, report, "published", None)
        report.stale_sources = freshness.check(warehouse_url, report.transform_run_id, _dbt_args())
        log.info("transform %d: built %d, audited %d suites (%d warnings), published %d", report.transform_run_id,
                 len(report.built), len(report.audited), len(report.warnings), len(report.published))  # fmt: skip
        return report


def _dbt_args() -> list[str]:
    return ["--vars", BUILD_VARS, "--target-path", TARGET_PATH]


def build() -> list[publish.Relation]:
    """One `dbt build` into the build schemas; the relations it built there, or TransformFailed."""
    result = dbt.run(["build", "--exclude-resource-type", "unit_test", *_dbt_args()])
    outcomes = list(getattr(result.result, "results", None) or [])
    failed = [f"{r.node.name}: {r.status} ({(r.message or '').strip()[:300]})" for r in outcomes
              if str(r.status) in ("error", "fail", "runtime error")]  # fmt: skip
    if not result.success:
        detail = "; ".join(failed) or str(result.exception or "see the dbt log")
        raise TransformFailed(f"dbt build failed, nothing published: {detail}")
    built_schemas = set(build_schemas().values())
    return [
        publish.Relation(r.node.schema, r.node.alias)
        for r in outcomes
        if r.node.resource_type in ("model", "seed")
        and r.node.schema in built_schemas
        and r.node.config.materialized != "ephemeral"
        and str(r.status) == "success"
    ]


def audit(warehouse_url: str, relations: list[publish.Relation], report: TransformReport) -> None:
    """Run every suite on what was built; raise TransformFailed on a failed critical check."""
    published = [r.published for r in relations]
    results = quality.run_checkpoint(
        warehouse_url, schemas=build_schemas(), transform_run_id=report.transform_run_id, extra_tables=published
    )
    report.audited = [r.validated_table for r in results]
    report.warnings = [f"{r.suite_name}: {f.check} {f.description}".strip() for r in results for f in r.warnings]
    with_suite = {path.stem.replace("__", ".", 1) for path in quality.suite_files()}
    report.unaudited = sorted(set(published) - with_suite)
    for name in report.unaudited:
        log.warning("%s has no suite of its own, only the conventions (add expectations/%s.json)",
                    name, name.replace(".", "__"))  # fmt: skip
    if message := quality.critical_message(results):
        raise TransformFailed(message + "\nnothing was published: the published tables keep their last good state")


def discard_build(warehouse_url: str) -> None:
    """Drop the build schemas: the next build starts from scratch."""
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        for schema in build_schemas().values():
            conn.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(schema)))
    log.info("build schemas discarded")


@contextlib.contextmanager
def _exclusive(warehouse_url: str) -> Iterator[None]:
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        if not conn.execute("select pg_try_advisory_lock(%s)", (_LOCK,)).fetchone()[0]:
            raise TransformFailed("another transform is running")
        try:
            yield
        finally:
            conn.execute("select pg_advisory_unlock(%s)", (_LOCK,))


@contextlib.contextmanager
def _dbt_env(warehouse_url: str) -> Iterator[None]:
    """profiles.yml reads the connection from the environment: this warehouse's, for this run only."""
    parts = dbt.warehouse_parts(warehouse_url)
    saved = {name: os.environ.get(name) for name in parts}
    os.environ.update(parts)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _last_run_published(warehouse_url: str) -> bool:
    with psycopg.connect(warehouse_url) as conn:
        row = conn.execute(
            "select outcome from quality.transform_runs order by transform_run_id desc limit 1"
        ).fetchone()
    return row is None or row[0] == "published"


def _start(warehouse_url: str) -> int:
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        return conn.execute("insert into quality.transform_runs default values returning transform_run_id").fetchone()[
            0
        ]


def _finish(warehouse_url: str, report: TransformReport, outcome: str, message: str | None) -> None:
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        conn.execute(
            "update quality.transform_runs set finished_at = now(), outcome = %s, built = %s, published = %s, "
            "sharing_publication_id = %s, message = %s where transform_run_id = %s",
            (outcome, report.built, report.published, report.sharing_publication_id, message,
             report.transform_run_id),
        )  # fmt: skip
