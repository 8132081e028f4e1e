"""Base backups and WAL archiving of the warehouse's server, for point-in-time recovery.

`pg_basebackup` with `archive_command`, the server's own tools: Debian's pgBackRest (2.45) and barman
predate PostgreSQL 18, and WAL-G is only a release binary we cannot install from a package registry.

Layout of a backup directory (the compose postgres service writes the same, in /var/lib/hub-backups):
`base/<UTC timestamp>/` one base backup (tar, gzip, manifest, `backup.json`), `wal/` archived WAL.
Both may hold personal data: every directory is 0700. `recovery.py` restores from them.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import make_url

from foundation.embedded import POSTGRES_BIN_PATH, EmbeddedServer, give_to_system_user

LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")  # a time typed without an offset is the province's
ARCHIVE_TIMEOUT_S = 60  # a segment is archived at least every minute: "the minute before" is always there
INFO_FILE = "backup.json"


class BackupError(Exception):
    """Something a person can act on (no backup yet, a target out of range); the CLI prints it."""


@dataclass(frozen=True)
class BaseBackup:
    name: str
    started_at: datetime
    ended_at: datetime  # the earliest moment this backup restores to
    start_lsn: str
    end_lsn: str
    timeline: int
    bytes: int
    label: str

    @staticmethod
    def read(folder: Path) -> BaseBackup:
        info = json.loads((folder / INFO_FILE).read_text(encoding="utf-8"))
        for moment in ("started_at", "ended_at"):
            info[moment] = datetime.fromisoformat(info[moment])
        return BaseBackup(**info)


def wal_dir(backup_dir: Path) -> Path:
    return backup_dir / "wal"


def base_dir(backup_dir: Path) -> Path:
    return backup_dir / "base"


def make_dirs(backup_dir: Path) -> None:
    """The embedded server's backup directory, `base/` and `wal/`, 0700, reachable by the user it runs as."""
    folders = (backup_dir, base_dir(backup_dir), wal_dir(backup_dir))
    for folder in folders:
        _private_dir(folder)
        give_to_system_user(folder)
    for folder in folders:  # after: giving one to the system user opens its parents to everyone
        folder.chmod(0o700)


