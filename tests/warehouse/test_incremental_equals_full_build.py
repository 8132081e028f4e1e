"""Full rebuild = a sequence of incremental runs: the incremental facts (fct_dossiers,
fct_dossier_status_events, fct_documents), the Decision 766 judgements (stored incrementally) and
the scorecard built from them, built from part of the demo data, then incrementally after the rest
arrived (the one-stop dossiers' later states, their late-arriving status events (`late_update`
dirt: the last change 3-45 days late), the other half of the edXML inbox), hold the same rows,
column for column, as a `--full-refresh` of the same data."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest
from separate_warehouse import demo_document_files, fresh_warehouse, load_documents, load_onestop, run_dbt

from hub.pipeline import Platform
from simulators.demo import DEMO_DAYS

FACTS = {"fct_dossiers": "dossier_id", "fct_dossier_status_events": "dossier_event_id", "fct_documents": "document_id"}
# compared in their published form; ordered by the whole row
D766 = {"intermediate": "int_d766__dossier_period_judgments", "marts": "fct_d766_indicator_scores"}
SELECT = ["--select", *(f"+{fact}" for fact in FACTS), "+fct_d766_scores", "dim_date", "dim_admin_unit"]
# as_of fixed for every run; no lookback, so the second run really is a subset of the dossiers
VARS = ["--vars", f"{{as_of: '{date.today()}', incremental_lookback: '0 seconds'}}"]


def _table_digest(conn: psycopg.Connection, table: str, key: str, columns: list[str]) -> tuple[int, str]:
    listed = ", ".join(columns)
    return conn.execute(
        f"select count(*), md5(string_agg(row({listed})::text, '|' order by {key})) from {table}"
    ).fetchone()


@pytest.fixture(scope="module")
def built(platform: Platform, tmp_path_factory: pytest.TempPathFactory) -> dict:
    url = fresh_warehouse(platform, "test_incremental_facts")
    scratch, inbox = tmp_path_factory.mktemp("dbt-incremental"), tmp_path_factory.mktemp("inbox")
    cut = (date.today() - timedelta(days=DEMO_DAYS // 2)).strftime("%Y%m%d000000")
    documents = demo_document_files(platform)
    assert documents, "the demo inbox has no edXML documents"

    load_onestop(platform, url, until=cut)
    load_documents(url, documents[: len(documents) // 2], inbox)
    first = run_dbt(platform, url, scratch, "run", *SELECT, *VARS)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("create table first_build as select dossier_id, status_code, loaded_at from marts.fct_dossiers")

    load_onestop(platform, url, since=cut)
    load_documents(url, documents[len(documents) // 2 :], inbox)
    second = run_dbt(platform, url, scratch, "run", *SELECT, *VARS)
    third = run_dbt(platform, url, scratch, "run", *SELECT, *VARS)  # nothing new: changes nothing
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("create schema incremental")
        for fact in FACTS:
            conn.execute(f"create table incremental.{fact} as select * from marts.{fact}")
        for schema, table in D766.items():
            conn.execute(f"create table incremental.{table} as select * from {schema}.{table}")
    run_dbt(platform, url, scratch, "run", "--full-refresh", *SELECT, *VARS)
    return {"url": url, "runs": (first, second, third), "scratch": Path(scratch)}


def test_the_second_load_brought_late_changes_to_dossiers_already_built(built: dict) -> None:
    with psycopg.connect(built["url"]) as conn:
        changed, added = conn.execute(
            """select count(*) filter (where f.status_code <> d.status_code),
                      count(*) filter (where f.dossier_id is null)
               from marts.fct_dossiers d left join first_build f using (dossier_id)"""
        ).fetchone()
        late_events = conn.execute(  # status events of dossiers already built, arrived with the second load
            "select count(*) from marts.fct_dossier_status_events e join first_build f using (dossier_id)"
            " where e.loaded_at > (select max(loaded_at) from first_build)"
        ).fetchone()[0]
    assert changed > 0 and added > 0 and late_events > 0


def test_the_incremental_run_merged_only_what_changed(built: dict) -> None:
    _, second, third = built["runs"]
    with psycopg.connect(built["url"]) as conn:
        total = conn.execute("select count(*) from marts.fct_dossiers").fetchone()[0]
    merged = second["fct_dossiers"]["adapter_response"]["rows_affected"]
    assert 0 < merged < total
    assert third["fct_dossier_status_events"]["adapter_response"]["rows_affected"] == 0


@pytest.mark.parametrize(
    ("schema", "table"), [*(("marts", fact) for fact in FACTS), *D766.items()], ids=[*FACTS, *D766.values()]
)
def test_a_full_rebuild_equals_the_incremental_runs_row_for_row(built: dict, schema: str, table: str) -> None:
    with psycopg.connect(built["url"]) as conn:
        columns = [
            r[0]
            for r in conn.execute(
                "select column_name from information_schema.columns where table_schema = %s"
                " and table_name = %s order by ordinal_position",
                (schema, table),
            )
        ]
        listed = ", ".join(columns)
        only_full, only_incremental = conn.execute(
            f"""select (select count(*) from (select {listed} from {schema}.{table}
                                              except all select {listed} from incremental.{table}) a),
                       (select count(*) from (select {listed} from incremental.{table}
                                              except all select {listed} from {schema}.{table}) b)"""
        ).fetchone()
        key = FACTS.get(table, f"row({listed})::text")
        full = _table_digest(conn, f"{schema}.{table}", key, columns)
        incremental = _table_digest(conn, f"incremental.{table}", key, columns)
    assert (only_full, only_incremental) == (0, 0)
    assert full == incremental and full[0] > 0
