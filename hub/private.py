"""The platform's state is its own: folders 0700, files 0600, whatever the umask.

The home (`.hub/`) holds the secrets file, the embedded server's data, logs that name people and
the source systems' files; Airflow's and Superset's homes hold their logs and markers. `secure_home`
sets them at start-up (an older install's too); `folder` and `log_file` create them so.

One exception: when the embedded server runs as its own system user (we are root), that user must
still pass through the home to its data directory, which it owns (0700, foundation/embedded.py).
The home is then 0711: others may traverse it, not list or read it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from foundation.settings import Settings

FOLDER_MODE = 0o700
FILE_MODE = 0o600
TRAVERSABLE_HOME = 0o711


def folder(path: Path) -> Path:
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    path.chmod(FOLDER_MODE)
    return path


@contextmanager
def log_file(path: Path) -> Iterator[BinaryIO]:
    """Open for appending, created 0600 (an existing one made 0600 too)."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    with os.fdopen(fd, "ab") as handle:
        yield handle


def secure_home(settings: Settings) -> list[Path]:
    """The home and the state folders in it 0700 (the home 0711 when another user runs the embedded
    server), the files directly in the log folders 0600; returns the folders set."""
    home = settings.home
    home.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    pgdata = home / "pgdata"
    shared = pgdata.exists() and pgdata.stat().st_uid != os.geteuid()
    home.chmod(TRAVERSABLE_HOME if shared else FOLDER_MODE)
    folders = [settings.log_dir, settings.airflow_home, settings.superset_home, settings.inbox, home / "simulators"]
    for each in folders:
        folder(each)
    for logs in (settings.log_dir, settings.airflow_home / "logs", settings.superset_home / "logs"):
        if logs.is_dir():
            logs.chmod(FOLDER_MODE)
            for entry in logs.iterdir():
                if entry.is_file() and not entry.is_symlink():
                    entry.chmod(FILE_MODE)
    if settings.secrets_file.exists():
        settings.secrets_file.chmod(FILE_MODE)
    return [home, *folders]
