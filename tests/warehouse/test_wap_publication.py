"""Write-audit-publish on the session's warehouse: a bad batch publishes nothing, a warning does not
stop publication, and a swap is seen whole or not at all."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import psycopg
import pytest

from foundation.databases import Databases
from hub.pipeline import Platform
from warehouse import publish, transform

PLANTED = "WAP-PLANTED-0001"


def _fingerprints(conn: psycopg.Connection) -> dict[str, str]:
    """md5 of each published table's rows in order: the row-for-row comparison."""
    tables = conn.execute(
        "select schemaname, tablename from pg_tables where schemaname = 'marts' "
        "or (schemaname = 'sharing' and tablename in ('fct_dossier_applicants', 'shared_marts'))"
    ).fetchall()
    return {
        f"{schema}.{table}": conn.execute(
            f"select md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) from {schema}.{table} as t"
        ).fetchone()[0]
        for schema, table in tables
    }


def _publication(conn: psycopg.Connection) -> int:
    return conn.execute("select coalesce(max(publication_id), 0) from sharing.publications").fetchone()[0]


def _copy_row(conn: psycopg.Connection, table: str, changes: str, where: str) -> None:
    """Insert a copy of one row of a raw table with some columns changed (whatever columns it has)."""
    conn.execute(
        f"insert into {table} select (jsonb_populate_record(null::{table}, to_jsonb(r) || {changes})).* "
        f"from {table} as r where {where} limit 1"
    )


@pytest.fixture
def planted_bad_dossier(pipeline_ran: Databases) -> Iterator[str]:
    """A new batch with one dossier whose processing ended two days before it was received."""
    source = "(select dossier_id from raw.onestop__dossiers__current where finished_at is not null limit 1)"
    ended = "jsonb_build_object('dossier_id', '" + PLANTED + "', 'finished_at', r.received_at - interval '2 days')"
    with psycopg.connect(pipeline_ran.warehouse, autocommit=True) as conn:
        for table in ("raw.onestop__dossiers__current", "raw.onestop__dossiers"):
            _copy_row(conn, table, ended, f"dossier_id = {source}")
        for table in ("raw.onestop__dossier_events__current", "raw.onestop__dossier_events"):
            for status, at in ((2, "received_at"), (9, "received_at - interval '2 days'")):
                event = f"jsonb_build_object('dossier_id', '{PLANTED}', 'status_code', {status}, 'event_at', d.{at})"
                conn.execute(
                    f"insert into {table} select (jsonb_populate_record(null::{table}, to_jsonb(e) || {event})).* "
                    f"from {table} as e, raw.onestop__dossiers__current as d "
                    f"where d.dossier_id = '{PLANTED}' and e.dossier_id = {source} limit 1"
                )
    yield PLANTED
    with psycopg.connect(pipeline_ran.warehouse, autocommit=True) as conn:
        for table in ("dossiers__current", "dossiers", "dossier_events__current", "dossier_events"):
            conn.execute(f"delete from raw.onestop__{table} where dossier_id = %s", (PLANTED,))


def _assert_nothing_published(warehouse: str, run: Callable[[], object], before: dict[str, str]) -> str:
    with psycopg.connect(warehouse) as conn:
        publication = _publication(conn)
    with pytest.raises(transform.TransformFailed) as failed:
        run()
    with psycopg.connect(warehouse) as conn:
        assert _fingerprints(conn) == before  # every published table, row for row
        assert _publication(conn) == publication  # the sharing API's publication did not advance
        outcome, message = conn.execute(
            "select outcome, message from quality.transform_runs order by transform_run_id desc limit 1"
        ).fetchone()
        left = conn.execute("select count(*) from pg_namespace where nspname like '%\\_build'").fetchone()[0]
    assert (outcome, left) == ("audit_failed", 0)  # recorded, and the failed build is discarded
    assert str(failed.value) == message
    return message


def test_a_dossier_that_ends_before_it_was_received_stops_publication(
    pipeline_ran: Databases, planted_bad_dossier: str
) -> None:
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        before = _fingerprints(conn)
    assert "marts.fct_dossiers" in before

    message = _assert_nothing_published(
        pipeline_ran.warehouse, lambda: transform.run_transform(pipeline_ran.warehouse), before
    )

    assert "suite marts__fct_dossiers" in message
    assert "expect_column_pair_values_a_to_be_greater_than_b(finished_at, received_at)" in message
    assert "marts_build.fct_dossiers" in message and planted_bad_dossier in message  # table and failing row


