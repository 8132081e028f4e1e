"""Point-in-time recovery on an embedded server of the test's own (the session's is shared: a restore
would pull it from under every other test): migrated as the platform migrates, seed catalogs loaded.

Load, back up, keep loading, note T, make a destructive mistake (drop a published mart, delete catalog
codes behind their triggers' back), restore to T: the mart, the catalogs, the catalog change log and
the sharing audit log equal a snapshot taken at T, row for row, and the audit chain verifies.

The mart is a stand-in: a table of rows in schema `marts` (a dbt transform would take minutes here,
and what is restored is the server's pages, whatever wrote them). The catalog rows and the audit rows
are written through the catalog's and the sharing API's own functions.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

import catalog
from catalog import store
from catalog.loading import VersionRow, load_versions
from foundation import backup, recovery
from foundation.backup import BackupError
from foundation.databases import create_database_if_missing
from foundation.embedded import EmbeddedServer
from foundation.net import free_loopback_port
from hub import schema
from sharing import audit

SEED_CATALOGS = ("field", "religion", "gender", "document_type")  # not the slow administrative units
MART = "marts.fct_backup_probe"
COMPARED = {  # table: its key, the order rows are compared in
    MART: "probe_id",
    "catalog.catalogs": "catalog",
    "catalog.codes": "version_id",
    "catalog.code_links": "from_version_id, to_version_id",
    "catalog.change_log": "change_id",
    "sharing.audit_log": "seq",
}


@pytest.fixture(scope="module")
def server() -> Iterator[EmbeddedServer]:
    home = Path(tempfile.mkdtemp(prefix="hub-pitr-"))  # not under pytest's tmp dir: PostgreSQL runs as another user
    embedded = EmbeddedServer(home / "pgdata", free_loopback_port(), uuid.uuid4().hex)
    embedded.start()
    try:
        yield embedded
    finally:
        embedded.stop()
        shutil.rmtree(home, ignore_errors=True)


def _load(url: str, batch: int) -> None:
    """One round of loading into all four: mart rows, catalog codes (with their change-log entry), audit rows."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            f"insert into {MART} (probe_id, batch, amount) "
            "select g, %s, g * 1.5 from generate_series(%s::int, %s::int) g",
            (batch, batch * 100, batch * 100 + 99),
        )
    with store.connect(url) as conn:
        rows = [VersionRow("religion", f"{batch}{digit}", f"Tôn giáo thử {batch}{digit}") for digit in range(3)]
        load_versions(conn, rows, "tests/foundation/test_point_in_time_recovery.py", f"round {batch}")
    _audit(url, [f"req-{batch}-{n}" for n in range(3)])


def _audit(url: str, request_ids: list[str]) -> None:
    writer = audit.Writer(url, psycopg.connect)
    for request_id in request_ids:
        writer.append(audit.Record(request_id, "GET", "/datasets/probe/rows", "127.0.0.1", status=200,
                                   row_count=100, byte_count=4096, duration_ms=12))  # fmt: skip
    writer.close()


def _snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    with psycopg.connect(url) as conn:
        return {
            table: conn.execute(f"select * from {table} order by {key}").fetchall() for table, key in COMPARED.items()
        }


@dataclass(frozen=True)
class Story:
    url: str
    backup_dir: Path
    taken: backup.BaseBackup
    at_t: dict[str, list[tuple[Any, ...]]]  # every compared table as it was at T
    restored: recovery.Restored


@pytest.fixture(scope="module")
def story(server: EmbeddedServer) -> Story:
    """Load, back up, keep loading, T, the mistake (and one more audit row), restore to T."""
    backup_dir = server.pgdata.parent / "backups"
    backup.enable_archiving(server, backup_dir)
    url = server.url("warehouse")
    create_database_if_missing(url)
    schema.migrate(url)
    catalog.load_all(url, only=SEED_CATALOGS)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"create table {MART} (probe_id int primary key, batch int not null, amount numeric not null)")
    _load(url, 1)
    taken = backup.create(server.url(), backup_dir, label="test")
    _load(url, 2)  # after the backup: only the archived WAL holds these
    at_t = _snapshot(url)
    with psycopg.connect(url) as conn:
        moment = conn.execute("select clock_timestamp()").fetchone()[0]
    time.sleep(1)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"drop table {MART}")
        conn.execute("set session_replication_role = replica")  # past the catalog's never-delete trigger
        conn.execute("delete from catalog.codes where catalog = 'religion'")
    _audit(url, ["req-after-t"])
    return Story(url, backup_dir, taken, at_t, recovery.restore(server, backup_dir, moment))


def test_restore_to_the_moment_before_a_destructive_mistake(story: Story) -> None:
    assert backup.list_backups(story.backup_dir) == [story.taken] == [story.restored.backup]
    assert (
        story.restored.kept_at is not None and story.restored.kept_at.is_dir()
    )  # the data as it was, mistake included, kept aside
    assert _snapshot(story.url) == story.at_t
    with psycopg.connect(story.url) as conn:
        chain = audit.verify(conn)
        assert chain.ok and chain.rows == len(story.at_t["sharing.audit_log"]) == 6
        # what was written between the backup and T came from the archived WAL
        assert conn.execute(f"select count(*) from {MART} where batch = 2").fetchone()[0] == 100
        assert conn.execute("select count(*) from catalog.codes where code in ('20', '21', '22')").fetchone()[0] == 3
        assert conn.execute("select count(*) from catalog.change_log where reason = 'round 2'").fetchone()[0] == 1
        assert conn.execute("show restore_command").fetchone()[0] == ""  # the recovery settings are gone


def test_restore_to_the_latest_follows_the_restored_history(server: EmbeddedServer, story: Story) -> None:
    """New writes after the restore, then a restore with no moment: all of them, on the new timeline."""
    _load(story.url, 3)
    before = _snapshot(story.url)

    recovery.restore(server, story.backup_dir)

    assert _snapshot(story.url) == before
    with psycopg.connect(story.url) as conn:
        assert audit.verify(conn).ok


def test_pruning_keeps_what_the_newest_backups_need(server: EmbeddedServer, story: Story) -> None:
    newest = backup.create(server.url(), story.backup_dir, label="second")
    segments = {f.name for f in backup.wal_dir(story.backup_dir).iterdir()}

    assert backup.prune(story.backup_dir, keep=1) == [story.taken]

    assert backup.list_backups(story.backup_dir) == [newest]
    left = {f.name for f in backup.wal_dir(story.backup_dir).iterdir()}
    assert left < segments and "000000010000000000000001" not in left
    _load(story.url, 4)
    before = _snapshot(story.url)
    recovery.restore(server, story.backup_dir)  # from the one backup left, over the WAL left
    assert _snapshot(story.url) == before


def test_errors_a_person_can_act_on(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no base backup"):
        recovery.choose(tmp_path, None)
    with pytest.raises(BackupError, match="in the future"):
        backup.parse_moment((datetime.now(UTC) + timedelta(hours=9)).isoformat())
    assert backup.parse_moment("2025-12-07 14:05") == datetime(2025, 12, 7, 7, 5, tzinfo=UTC)  # province time
    assert backup.parse_moment("2025-12-07T14:05Z") == datetime(2025, 12, 7, 14, 5, tzinfo=UTC)
