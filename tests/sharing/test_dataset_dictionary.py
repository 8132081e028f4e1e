"""Every integrated dataset's data dictionary matches the relation it is read from, and the scorecard
datasets carry the marts' figures row for row."""

from __future__ import annotations

import psycopg
import pytest

from sharing import datasets

# how information_schema names the types a declaration may use
_SQL_NAMES = {
    "text": {"text", "character varying"},
    "bigint": {"bigint"},
    "integer": {"integer"},
    "numeric": {"numeric", "double precision"},
    "boolean": {"boolean"},
    "date": {"date"},
    "timestamp": {"timestamp without time zone"},
    "timestamptz": {"timestamp with time zone"},
    "jsonb": {"jsonb"},
}


@pytest.mark.parametrize("dataset", datasets.INTEGRATED, ids=lambda d: d.id)
def test_every_declared_column_exists_with_its_type(sql: psycopg.Connection, dataset: datasets.Dataset) -> None:
    schema, table = dataset.relation.split(".")
    found = dict(
        sql.execute(
            "select column_name, data_type from information_schema.columns where table_schema = %s and table_name = %s",
            (schema, table),
        ).fetchall()
    )
    wrong = {
        c.name: (c.type, found.get(c.name)) for c in dataset.columns if found.get(c.name) not in _SQL_NAMES[c.type]
    }
    assert not wrong, f"{dataset.id}: declared type vs the relation's: {wrong}"


@pytest.mark.parametrize(
    ("shared", "mart", "unit"),
    [
        ("shared_d766_agency_scores", "fct_d766_agency_scores", "agency_code"),
        ("shared_d766_commune_scores", "fct_d766_commune_scores", "boundary, admin_unit_code"),
    ],
)
def test_the_scorecard_datasets_are_the_marts_with_one_key(sql: psycopg.Connection, shared: str, mart: str,
                                                           unit: str) -> None:  # fmt: skip
    columns = f"period_kind, period_start_on, {unit}, group_code, points, max_points, score_rank"
    in_mart = sql.execute(f"select {columns} from marts.{mart} order by 1, 2, 3, 4").fetchall()
    in_shared = sql.execute(f"select {columns} from sharing.{shared} order by 1, 2, 3, 4").fetchall()
    assert in_shared == in_mart
    keys = sql.execute(f"select count(*), count(distinct score_id) from sharing.{shared}").fetchone()
    assert keys[0] == keys[1]
