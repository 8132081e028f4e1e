from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from foundation import migrations
from foundation.databases import create_database_if_missing, with_database
from hub.pipeline import Platform


@pytest.fixture
def scratch_url(platform: Platform, request: pytest.FixtureRequest) -> str:
    url = with_database(platform.databases.warehouse, f"scratch_{request.node.name.lower()[:40]}")
    create_database_if_missing(url)
    return url


def test_applies_each_migration_once(scratch_url: str, tmp_path: Path) -> None:
    (tmp_path / "0001_first.sql").write_text("create table public.things (id int);")
    (tmp_path / "0002_second.sql").write_text("insert into public.things values (1);")

    assert [m.version for m in migrations.migrate(scratch_url, tmp_path)] == [1, 2]
    assert migrations.migrate(scratch_url, tmp_path) == []
    with psycopg.connect(scratch_url) as conn:
        assert conn.execute("select count(*) from public.things").fetchone() == (1,)


def test_refuses_an_edited_migration(scratch_url: str, tmp_path: Path) -> None:
    script = tmp_path / "0001_first.sql"
    script.write_text("create table public.things (id int);")
    migrations.migrate(scratch_url, tmp_path)
    script.write_text("create table public.things (id bigint);")

    with pytest.raises(RuntimeError, match=r"0001_first\.sql was changed"):
        migrations.migrate(scratch_url, tmp_path)


def test_failed_migration_leaves_nothing(scratch_url: str, tmp_path: Path) -> None:
    (tmp_path / "0001_broken.sql").write_text("create table public.half (id int); select 1/0;")

    with pytest.raises(psycopg.errors.DivisionByZero):
        migrations.migrate(scratch_url, tmp_path)
    with psycopg.connect(scratch_url) as conn:
        assert conn.execute("select to_regclass('public.half')").fetchone() == (None,)
        assert conn.execute("select count(*) from audit.schema_migrations").fetchone() == (0,)


def test_warehouse_has_every_layer(platform: Platform) -> None:
    expected = {"raw", "catalog", "staging", "intermediate", "marts", "quality", "audit", "sharing"}
    with psycopg.connect(platform.databases.warehouse) as conn:
        found = {row[0] for row in conn.execute("select nspname from pg_namespace")}
    assert expected <= found


def test_several_folders_apply_in_version_order(scratch_url: str, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    (first / "0002_fill.sql").write_text("insert into public.things values (1);")
    (second / "0001_create.sql").write_text("create table public.things (id int);")

    assert [m.version for m in migrations.migrate(scratch_url, [first, second])] == [1, 2]


def test_one_version_in_two_folders_is_refused(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    (first / "0001_one.sql").write_text("select 1;")
    (second / "0001_other.sql").write_text("select 2;")

    with pytest.raises(RuntimeError, match="version 0001 is used twice"):
        migrations.available([first, second])