def test_a_rate_above_one_in_a_mart_stops_publication(pipeline_ran: Databases) -> None:
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        before = _fingerprints(conn)

    def plant_rate(relations: list[publish.Relation]) -> None:
        # a new rate column, as a model bug would make: the naming convention checks it (the scorecard's own
        # rates have suites of their own, where a monitoring indicator may hold days)
        with psycopg.connect(pipeline_ran.warehouse, autocommit=True) as conn:
            table = "marts_build.fct_sector_indicators_by_commune"
            conn.execute(f"alter table {table} add column planted_rate numeric")
            conn.execute(f"update {table} set planted_rate = 1.25 where ctid = (select min(ctid) from {table})")

    message = _assert_nothing_published(
        pipeline_ran.warehouse, lambda: transform.run_transform(pipeline_ran.warehouse, after_build=plant_rate), before
    )

    assert "expect_column_values_to_be_between(" in message and "rate is between 0 and 1" in message
    assert "1.25" in message


def test_a_failed_warning_is_recorded_and_publication_goes_on(pipeline_ran: Databases) -> None:
    """A name in decomposed Unicode (NFD) in a raw table is a warning: the run publishes anyway."""
    with psycopg.connect(pipeline_ran.warehouse, autocommit=True) as conn:
        dossier_id, name = conn.execute(
            "select dossier_id, applicant_name from raw.onestop__dossiers__current "
            "where applicant_name ~ '[ạ-ỹ]' and applicant_name is nfc normalized order by dossier_id limit 1"
        ).fetchone()
        conn.execute(
            "update raw.onestop__dossiers__current set applicant_name = normalize(applicant_name, nfd) "
            "where dossier_id = %s",
            (dossier_id,),
        )
        publication = _publication(conn)
    try:
        report = transform.run_transform(pipeline_ran.warehouse)
        with psycopg.connect(pipeline_ran.warehouse) as conn:
            warnings = conn.execute(
                "select warning_failures from quality.validation_runs "
                "where transform_run_id = %s and suite_name = 'raw__onestop__dossiers__current'",
                (report.transform_run_id,),
            ).fetchone()[0]
            assert _publication(conn) > publication
        assert warnings >= 1 and report.published
        assert any(w.startswith("raw__onestop__dossiers__current") and "applicant_name is Unicode NFC" in w
                   for w in report.warnings)  # fmt: skip
    finally:
        with psycopg.connect(pipeline_ran.warehouse, autocommit=True) as conn:
            conn.execute(
                "update raw.onestop__dossiers__current set applicant_name = %s where dossier_id = %s",
                (name, dossier_id),
            )
        transform.run_transform(pipeline_ran.warehouse)


@pytest.fixture
def two_tables(platform: Platform) -> Iterator[str]:
    with psycopg.connect(platform.databases.warehouse, autocommit=True) as conn:
        conn.execute("drop schema if exists waptest cascade; drop schema if exists waptest_build cascade")
        conn.execute("create schema waptest; create schema waptest_build")
        for schema, version in (("waptest", "old"), ("waptest_build", "new")):
            for table in ("a", "b"):
                conn.execute(f"create table {schema}.{table} as select '{version}'::text as version")
                conn.execute(f"create index on {schema}.{table} (version)")  # same index names in both
    yield platform.databases.warehouse
    with psycopg.connect(platform.databases.warehouse, autocommit=True) as conn:
        conn.execute("drop schema waptest cascade; drop schema waptest_build cascade")


def test_a_reader_sees_every_table_old_or_every_table_new(two_tables: str) -> None:
    relations = [publish.Relation("waptest_build", "a"), publish.Relation("waptest_build", "b")]
    both = "select (select version from waptest.a), (select version from waptest.b)"
    seen: set[tuple[str, str]] = set()
    done = threading.Event()

    def read() -> None:
        with psycopg.connect(two_tables, autocommit=True) as conn:
            while not done.is_set():
                seen.add(conn.execute(both).fetchone())

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(20):  # each swap moves the other version in: old, new, old, ...
            publish.publish(two_tables, relations, sharing_publication=False)
    finally:
        done.set()
        reader.join()

    assert seen <= {("old", "old"), ("new", "new")}
    assert len(seen) == 2


def test_a_publication_killed_before_it_commits_changes_nothing(two_tables: str) -> None:
    def die(conn: psycopg.Connection) -> None:
        assert conn.execute("select version from waptest.a").fetchone() == ("new",)  # swapped, not committed
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        publish.publish(two_tables, [publish.Relation("waptest_build", "a")], False, before_commit=die)

    with psycopg.connect(two_tables) as conn:
        versions = conn.execute("select (select version from waptest.a), (select version from waptest_build.a)")
        assert versions.fetchone() == ("old", "new")
