"""Superset set-up for the hub: the one copy that local runs and the compose deployment share.

Runs with Superset's own Python and calls the `superset` command beside it: locally
`hub/superset.py` starts it with `superset_server/.venv/bin/python` (`hub up`, the tests);
in production the `superset-init` compose service runs it from the image built by
deploy/superset.Dockerfile, whose Superset lives in /app/.venv. It imports only the standard
library, PyYAML and psycopg2 (and Superset itself, to create the admin user).

    metadata     migrate the metadata DB, sync roles and permissions, create or update the admin
    dashboards   import the dashboard bundles, unless this very set is already imported
    access       the leaders' and stewards' roles, users, row-level security and dashboards
                 (hub_superset_roles.py), unless nothing changed since the last run
    all          metadata, dashboards, then access: the superset-init service
    check        touch no database: find the bundles and merge them, load the configuration,
                 import psycopg2, find the `superset` command (tests/deploy/test_images.py)

Environment: SUPERSET_CONFIG_PATH, SUPERSET_SECRET_KEY and SUPERSET_DB_URL (what
superset_config.py reads) and SUPERSET_HOME (where the import marker is kept); for
`metadata` SUPERSET_ADMIN_USERNAME, SUPERSET_ADMIN_PASSWORD and SUPERSET_ADMIN_EMAIL; for
`dashboards` WAREHOUSE_URL, the account the dashboards query the warehouse with; for `access`
the users' passwords, SUPERSET_LEADER_PASSWORD, SUPERSET_STEWARD_PASSWORD and
SUPERSET_JUSTICE_LEADER_PASSWORD (a user whose variable is unset is skipped). Every password
is taken out of the environment before any subprocess starts, and masked in everything
printed. Safe to re-run.

Dashboards: every folder under --bundles that holds a metadata.yaml is one bundle. The
bundles are merged into one temporary tree (a file two bundles share must be identical,
except metadata.yaml and databases/), the warehouse URI goes into the temporary copies of
databases/*.yaml only, and the tree goes through `superset import-directory --overwrite`,
which replaces the objects with the same uuids. import-directory exits 0 even when it left
an object out, so every uuid of the tree is then looked up in the metadata DB. The marker
<SUPERSET_HOME>/dashboards-imported.json records the SHA-256 of the merged files, an HMAC of
the warehouse URI keyed with the secret key (the URI's password is never written down), the
metadata DB and the Superset version: when all of them match and every uuid is present in
the metadata DB, the import (some 17 s) is skipped. --force imports regardless.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from importlib import metadata as importlib_metadata
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import yaml

DEFAULT_BUNDLES = Path(__file__).resolve().parent.parent / "dashboards"
MARKER_NAME = "dashboards-imported.json"
ACCESS_MARKER_NAME = "access-applied.json"
DEFAULT_ADMIN_EMAIL = "admin@localhost"
# the folders of a bundle whose objects carry a uuid, and the metadata table each lands in
UUID_TABLES = {"databases": "dbs", "datasets": "tables", "charts": "slices", "dashboards": "dashboards"}

_secrets: list[str] = []


class SetupError(RuntimeError):
    """A step failed; the message says which."""


def keep_secret(value: str | None) -> None:
    """Mask `value` (and its URL-encoded forms) in everything this script prints."""
    if value:
        _secrets.extend({value, unquote(value), quote(value, safe="")} - {""})


def mask(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def say(message: str) -> None:
    print(mask(message), flush=True)


def superset(*args: str) -> str:
    """Run the `superset` command of this interpreter's venv; print and return its output."""
    command = [str(Path(sys.executable).with_name("superset")), *args]
    started = time.monotonic()
    result = subprocess.run(
        command,
        check=False,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    output = mask(result.stdout)
    if output:
        print(output, end="" if output.endswith("\n") else "\n", flush=True)
    say(f"superset {' '.join(args[:1])}: exit {result.returncode} in {time.monotonic() - started:.1f} s")
    if result.returncode != 0:
        raise SetupError(f"superset {args[0]} failed with exit {result.returncode}")
    return output


# --- metadata ------------------------------------------------------------------------------


@functools.cache
def superset_app() -> Any:
    """Superset's Flask app, created once per run (some seconds)."""
    from superset.app import create_app

    return create_app()


def upsert_admin(username: str, password: str, email: str) -> None:
    """Create the admin user, or reset its password when it changed.

    In-process, so the password never shows in a process list (`fab create-admin` takes it
    as an argument), and a changed password is applied on the next run.
    """
    from werkzeug.security import check_password_hash

    app = superset_app()
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.find_user(username=username)
        if user is None:
            role = sm.find_role(sm.auth_role_admin)
            if not sm.add_user(username, "Quản trị", "viên", email, role, password):
                raise SetupError("could not create the Superset admin user")
            say(f"admin user {username} created")
        elif not check_password_hash(user.password, password):
            sm.reset_password(user.id, password)
            say(f"admin user {username}: password reset")
        else:
            say(f"admin user {username} up to date")


def init_metadata(username: str, password: str, email: str) -> None:
    superset("db", "upgrade")
    superset("init")  # creates the roles, so it comes before the admin user
    upsert_admin(username, password, email)


# --- dashboards ----------------------------------------------------------------------------


def find_bundles(bundles_dir: Path) -> list[Path]:
    if not bundles_dir.is_dir():
        raise SetupError(f"no dashboard folder at {bundles_dir}")
    bundles = sorted(p for p in bundles_dir.iterdir() if (p / "metadata.yaml").is_file())
    if not bundles:
        raise SetupError(f"no dashboard bundles (folders with a metadata.yaml) under {bundles_dir}")
    return bundles


def merge_bundles(bundles: list[Path], target: Path) -> None:
    """Copy the bundles' YAML files into one tree; a file two bundles share must be identical."""
    for bundle in bundles:
        for source in sorted(bundle.rglob("*.yaml")):
            relative = source.relative_to(bundle)
            destination = target / relative
            if destination.exists():
                shared = relative.as_posix() == "metadata.yaml" or relative.parts[0] == "databases"
                if not shared and destination.read_bytes() != source.read_bytes():
                    raise SetupError(f"{relative} differs between dashboard bundles ({bundle.name})")
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)


