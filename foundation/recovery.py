"""Restoring the embedded server from a base backup and the archived WAL, to a moment or to the latest.

The current data directory is never deleted: it is moved aside (`Restored.kept_at`), and the WAL it had
not archived yet is copied into the restored one, so a restore reaches as far as the server had written.
The whole server goes back: the warehouse, and Airflow's and Superset's metadata with it.
"""

from __future__ import annotations

import logging
import re
import shutil
import tarfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from foundation import backup
from foundation.backup import BackupError, BaseBackup
from foundation.embedded import EmbeddedServer, give_to_system_user

log = logging.getLogger(__name__)

RECOVERY_SETTINGS = ("restore_command", "recovery_target_time", "recovery_target_action")
SEGMENT = re.compile(r"[0-9A-F]{24}")
RAN_OUT = "recovery ended before configured recovery target was reached"  # the log is English: initdb --locale=C.UTF-8


@dataclass(frozen=True)
class Restored:
    backup: BaseBackup
    target: datetime | None  # None: the latest moment the WAL reaches
    kept_at: Path | None  # the data directory as it was before the restore (None: there was none)


def choose(backup_dir: Path, target: datetime | None) -> BaseBackup:
    """The newest base backup that ended before `target` (the newest of all without one)."""
    found = backup.list_backups(backup_dir)
    if not found:
        raise BackupError(f"no base backup in {backup.base_dir(backup_dir)} yet: take one with `hub backup create`")
    if target is None:
        return found[0]
    usable = [b for b in found if b.ended_at <= target]
    if not usable:
        oldest = backup.local(found[-1].ended_at)
        raise BackupError(f"{backup.local(target)} is before the oldest backup ended ({oldest}): nothing to restore")
    return usable[0]


def restore(
    server: EmbeddedServer, backup_dir: Path, target: datetime | None = None, say: Callable[[str], None] = log.info
) -> Restored:
    """Stop the server, put the chosen base backup in place of its data directory, replay the archived WAL
    up to `target` (or all of it), promote, and leave the server running; `say` hears each step."""
    chosen = choose(backup_dir, target)
    if server.is_running():
        say("archiving the current WAL, then stopping the server")
        _archive_current_wal(server, backup_dir)
        server.stop()
    kept_at = None
    if server.pgdata.exists():
        kept_at = server.pgdata.with_name(f"{server.pgdata.name}.before-restore-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
        server.pgdata.rename(kept_at)
        say(f"the data directory as it was is kept in {kept_at}")
    try:
        say(f"unpacking base backup {chosen.name}")
        _unpack(backup.base_dir(backup_dir) / chosen.name, server.pgdata)
        if kept_at is not None:
            _copy_unarchived_wal(kept_at / "pg_wal", server.pgdata / "pg_wal", backup.wal_dir(backup_dir))
        _write_recovery_settings(server.pgdata, backup_dir, target)
        give_to_system_user(server.pgdata, recursive=True)
        say(f"replaying the archived WAL up to {backup.local(target) if target else 'its end'}")
        if not _recover(server):
            # no transaction committed after the target: its state is the end of the WAL, so replay all of it
            say("no transaction after that moment: replaying the WAL to its end")
            _write_recovery_settings(server.pgdata, backup_dir, None)
            _recover(server)
    except (BackupError, OSError, tarfile.TarError) as failed:
        kept = f" The data before the restore is in {kept_at}." if kept_at else ""
        raise BackupError(f"restore failed: {failed}; see {server.log_file}.{kept}") from None
    _clear_recovery_settings(server)
    return Restored(chosen, target, kept_at)


def _archive_current_wal(server: EmbeddedServer, backup_dir: Path, timeout_s: float = 60) -> None:
    """A committed transaction stamped now (so a target before now is always reached), then a WAL switch
    so the segment holding it is archived; waits for the archiver."""
    with psycopg.connect(server.url(), autocommit=True) as conn:
        conn.execute("select pg_current_xact_id()")
        segment = conn.execute("select pg_walfile_name(pg_switch_wal())").fetchone()[0]
    deadline = time.monotonic() + timeout_s
    while not (backup.wal_dir(backup_dir) / segment).exists():
        if time.monotonic() > deadline:
            log.warning("segment %s not archived after %.0f s; its copy in pg_wal is used", segment, timeout_s)
            return
        time.sleep(0.2)


def _unpack(folder: Path, pgdata: Path) -> None:
    pgdata.mkdir(mode=0o700)
    with tarfile.open(folder / "base.tar.gz") as tar:
        tar.extractall(pgdata, filter="data")
    with tarfile.open(folder / "pg_wal.tar.gz") as tar:
        tar.extractall(pgdata / "pg_wal", filter="data")
    pgdata.chmod(0o700)


def _copy_unarchived_wal(old: Path, new: Path, archived: Path) -> None:
    """The segments the old server wrote and had not archived (the current one, or all since archiving
    broke): what the PostgreSQL manual says to copy before a point-in-time recovery."""
    for segment in old.glob("*") if old.is_dir() else []:
        if SEGMENT.fullmatch(segment.name) and not (archived / segment.name).exists():
            shutil.copy2(segment, new / segment.name)


def _write_recovery_settings(pgdata: Path, backup_dir: Path, target: datetime | None) -> None:
    """recovery.signal, and the recovery parameters appended to postgresql.auto.conf (removed by
    ALTER SYSTEM RESET once the server is promoted)."""
    conf = pgdata / "postgresql.auto.conf"
    kept = [line for line in conf.read_text().splitlines() if line.split("=")[0].strip() not in RECOVERY_SETTINGS]
    settings = {"restore_command": backup.restore_command(backup_dir), "recovery_target_action": "promote"}
    if target is not None:
        settings["recovery_target_time"] = target.isoformat(sep=" ")
    quoted = [f"{name} = '{value.replace(chr(39), chr(39) * 2)}'" for name, value in settings.items()]
    conf.write_text("\n".join([*kept, *quoted]) + "\n")
    (pgdata / "recovery.signal").touch()


def _recover(server: EmbeddedServer) -> bool:
    """Start in recovery and wait for the promotion; False if the WAL ran out before the target."""
    log_start = server.log_file.stat().st_size if server.log_file.exists() else 0
    try:
        server.start()
    except RuntimeError:
        log.info("pg_ctl gave up waiting; the server may still be recovering", exc_info=True)
    while server.is_running():
        try:
            with psycopg.connect(server.url(), connect_timeout=10) as conn:
                if not conn.execute("select pg_is_in_recovery()").fetchone()[0]:
                    return True
        except psycopg.OperationalError:
            pass  # not yet accepting connections, or stopping
        time.sleep(0.5)
    if RAN_OUT in server.log_file.read_bytes()[log_start:].decode(errors="replace"):
        return False
    raise BackupError("the server stopped during recovery")


def _clear_recovery_settings(server: EmbeddedServer) -> None:
    with psycopg.connect(server.url(), autocommit=True) as conn:
        for name in RECOVERY_SETTINGS:
            conn.execute(f"alter system reset {name}")
        conn.execute("select pg_reload_conf()")
