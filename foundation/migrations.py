"""Versioned migrations for the warehouse objects that dbt does not own.

Each package keeps the migrations of the tables it owns beside its code
(`<package>/migrations/NNNN_<name>.sql`); the application hands the runner every
package's folder (see `hub/schema.py`). Version numbers are unique across
packages and decide the order: each file is applied once, in its own
transaction, and recorded with its checksum.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import psycopg

log = logging.getLogger(__name__)

DIRECTORY = Path(__file__).parent / "migrations"  # the foundation's own: the schemas
_LOCK_KEY = 740_766  # advisory lock: two `migrate` runs never interleave


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def available(directories: Path | Iterable[Path]) -> list[Migration]:
    """Every migration in the folders, by version; two files with one version are an error."""
    folders = [directories] if isinstance(directories, Path) else list(directories)
    found: dict[int, Migration] = {}
    for folder in folders:
        for path in sorted(folder.glob("[0-9][0-9][0-9][0-9]_*.sql")):
            version, _, name = path.stem.partition("_")
            migration = Migration(int(version), name, path)
            if migration.version in found:
                raise RuntimeError(f"migration version {version} is used twice: {found[migration.version].path} "
                                   f"and {path}")  # fmt: skip
            found[migration.version] = migration
    return [found[v] for v in sorted(found)]


def migrate(url: str, directories: Path | Iterable[Path]) -> list[Migration]:
    """Apply every migration not yet applied; return those applied now."""
    applied_now = []
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("select pg_advisory_lock(%s)", (_LOCK_KEY,))
        conn.execute("create schema if not exists audit")
        conn.execute(
            """create table if not exists audit.schema_migrations (
                   version integer primary key,
                   name text not null,
                   checksum text not null,
                   applied_at timestamptz not null default now())"""
        )
        done = dict(conn.execute("select version, checksum from audit.schema_migrations").fetchall())
        for migration in available(directories):
            if migration.version in done:
                if done[migration.version] != migration.checksum:
                    raise RuntimeError(
                        f"migration {migration.path.name} was changed after it was applied; "
                        "add a new migration instead of editing an applied one"
                    )
                continue
            with conn.transaction():
                conn.execute(migration.path.read_text())
                conn.execute(
                    "insert into audit.schema_migrations (version, name, checksum) values (%s, %s, %s)",
                    (migration.version, migration.name, migration.checksum),
                )
            log.info("applied migration %s", migration.path.name)
            applied_now.append(migration)
        conn.execute("select pg_advisory_unlock(%s)", (_LOCK_KEY,))
    return applied_now