def tree_digest(root: Path) -> str:
    """SHA-256 over the relative paths and contents of every file under `root`."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def write_warehouse_uri(root: Path, uri: str) -> None:
    for database_yaml in sorted((root / "databases").glob("*.yaml")):
        config = yaml.safe_load(database_yaml.read_text(encoding="utf-8"))
        config["sqlalchemy_uri"] = uri
        database_yaml.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def bundle_uuids(root: Path) -> dict[str, set[str]]:
    """uuids of the merged tree's objects, per metadata table."""
    found: dict[str, set[str]] = {table: set() for table in UUID_TABLES.values()}
    for folder, table in UUID_TABLES.items():
        for path in (root / folder).rglob("*.yaml"):
            found[table].add(str(yaml.safe_load(path.read_text(encoding="utf-8"))["uuid"]))
    return found


def missing_in_metadata(metadata_url: str, expected: dict[str, set[str]]) -> dict[str, list[str]]:
    """The expected uuids that the metadata DB does not hold, per table."""
    import psycopg2

    missing: dict[str, list[str]] = {}
    connection = psycopg2.connect(plain_url(metadata_url), connect_timeout=10)
    try:
        with connection.cursor() as cursor:
            for table, uuids in expected.items():
                if not uuids:
                    continue
                # the table name comes from UUID_TABLES, never from input
                cursor.execute(f"select uuid::text from {table} where uuid::text = any(%s)", (sorted(uuids),))
                absent = uuids - {uuid for (uuid,) in cursor.fetchall()}
                if absent:
                    missing[table] = sorted(absent)
    finally:
        connection.close()
    return missing


def plain_url(sqlalchemy_url: str) -> str:
    """`postgresql+psycopg2://...` → `postgresql://...`, for libpq."""
    return re.sub(r"^postgresql(\+\w+)?://", "postgresql://", sqlalchemy_url)


def psycopg2_url(url: str) -> str:
    """Any PostgreSQL URL → `postgresql+psycopg2://...`: Superset's environment has psycopg2 only."""
    return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg2://", url)


