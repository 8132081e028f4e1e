"""The dashboards' read-only account: it reads the marts, and can do nothing else."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.engine import make_url

from foundation.databases import Databases
from hub.pipeline import Platform
from warehouse import reporting

DENIED = psycopg.errors.InsufficientPrivilege


def _as_reporting(platform: Platform, statement: str) -> list[tuple[object, ...]]:
    with psycopg.connect(platform.reporting_url, autocommit=True) as conn:
        cursor = conn.execute(statement)
        return cursor.fetchall() if cursor.description else []


def test_it_is_a_separate_login_without_powers(platform: Platform) -> None:
    assert make_url(platform.reporting_url).username == reporting.ROLE
    powers = _as_reporting(
        platform, "select rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user"
    )
    assert powers == [(False, False, False)]


def test_it_reads_every_mart_including_those_dbt_rebuilt(platform: Platform, pipeline_ran: Databases) -> None:
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        marts = [name for (name,) in conn.execute("select tablename from pg_tables where schemaname = 'marts'")]
    assert "fct_dossiers" in marts
    for mart in marts:
        _as_reporting(platform, f"select count(*) from marts.{mart}")


@pytest.mark.parametrize("statement", [
    "select count(*) from raw.onestop__dossiers__current",  # personal data as it arrived
    "select count(*) from catalog.codes",
    "select count(*) from audit.quarantine",
    "delete from marts.fct_dossiers",
    "update marts.fct_dossiers set agency_name = null",
    "create table marts.scratch (x int)",
    "drop table marts.fct_dossiers",
])  # fmt: skip
def test_everything_else_is_refused(platform: Platform, pipeline_ran: Databases, statement: str) -> None:
    with pytest.raises(DENIED):
        _as_reporting(platform, statement)


def test_preparing_again_keeps_the_role_working(platform: Platform) -> None:
    assert reporting.reporting_url(platform.settings, platform.databases.warehouse) == platform.reporting_url
    assert _as_reporting(platform, "select 1") == [(1,)]
