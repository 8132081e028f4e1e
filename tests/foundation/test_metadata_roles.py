"""Airflow's and Superset's metadata databases belong to their own roles; an older install's
database (everything owned by the warehouse owner) is handed over in place."""

from __future__ import annotations

import secrets

import psycopg
import pytest
from sqlalchemy.engine import make_url

from foundation import databases, metadata_roles
from hub.pipeline import Platform


@pytest.mark.parametrize("database", ["airflow", "superset"])
def test_each_metadata_database_is_owned_by_its_own_role(platform: Platform, database: str) -> None:
    role, _ = metadata_roles.OWNERS[database]
    url = getattr(platform.databases, database)
    assert make_url(url).username == role
    with psycopg.connect(databases.with_database(platform.databases.warehouse, database)) as conn:
        assert conn.execute("select datdba::regrole::text from pg_database where datname = %s",
                            (database,)).fetchone() == (role,)  # fmt: skip
        left = conn.execute(
            "select count(*) from pg_class as c join pg_namespace as n on n.oid = c.relnamespace "
            "where n.nspname = 'public' and c.relowner <> %s::regrole",
            (role,),
        ).fetchone()
        assert left == (0,), "every table of the metadata belongs to the service's role"
    with psycopg.connect(url) as conn:
        assert conn.execute("select rolsuper from pg_roles where rolname = current_user").fetchone() == (False,)
    other = "superset" if database == "airflow" else "airflow"
    with pytest.raises(psycopg.OperationalError, match="permission denied"):
        psycopg.connect(databases.with_database(url, other)).close()


def test_an_older_install_is_handed_over_in_place(platform: Platform) -> None:
    """Tables, their sequences and indexes, a free sequence, a view, a type, a function and a
    schema, all the owner's: afterwards all the role's; the warehouse stays the owner's."""
    owner = platform.databases.warehouse
    name = f"handover_{secrets.token_hex(3)}"
    role = f"hub_{name}"
    with psycopg.connect(databases.with_database(owner, "postgres"), autocommit=True) as conn:
        conn.execute(f"create database {name}")
    old = databases.with_database(owner, name)
    try:
        with psycopg.connect(old, autocommit=True) as conn:
            conn.execute(
                "create table public.dag (id serial primary key, name text unique);"
                "create table public.task (id bigint generated always as identity, dag_id int references dag);"
                "create sequence public.free_counter;"
                "create view public.dag_names as select name from dag;"
                "create type public.state as enum ('queued', 'done');"
                "create function public.one() returns int language sql return 1;"
                "create schema extra; create table extra.note (t text);"
            )
        moved = metadata_roles.ensure_owner(old, role, secrets.token_urlsafe(16))
        assert moved == 8  # schema, 3 tables, view, free sequence, type, function
        with psycopg.connect(old) as conn:
            owners = conn.execute(
                "select distinct c.relowner::regrole::text from pg_class as c join pg_namespace as n "
                "on n.oid = c.relnamespace where n.nspname in ('public', 'extra')"
            ).fetchall()
            assert owners == [(role,)]
            assert conn.execute("select typowner::regrole::text from pg_type where typname = 'state'").fetchone() == (
                role,
            )
            assert conn.execute("select proowner::regrole::text from pg_proc where proname = 'one'").fetchone() == (
                role,
            )
            found = conn.execute(
                "select datname, datdba::regrole::text from pg_database where datname in (%s, 'warehouse')", (name,)
            ).fetchall()
            assert sorted(found) == sorted([(name, role), ("warehouse", make_url(owner).username)])
        assert metadata_roles.ensure_owner(old, role, secrets.token_urlsafe(16)) == 0  # once is enough
    finally:
        with psycopg.connect(databases.with_database(owner, "postgres"), autocommit=True) as conn:
            conn.execute(f"drop database if exists {name}")
            conn.execute(f"drop role if exists {role}")
