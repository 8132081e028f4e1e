"""Superset for the hub: environment, one-time metadata set-up, dashboards as code, serving.

Superset runs from its own venv (`superset_server/.venv`, see its README); this
module only starts processes there, so it imports nothing from Superset. The set-up
itself (metadata DB, admin user, dashboard import) is `superset_server/hub_superset_init.py`,
run with that venv's Python: the same script the production `superset-init` service runs.

Order for `up`: `env = superset_env(...)`, `init_metadata(env, password)`,
`import_dashboards(env, warehouse_url)`, `apply_access(env, secrets)`, `proc = serve(env, host, port)`,
`wait_healthy(url, process=proc)`; at shutdown `stop(proc)`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import psycopg
from sqlalchemy.engine import make_url

from foundation.databases import Databases, with_driver
from hub import private, processes, runtime_env

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[1]
SERVER_DIR = REPO_ROOT / "superset_server"
VENV_BIN = SERVER_DIR / ".venv" / "bin"
CONFIG_PATH = SERVER_DIR / "superset_config.py"
DASHBOARDS_DIR = REPO_ROOT / "dashboards"

ADMIN_USERNAME = "admin"
ADMIN_EMAIL = "admin@localhost"
MARKER_NAME = "metadata-initialised.json"
LOG_DIR_NAME = "logs"
INIT_SCRIPT = SERVER_DIR / "hub_superset_init.py"

# The leaders' and stewards' logins (superset_server/hub_superset_roles.py): username, roles,
# the variable the init script reads its password from, the local secret that holds it.
USER_LOGINS = (
    ("lanhdao", "Lãnh đạo", "SUPERSET_LEADER_PASSWORD", "superset_leader_password"),
    ("quanlydulieu", "Quản lý dữ liệu", "SUPERSET_STEWARD_PASSWORD", "superset_steward_password"),
    ("lanhdao_tuphap", "Lãnh đạo + Lãnh đạo Sở Tư pháp", "SUPERSET_JUSTICE_LEADER_PASSWORD",
     "superset_justice_leader_password"),
)  # fmt: skip


class SupersetError(RuntimeError):
    """A Superset command failed; the message carries the tail of its output."""


@dataclass(frozen=True)
class DashboardImport:
    """What `import_dashboards` did: `status` is "imported", or "skipped" when the same
    bundles were already imported into this metadata DB for this warehouse URI."""

    status: str
    bundles: tuple[str, ...]
    seconds: float

    @property
    def imported(self) -> bool:
        return self.status == "imported"


def superset_env(databases: Databases, secrets: dict[str, str], home: Path) -> dict[str, str]:
    """Environment for every Superset subprocess (CLI and gunicorn)."""
    private.folder(home)
    env = runtime_env.inherited()  # an allow-list: no other service's secret reaches Superset
    env.update(
        SUPERSET_CONFIG_PATH=str(CONFIG_PATH),
        SUPERSET_SECRET_KEY=secrets["superset_secret_key"],
        SUPERSET_DB_URL=with_driver(databases.superset, "psycopg2"),
        SUPERSET_HOME=str(home),
        FLASK_APP="superset.app:create_app()",
        VIRTUAL_ENV=str(VENV_BIN.parent),
        PATH=os.pathsep.join([str(VENV_BIN), env.get("PATH", os.defpath)]),
        PYTHONUNBUFFERED="1",
        PYTHONIOENCODING="utf-8",
        LANG=env.get("LANG") or "C.UTF-8",
    )
    return env


def superset_version() -> str:
    """The installed apache-superset version, read from the venv without starting Python."""
    found = sorted(SERVER_DIR.glob(".venv/lib/python*/site-packages/apache_superset-*.dist-info"))
    if not found:
        raise SupersetError(f"apache-superset is not installed in {VENV_BIN.parent}")
    return found[-1].name.removeprefix("apache_superset-").removesuffix(".dist-info")


def init_metadata(env: dict[str, str], admin_password: str) -> bool:
    """Migrate Superset's metadata DB, sync roles and permissions, ensure the admin user.

    Skipped (well under a second) when the marker under SUPERSET_HOME records the
    same Superset version, metadata DB and admin password and the DB still has the
    admin user. Returns True when the set-up actually ran.
    """
    marker = Path(env["SUPERSET_HOME"]) / MARKER_NAME
    wanted = _marker_content(env, admin_password)
    if _already_initialised(marker, wanted, env["SUPERSET_DB_URL"]):
        log.info("Superset metadata already initialised for %s", wanted["superset_version"])
        return False
    started = time.monotonic()
    marker.unlink(missing_ok=True)
    # db upgrade, init (roles), then the admin user; the script takes the password out of
    # its environment before starting anything, so it never shows in a process list
    admin_env = env | {
        "SUPERSET_ADMIN_USERNAME": ADMIN_USERNAME,
        "SUPERSET_ADMIN_PASSWORD": admin_password,
        "SUPERSET_ADMIN_EMAIL": ADMIN_EMAIL,
    }
    _run(admin_env, "python", str(INIT_SCRIPT), "metadata", label="superset metadata")
    marker.write_text(json.dumps(wanted, indent=2) + "\n")
    log.info("Superset metadata initialised in %.0f s", time.monotonic() - started)
    return True


def import_dashboards(env: dict[str, str], warehouse_url: str, bundles_dir: Path = DASHBOARDS_DIR) -> DashboardImport:
    """Import every bundle folder under `bundles_dir`, unless this very set is already imported.

    `hub_superset_init.py dashboards` merges the bundles into one temporary tree, writes
    the warehouse URI (with its password) into the temporary copies of `databases/*.yaml`
    only, runs `superset import-directory --overwrite` and checks that every uuid arrived.
    It skips all that (a marker under SUPERSET_HOME holds a hash of the merged files and an
    HMAC of the URI) when nothing changed and the objects are still in the metadata DB.
    """
    run_env = env | {"WAREHOUSE_URL": with_driver(warehouse_url, "psycopg2")}
    try:
        output = _run(run_env, "python", str(INIT_SCRIPT), "dashboards", "--bundles", str(bundles_dir), "--json",
                      label="dashboard import")  # fmt: skip
    except SupersetError as error:
        raise SupersetError(_mask(str(error), warehouse_url)) from None
    result = json.loads(output.strip().splitlines()[-1])
    done = DashboardImport(result["status"], tuple(result["bundles"]), result["seconds"])
    log.info("dashboard bundles %s: %s (%.1f s)", done.status, ", ".join(done.bundles), done.seconds)
    return done


def apply_access(env: dict[str, str], secrets: dict[str, str]) -> tuple[bool, str]:
    """The leaders' and stewards' roles, their users, row-level security and the dashboards'
    roles (`hub_superset_init.py access`); after the dashboard import, which may add dashboards.

    The script skips the work (without starting Superset) when neither the declarations, the
    passwords nor what the metadata DB holds changed. Returns (applied, a one-line summary).
    """
    run_env = env | {variable: secrets[secret] for _, _, variable, secret in USER_LOGINS}
    output = _run(run_env, "python", str(INIT_SCRIPT), "access", "--json", label="superset access")
    for line in output.strip().splitlines()[:-1]:
        log.info("superset access: %s", line)
    result = json.loads(output.strip().splitlines()[-1])
    return result["status"] == "applied", result["summary"]


def serve(env: dict[str, str], host: str = "127.0.0.1", port: int = 8088) -> subprocess.Popen[bytes]:
    """Start gunicorn (1 gthread worker) in its own process group; logs under SUPERSET_HOME."""
    log_dir = private.folder(Path(env["SUPERSET_HOME"]) / LOG_DIR_NAME)
    log_file = log_dir / "gunicorn.log"
    command = [
        str(VENV_BIN / "gunicorn"),
        "--bind", f"{host}:{port}",
        "--workers", "1",
        "--worker-class", "gthread",
        "--threads", "4",
        "--timeout", "120",
        "--graceful-timeout", "10",
        "--limit-request-line", "0",
        "--limit-request-field_size", "0",
        "--access-logfile", "-",
        "--no-control-socket",  # else every instance shares ~/.gunicorn/gunicorn.ctl
        "superset.app:create_app()",
    ]  # fmt: skip
    with private.log_file(log_file) as sink:
        process = subprocess.Popen(
            command,
            env=env,
            umask=0o077,
            cwd=env["SUPERSET_HOME"],
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    log.info("Superset starting on http://%s:%s (pid %s, log %s)", host, port, process.pid, log_file)
    return process


def wait_healthy(base_url: str, timeout_s: float = 120, process: subprocess.Popen[bytes] | None = None) -> float:
    """Poll `<base_url>/health` until it answers "OK"; returns the seconds waited."""

    def answers_ok() -> bool:
        response = httpx.get(f"{base_url.rstrip('/')}/health", timeout=5)
        return response.status_code == 200 and response.text.strip() == "OK"

    try:
        waited = processes.wait_until_healthy(answers_ok, f"Superset at {base_url}", timeout_s, process)
    except processes.NotHealthy as error:
        raise SupersetError(str(error)) from error
    log.info("Superset healthy at %s after %.1f s", base_url, waited)
    return waited


def stop(process: subprocess.Popen[bytes], timeout_s: float = 20) -> None:
    """Stop gunicorn and its workers."""
    processes.stop_group(process, timeout_s)


def _run(env: dict[str, str], *args: str, label: str | None = None) -> str:
    """Run a program of the Superset venv; returns its output, raises on a non-zero exit."""
    label = label or " ".join(args[:3])
    started = time.monotonic()
    result = subprocess.run(
        [str(VENV_BIN / args[0]), *args[1:]],
        env=env,
        cwd=env["SUPERSET_HOME"],
        stdin=subprocess.DEVNULL,
        umask=0o077,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=True,
    )
    log.info("%s: exit %s in %.1f s", label, result.returncode, time.monotonic() - started)
    if result.returncode != 0:
        raise SupersetError(f"{label} failed with exit {result.returncode}:\n{result.stdout[-4000:]}")
    return result.stdout


def _marker_content(env: dict[str, str], admin_password: str) -> dict[str, str]:
    url = make_url(env["SUPERSET_DB_URL"])
    # keyed with the secret key, so the marker does not reveal the password
    password_tag = hmac.new(env["SUPERSET_SECRET_KEY"].encode(), admin_password.encode(), hashlib.sha256).hexdigest()[
        :16
    ]
    return {
        "superset_version": superset_version(),
        "metadata_db": f"{url.host}:{url.port}/{url.database}",
        "admin_username": ADMIN_USERNAME,
        "admin_password_tag": password_tag,
    }


def _already_initialised(marker: Path, wanted: dict[str, str], metadata_url: str) -> bool:
    if not marker.is_file():
        return False
    try:
        if json.loads(marker.read_text()) != wanted:
            return False
    except ValueError:
        return False
    # the marker may outlive its database (a new metadata DB, a wiped data dir)
    try:
        with psycopg.connect(_plain_url(metadata_url), connect_timeout=5) as conn:
            row = conn.execute("select 1 from ab_user where username = %s and active", (ADMIN_USERNAME,)).fetchone()
    except psycopg.Error as error:
        log.info("Superset metadata DB not ready (%s); initialising", error.__class__.__name__)
        return False
    return row is not None


def _plain_url(sqlalchemy_url: str) -> str:
    """`postgresql+psycopg2://...` → `postgresql://...` for psycopg."""
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)


def _mask(text: str, url: str) -> str:
    password = make_url(url).password
    if not password:
        return text
    for form in {password, quote(password, safe="")}:
        text = text.replace(form, "***")
    return text
