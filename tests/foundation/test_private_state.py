"""The platform's state is its own: the home, the logs and the services' homes 0700 (the home 0711
when the embedded server runs as its own system user: it must pass through), files 0600."""

from __future__ import annotations

import os
from pathlib import Path

from foundation.settings import Settings
from hub import private
from hub.pipeline import Platform


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_state_folders_and_files_are_private_after_start_up(platform: Platform) -> None:
    settings = platform.settings
    pgdata = settings.home / "pgdata"
    expected_home = 0o711 if pgdata.stat().st_uid != os.geteuid() else 0o700
    assert _mode(settings.home) == expected_home
    assert _mode(pgdata) == 0o700  # the server's own handling (foundation/embedded.py)
    for each in (settings.log_dir, settings.airflow_home, settings.superset_home, settings.inbox):
        assert _mode(each) == 0o700, each
    assert _mode(settings.secrets_file) == 0o600
    assert _mode(settings.airflow_home / "passwords.json") == 0o600


def test_an_older_install_is_closed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    settings = Settings(HUB_HOME=home)  # type: ignore[call-arg]
    for each in (settings.log_dir, settings.airflow_home / "logs", settings.superset_home / "logs"):
        each.mkdir(parents=True, mode=0o755)
        (each / "service.log").write_text("a line naming someone\n")
        (each / "service.log").chmod(0o644)
    settings.secrets_file.write_text("{}")
    settings.secrets_file.chmod(0o644)
    home.chmod(0o755)
    private.secure_home(settings)
    assert _mode(home) == 0o700
    for each in (settings.log_dir, settings.airflow_home / "logs", settings.superset_home / "logs"):
        assert _mode(each) == 0o700
        assert _mode(each / "service.log") == 0o600
    assert _mode(settings.secrets_file) == 0o600


def test_a_service_log_is_created_private(tmp_path: Path) -> None:
    old = os.umask(0o022)  # a permissive umask: the file is 0600 all the same
    try:
        with private.log_file(tmp_path / "new.log") as handle:
            handle.write(b"x")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "new.log") == 0o600