def database_id(url: str) -> str:
    """host:port/database of a URL, without its credentials."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 5432}{parts.path}"


def superset_version() -> str:
    try:
        return importlib_metadata.version("apache-superset")
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


def read_marker(marker: Path) -> dict[str, Any] | None:
    try:
        return json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_marker(marker: Path, content: dict[str, Any]) -> None:
    """Best effort: without a marker the next run imports again, which is only slower."""
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        partial = marker.with_name(marker.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(content, handle, indent=2)
            handle.write("\n")
        os.replace(partial, marker)
    except OSError as error:
        say(f"warning: could not write {marker} ({error}); the next run imports again")


def import_dashboards(
    bundles_dir: Path, warehouse_url: str, *, home: Path, metadata_url: str, secret_key: str, force: bool = False
) -> dict[str, Any]:
    """Import the bundles unless the marker says this set is imported and its uuids are there.

    Returns {"status": "imported" | "skipped", "bundles": [names], "seconds": float}.
    """
    started = time.monotonic()
    bundles = find_bundles(bundles_dir)
    names = [bundle.name for bundle in bundles]
    uri = psycopg2_url(warehouse_url)
    keep_secret(urlsplit(uri).password)
    marker = home / MARKER_NAME
    with tempfile.TemporaryDirectory(prefix="superset-import-") as tmp:  # 0700: the copies get the password
        merged = Path(tmp)
        merge_bundles(bundles, merged)
        wanted = {
            "bundles": names,
            "bundles_sha256": tree_digest(merged),
            "warehouse_uri_hmac": hmac.new(secret_key.encode(), uri.encode(), hashlib.sha256).hexdigest(),
            "metadata_db": database_id(metadata_url),
            "superset_version": superset_version(),
        }
        expected = bundle_uuids(merged)
        if not force and read_marker(marker) == wanted:
            try:
                missing = missing_in_metadata(metadata_url, expected)
            except Exception as error:  # a metadata DB newer than the marker may lack the tables
                missing = {"?": [f"{type(error).__name__}: {error}".strip()]}
            if not missing:
                return {"status": "skipped", "bundles": names, "seconds": round(time.monotonic() - started, 2)}
            say(f"bundles unchanged but not all in the metadata DB ({missing}): importing")
        marker.unlink(missing_ok=True)
        write_warehouse_uri(merged, uri)
        output = superset("import-directory", "--overwrite", str(merged))
    missing = missing_in_metadata(metadata_url, expected)
    if missing or "An error occurred" in output:
        raise SetupError(f"dashboard import incomplete, missing {missing}; see the output above")
    write_marker(marker, wanted)
    return {"status": "imported", "bundles": names, "seconds": round(time.monotonic() - started, 2)}


# --- access: roles, users, row-level security, dashboards' roles -----------------------------


def roles_spec() -> ModuleType:
    """hub_superset_roles.py, beside this script (also when it is loaded by file path)."""
    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    import hub_superset_roles

    return hub_superset_roles


def access_state(metadata_url: str) -> str:
    """A digest of the roles, users, rules and dashboards' roles as the metadata DB holds them."""
    import psycopg2

    spec = roles_spec()

    connection = psycopg2.connect(plain_url(metadata_url), connect_timeout=10)
    try:
        with connection.cursor() as cursor:
            cursor.execute(spec.STATE_SQL, spec.state_parameters())
            (digest,) = cursor.fetchone()
    finally:
        connection.close()
    return str(digest)


def apply_access(*, home: Path, metadata_url: str, secret_key: str, passwords: dict[str, str]) -> dict[str, str]:
    """Apply hub_superset_roles.py unless neither it, the passwords nor the state changed.

    Returns {"status": "applied" | "skipped", "summary": one line}.
    """
    spec = roles_spec()
    marker = home / ACCESS_MARKER_NAME
    source = Path(spec.__file__).read_bytes()
    wanted: dict[str, Any] = {
        "spec_sha256": hashlib.sha256(source).hexdigest(),
        # keyed with the secret key, so the marker does not reveal the passwords
        "passwords_hmac": hmac.new(
            secret_key.encode(), json.dumps(passwords, sort_keys=True).encode(), "sha256"
        ).hexdigest(),
        "metadata_db": database_id(metadata_url),
        "superset_version": superset_version(),
    }
    try:
        state = access_state(metadata_url)
    except Exception as error:  # an older metadata DB may lack a table: then apply
        state = f"unknown ({type(error).__name__})"
    found = read_marker(marker) or {}
    if {key: found.get(key) for key in [*wanted, "state"]} == {**wanted, "state": state}:
        say(f"roles, users and row-level security unchanged: skipped ({found.get('summary')})")
        return {"status": "skipped", "summary": str(found.get("summary"))}
    marker.unlink(missing_ok=True)
    app = superset_app()
    with app.app_context():
        from superset.extensions import db

        summary = spec.apply(app.appbuilder.sm, db.session, passwords, say)
    write_marker(marker, {**wanted, "state": access_state(metadata_url), "summary": summary})
    return {"status": "applied", "summary": summary}


