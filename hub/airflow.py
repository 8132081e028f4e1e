"""Airflow as the platform runs it locally: metadata DB, in-process DAG runs, the services."""

from __future__ import annotations

import contextlib
import json
import logging
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from hub import console, private

log = logging.getLogger(__name__)

AIRFLOW = str(Path(sys.executable).with_name("airflow"))
API_SERVER = 0  # index in SERVICES: the process whose health `hub up` polls
# The log server binds every interface and cannot be told otherwise; local runs
# read task logs from disk, so the scheduler and triggerer skip it.
SERVICES = (
    ("api-server",),
    ("scheduler", "--skip-serve-logs"),
    ("dag-processor",),
    ("triggerer", "--skip-serve-logs"),
)


def run(env: dict[str, str], *args: str) -> None:
    """An Airflow command; its output goes to the hub's log file (the console shows one line per stage)."""
    log.info("airflow %s", " ".join(args))
    target = console.log_file()  # None outside the CLI (tests): the output is inherited
    with target.open("ab") if target else contextlib.nullcontext() as sink:
        result = subprocess.run([AIRFLOW, *args], env=env, stdin=subprocess.DEVNULL, stdout=sink, umask=0o077,
                                stderr=subprocess.STDOUT if sink else None)  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"airflow {' '.join(args)} failed with exit {result.returncode} (log: {target})")


def prepare(env: dict[str, str], admin_password: str) -> bool:
    """Write the admin's password for the simple auth manager; migrate the metadata DB once per version.

    Returns True when it migrated."""
    home = private.folder(Path(env["AIRFLOW_HOME"]))
    passwords = Path(env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"])
    passwords.write_text(json.dumps({"admin": admin_password}))
    passwords.chmod(0o600)
    marker = home / f".migrated-{version('apache-airflow')}"
    if marker.exists() and marker.read_text() == env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]:
        return False
    run(env, "db", "migrate")
    marker.write_text(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
    marker.chmod(0o600)
    return True


def test_dag(env: dict[str, str], dag_id: str) -> None:
    """Run one DAG in-process (no scheduler), failing if any task fails."""
    run(env, "dags", "test", dag_id)


def start_services(env: dict[str, str], log_dir: Path) -> list[subprocess.Popen[bytes]]:
    """Each service in its own process group; what they write is theirs only (umask 077)."""
    private.folder(log_dir)
    processes = []
    for command in SERVICES:
        with private.log_file(log_dir / f"airflow-{command[0]}.log") as logfile:
            processes.append(
                subprocess.Popen(
                    [AIRFLOW, *command], env=env, stdout=logfile, stderr=subprocess.STDOUT, umask=0o077,
                    stdin=subprocess.DEVNULL, start_new_session=True,
                )
            )  # fmt: skip
    return processes
