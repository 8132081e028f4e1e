"""Superset for the hub: environment, one-time metadata set-up, dashboards as code, serving.

Superset runs from its own venv (`superset_server/.venv`, see its README); this
module only starts processes there, so it imports nothing from Superset.

Order for `up`: `env = superset_env(...)`, `init_metadata(env, password)`,
`import_dashboards(env, warehouse_url)`, `proc = serve(env, host, port)`,
`wait_healthy(url, process=proc)`; at shutdown `stop(proc)`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import psycopg
import yaml
from sqlalchemy.engine import make_url

from foundation.databases import Databases, with_driver
from hub import processes

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[1]
SERVER_DIR = REPO_ROOT / "superset_server"
VENV_BIN = SERVER_DIR / ".venv" / "bin"
CONFIG_PATH = SERVER_DIR / "superset_config.py"
DASHBOARDS_DIR = REPO_ROOT / "dashboards"

ADMIN_USERNAME = "admin"
MARKER_NAME = "metadata-initialised.json"
LOG_DIR_NAME = "logs"

# Creates or updates the admin user in one process. The password comes from the
# environment so that it never shows in a process list (`fab create-admin` and
# `fab reset-password` would take it as an argument or from a terminal prompt).
_UPSERT_ADMIN = """
import os
from werkzeug.security import check_password_hash
from superset.app import create_app

username = os.environ["HUB_SUPERSET_ADMIN_USERNAME"]
password = os.environ.pop("HUB_SUPERSET_ADMIN_PASSWORD")
app = create_app()
with app.app_context():
    sm = app.appbuilder.sm
    user = sm.find_user(username=username)
    if user is None:
        role = sm.find_role(sm.auth_role_admin)
        if not sm.add_user(username, "Quản trị", "viên", "admin@localhost", role, password):
            raise SystemExit("could not create the Superset admin user")
        print("admin user created")
    elif not check_password_hash(user.password, password):
        sm.reset_password(user.id, password)
        print("admin password reset")
    else:
        print("admin user up to date")
"""


class SupersetError(RuntimeError):
    """A Superset command failed; the message carries the tail of its output."""


def superset_env(databases: Databases, secrets: dict[str, str], home: Path) -> dict[str, str]:
    """Environment for every Superset subprocess (CLI and gunicorn)."""
    home.mkdir(parents=True, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "FLASK_APP"}
    }
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
    _run(env, "superset", "db", "upgrade")
    _run(env, "superset", "init")  # creates the roles, so it comes before the admin user
    admin_env = env | {
        "HUB_SUPERSET_ADMIN_PASSWORD": admin_password,
        "HUB_SUPERSET_ADMIN_USERNAME": ADMIN_USERNAME,
    }
    _run(admin_env, "python", "-c", _UPSERT_ADMIN, label="admin user")
    marker.write_text(json.dumps(wanted, indent=2) + "\n")
    log.info("Superset metadata initialised in %.0f s", time.monotonic() - started)
    return True


def import_dashboards(env: dict[str, str], warehouse_url: str, bundles_dir: Path = DASHBOARDS_DIR) -> list[str]:
    """Import every bundle folder under `bundles_dir`, overwriting earlier imports.

    Bundles are merged into one temporary tree, the warehouse URI (with its
    password) is written into the temporary copies of `databases/*.yaml` only,
    and the tree goes through `superset import-directory --overwrite`, which
    replaces databases, datasets, charts and dashboards with the same uuids.
    Returns the names of the bundles imported.
    """
    bundles = sorted(p for p in bundles_dir.iterdir() if (p / "metadata.yaml").is_file())
    if not bundles:
        log.warning("no dashboard bundles under %s", bundles_dir)
        return []
    uri = with_driver(warehouse_url, "psycopg2")
    with tempfile.TemporaryDirectory(prefix="superset-import-") as tmp:  # mode 0700
        merged = Path(tmp)
        for bundle in bundles:
            _merge_bundle(bundle, merged)
        for database_yaml in sorted((merged / "databases").glob("*.yaml")):
            config = yaml.safe_load(database_yaml.read_text(encoding="utf-8"))
            config["sqlalchemy_uri"] = uri
            database_yaml.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        expected = _bundle_uuids(merged)
        try:
            output = _run(env, "superset", "import-directory", "--overwrite", str(merged))
        except SupersetError as error:
            raise SupersetError(_mask(str(error), warehouse_url)) from None
    # import-directory logs invalid files and skips charts or dashboards whose
    # references do not resolve, yet exits 0: check that everything arrived
    missing = _missing_in_metadata(env["SUPERSET_DB_URL"], expected)
    if missing or "An error occurred" in output:
        raise SupersetError(f"dashboard import incomplete, missing {missing}:\n{_mask(output[-4000:], warehouse_url)}")
    names = [bundle.name for bundle in bundles]
    log.info("imported dashboard bundles: %s", ", ".join(names))
    return names


def serve(env: dict[str, str], host: str = "127.0.0.1", port: int = 8088) -> subprocess.Popen[bytes]:
    """Start gunicorn (1 gthread worker) in its own process group; logs under SUPERSET_HOME."""
    log_dir = Path(env["SUPERSET_HOME"]) / LOG_DIR_NAME
    log_dir.mkdir(parents=True, exist_ok=True)
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
    with log_file.open("ab") as sink:
        process = subprocess.Popen(
            command,
            env=env,
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


def _merge_bundle(bundle: Path, target: Path) -> None:
    """Copy a bundle's YAML files into `target`; a file two bundles share must be identical."""
    for source in sorted(bundle.rglob("*.yaml")):
        relative = source.relative_to(bundle)
        destination = target / relative
        if destination.exists():
            if relative.as_posix() == "metadata.yaml" or relative.parts[0] == "databases":
                continue
            if destination.read_bytes() != source.read_bytes():
                raise SupersetError(f"{relative} differs between dashboard bundles ({bundle.name})")
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)


_UUID_TABLES = {"databases": "dbs", "datasets": "tables", "charts": "slices", "dashboards": "dashboards"}


def _bundle_uuids(root: Path) -> dict[str, set[str]]:
    """uuids per metadata table of the objects in a merged bundle tree."""
    found: dict[str, set[str]] = {table: set() for table in _UUID_TABLES.values()}
    for folder, table in _UUID_TABLES.items():
        for path in (root / folder).rglob("*.yaml"):
            found[table].add(str(yaml.safe_load(path.read_text(encoding="utf-8"))["uuid"]))
    return found


def _missing_in_metadata(metadata_url: str, expected: dict[str, set[str]]) -> dict[str, list[str]]:
    missing: dict[str, list[str]] = {}
    with psycopg.connect(_plain_url(metadata_url), connect_timeout=10) as conn:
        for table, uuids in expected.items():
            rows = conn.execute(
                f"select uuid::text from {table} where uuid::text = any(%s)",  # table from _UUID_TABLES
                (sorted(uuids),),
            ).fetchall()
            absent = uuids - {uuid for (uuid,) in rows}
            if absent:
                missing[table] = sorted(absent)
    return missing


def _plain_url(sqlalchemy_url: str) -> str:
    """`postgresql+psycopg2://...` → `postgresql://...` for psycopg."""
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)


def _mask(text: str, url: str) -> str:
    password = make_url(url).password
    return text.replace(password, "***") if password else text