def check(bundles_dir: Path) -> None:
    """What `all` needs, short of a database: for an image that has not met its database yet."""
    bundles = find_bundles(bundles_dir)
    with tempfile.TemporaryDirectory(prefix="superset-check-") as tmp:
        merge_bundles(bundles, Path(tmp))
        counts = {table: len(uuids) for table, uuids in bundle_uuids(Path(tmp)).items()}
    command = Path(sys.executable).with_name("superset")
    if not command.is_file():
        raise SetupError(f"no superset command at {command}")
    roles_spec()  # the access step's declarations, beside this script
    import psycopg2  # noqa: F401  (the driver of the metadata DB and of the warehouse)
    from superset import config  # loads SUPERSET_CONFIG_PATH, which reads the environment

    if not config.SQLALCHEMY_DATABASE_URI.startswith("postgresql+psycopg2://"):
        raise SetupError("the configuration's metadata DB is not PostgreSQL")
    say(f"ok: bundles {', '.join(b.name for b in bundles)} {counts}, superset {superset_version()} at {command}")


# --- command line --------------------------------------------------------------------------


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise SetupError(f"{name} is not set")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hub_superset_init.py",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog="Environment and behaviour: see the docstring at the top of this file.",
    )
    steps = parser.add_subparsers(dest="step", required=True, metavar="STEP")
    steps.add_parser("metadata", help="migrate the metadata DB, sync roles, create or update the admin user")
    step = steps.add_parser("access", help="the leaders' and stewards' roles, users, row-level security, dashboards")
    step.add_argument("--json", action="store_true", help="end with one JSON line: status, summary")
    for name, help_text in [("dashboards", "import the dashboard bundles unless already imported unchanged"),
                            ("all", "metadata, dashboards, access (the superset-init compose service)")]:  # fmt: skip
        step = steps.add_parser(name, help=help_text)
        step.add_argument("--bundles", type=Path, default=DEFAULT_BUNDLES, help="folder of bundle folders")
        step.add_argument("--force", action="store_true", help="import even if the marker says it is done")
        step.add_argument("--json", action="store_true", help="end with one JSON line: status, bundles, seconds")
    step = steps.add_parser("check", help="find and merge the bundles, load the configuration; no database")
    step.add_argument("--bundles", type=Path, default=DEFAULT_BUNDLES, help="folder of bundle folders")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # out of the environment before any subprocess (superset db upgrade, ...) inherits them
    admin_password = os.environ.pop("SUPERSET_ADMIN_PASSWORD", "")
    warehouse_url = os.environ.pop("WAREHOUSE_URL", "")
    passwords = {name: os.environ.pop(name, "") for name in roles_spec().PASSWORD_VARIABLES}
    passwords = {name: value for name, value in passwords.items() if value}
    for value in passwords.values():
        keep_secret(value)
    keep_secret(admin_password)
    keep_secret(urlsplit(warehouse_url).password if warehouse_url else None)
    try:
        if args.step == "check":
            check(args.bundles)
        if args.step in ("metadata", "all"):
            if not admin_password:
                raise SetupError("SUPERSET_ADMIN_PASSWORD is not set")
            username = _required("SUPERSET_ADMIN_USERNAME")
            init_metadata(username, admin_password, os.environ.get("SUPERSET_ADMIN_EMAIL") or DEFAULT_ADMIN_EMAIL)
        if args.step in ("dashboards", "all"):
            if not warehouse_url:
                raise SetupError("WAREHOUSE_URL is not set")
            home = Path(os.environ.get("SUPERSET_HOME") or Path.home() / ".superset")
            result = import_dashboards(args.bundles, warehouse_url, home=home, force=args.force,
                                       metadata_url=_required("SUPERSET_DB_URL"),
                                       secret_key=_required("SUPERSET_SECRET_KEY"))  # fmt: skip
            verb = "imported" if result["status"] == "imported" else "unchanged and present: import skipped"
            say(f"dashboard bundles {verb}: {', '.join(result['bundles'])} ({result['seconds']:.1f} s)")
            if args.json:
                print(json.dumps(result), flush=True)
        if args.step in ("access", "all"):
            home = Path(os.environ.get("SUPERSET_HOME") or Path.home() / ".superset")
            done = apply_access(home=home, metadata_url=_required("SUPERSET_DB_URL"),
                                secret_key=_required("SUPERSET_SECRET_KEY"), passwords=passwords)  # fmt: skip
            if args.json:
                print(json.dumps(done, ensure_ascii=False), flush=True)
    except SetupError as error:
        print(f"error: {mask(str(error))}", file=sys.stderr, flush=True)
        return 1
    except Exception:  # masked: a traceback may quote a URL
        print(mask(traceback.format_exc()), file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