def _private_dir(folder: Path) -> None:
    """Create `folder` and its missing parents 0700; an existing one is left as it is (in compose the
    backup volume's folders belong to the postgres user, and `wal/` to the server)."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for each in reversed(missing):
        each.mkdir(mode=0o700, exist_ok=True)
        each.chmod(0o700)  # whatever the umask


def archive_command(backup_dir: Path) -> str:
    """Copy a finished segment into wal/ (through a temporary name, synced), never over a different file:
    a segment already there with the same content counts as archived (after a restore the server may
    offer one again)."""
    target = shlex.quote(str(wal_dir(backup_dir))).replace("%", "%%") + "/%f"
    return f"test ! -f {target} && cp %p {target}.part && sync {target}.part && mv {target}.part {target} || cmp -s %p {target}"  # noqa: E501


def restore_command(backup_dir: Path) -> str:
    return f"cp {shlex.quote(str(wal_dir(backup_dir))).replace('%', '%%')}/%f %p"


def enable_archiving(server: EmbeddedServer, backup_dir: Path, timeout_s: int = ARCHIVE_TIMEOUT_S) -> bool:
    """Archive the running embedded server's WAL into `<backup_dir>/wal/` (kept in postgresql.auto.conf,
    so every later start archives too); restarts it once if archiving was off. True if anything changed."""
    make_dirs(backup_dir)
    return server.configure(
        {
            "wal_level": "replica",
            "archive_mode": "on",
            "archive_command": archive_command(backup_dir),
            "archive_timeout": str(timeout_s),
        }
    )


def list_backups(backup_dir: Path) -> list[BaseBackup]:
    """The complete base backups, newest first (one being written has no backup.json yet)."""
    folders = base_dir(backup_dir).glob(f"*/{INFO_FILE}") if base_dir(backup_dir).is_dir() else []
    return sorted((BaseBackup.read(f.parent) for f in folders), key=lambda b: b.ended_at, reverse=True)


def latest_archived(backup_dir: Path) -> datetime | None:
    """When the newest WAL file was archived: with the server down, the latest moment a restore is sure
    to reach (with it up, a restore archives the current WAL first, so: now)."""
    try:
        times = [f.stat().st_mtime for f in wal_dir(backup_dir).iterdir() if not f.name.endswith(".part")]
    except OSError:  # none yet, or not ours to read (compose: the server's)
        return None
    return datetime.fromtimestamp(max(times), UTC) if times else None


def create(url: str, backup_dir: Path, label: str = "hub backup") -> BaseBackup:
    """A base backup of the server at `url` (its role may replicate: the embedded server's owner does)
    into `base/<UTC timestamp>/`, written under a temporary name, verified, then renamed."""
    _private_dir(base_dir(backup_dir))
    started = datetime.now(UTC)
    name = started.strftime("%Y%m%dT%H%M%SZ")
    partial = base_dir(backup_dir) / f".{name}.partial"
    partial.mkdir(mode=0o700)
    try:
        _tool("pg_basebackup", "-d", _without_password(url), "-D", str(partial), "-Ft", "-z", "-X", "stream",
              "-c", "fast", "-l", label, password=make_url(url).password)  # fmt: skip
        _tool("pg_verifybackup", "-n", str(partial))  # the WAL inside is checked at restore
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    ranges = json.loads((partial / "backup_manifest").read_text(encoding="utf-8"))["WAL-Ranges"]
    info = BaseBackup(name, started, datetime.now(UTC), ranges[0]["Start-LSN"], ranges[-1]["End-LSN"],
                      ranges[-1]["Timeline"], sum(f.stat().st_size for f in partial.iterdir()), label)  # fmt: skip
    (partial / INFO_FILE).touch(mode=0o600)
    (partial / INFO_FILE).write_text(json.dumps(asdict(info), default=str, indent=2), encoding="utf-8")
    partial.rename(base_dir(backup_dir) / name)
    return info


def prune(backup_dir: Path, keep: int) -> list[BaseBackup]:
    """Delete all but the `keep` newest base backups, and the archived WAL only older ones need (through
    pg_archivecleanup, from the oldest kept backup's start segment); returns the backups deleted."""
    found = list_backups(backup_dir)
    if keep < 1 or len(found) <= keep:
        return []
    oldest_kept = found[keep - 1]
    start = f"START WAL LOCATION: {oldest_kept.start_lsn} "
    marker = next((f for f in wal_dir(backup_dir).glob("*.backup") if f.read_text().startswith(start)), None)
    if marker is None:
        raise BackupError(f"the archive has no history file of backup {oldest_kept.name}: nothing deleted")
    for gone in found[keep:]:
        shutil.rmtree(base_dir(backup_dir) / gone.name)
    _tool("pg_archivecleanup", str(wal_dir(backup_dir)), marker.name)
    return found[keep:]


def parse_moment(text: str, now: datetime | None = None) -> datetime:
    """'2026-12-07 14:05' (province time) or with an offset ('...+07:00', '...Z'); never in the future."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BackupError(f"not a moment: {text!r} (write it as 2026-12-07 14:05)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TIME)
    if moment > (now or datetime.now(UTC)) + timedelta(seconds=1):
        raise BackupError(f"{local(moment)} is in the future")
    return moment


def local(moment: datetime) -> str:
    return moment.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M:%S %z")


def _without_password(url: str) -> str:
    # the password goes in the environment: a command line is visible to every local user
    return make_url(url).set(password=None).render_as_string(hide_password=False)


def _tool(exe: str, *args: str, password: str | None = None) -> None:
    env = {**os.environ, "PGPASSWORD": password} if password else None
    done = subprocess.run([str(POSTGRES_BIN_PATH / exe), *args], env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)  # fmt: skip
    if done.returncode != 0:
        raise BackupError(f"{exe} failed: {(done.stderr or done.stdout).strip()[-1500:]}")
