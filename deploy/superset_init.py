"""One-off Superset set-up in the production image: the `superset-init` compose service.

The container's counterpart of `hub.superset.init_metadata()` and `import_dashboards()`,
which drive the local venv and cannot run here (the image has no `hub` package):
migrate the metadata DB, sync roles, create or update the admin user, then import every
dashboard bundle under /app/dashboards with the real warehouse URI. Safe to re-run.

Environment: SUPERSET_ADMIN_USERNAME, SUPERSET_ADMIN_PASSWORD, SUPERSET_ADMIN_EMAIL,
WAREHOUSE_URL, plus what superset_config.py reads.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

DASHBOARDS_DIR = Path("/app/dashboards")
SUPERSET = str(Path(sys.executable).with_name("superset"))


def run(*command: str) -> str:
    result = subprocess.run(
        command,
        check=False,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    print(result.stdout, end="", flush=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[1:3])} failed with exit {result.returncode}")
    return result.stdout


def upsert_admin(username: str, password: str, email: str) -> None:
    # In-process, so the password never shows in a process list (`fab create-admin`
    # takes it as an argument), and a changed password in .env is applied on re-run.
    from superset.app import create_app
    from werkzeug.security import check_password_hash

    app = create_app()
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.find_user(username=username)
        if user is None:
            role = sm.find_role(sm.auth_role_admin)
            if not sm.add_user(username, "Quản trị", "viên", email, role, password):
                raise SystemExit("could not create the Superset admin user")
            print("admin user created")
        elif not check_password_hash(user.password, password):
            sm.reset_password(user.id, password)
            print("admin password reset")
        else:
            print("admin user up to date")


def merge_bundles(bundles: list[Path], target: Path, warehouse_uri: str) -> None:
    """Copy the bundles' YAML into one tree; databases get the real URI, in the copy only."""
    for bundle in bundles:
        for source in sorted(bundle.rglob("*.yaml")):
            relative = source.relative_to(bundle)
            destination = target / relative
            if destination.exists():
                shared = relative.as_posix() == "metadata.yaml" or relative.parts[0] == "databases"
                if not shared and destination.read_bytes() != source.read_bytes():
                    raise SystemExit(f"{relative} differs between dashboard bundles ({bundle.name})")
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
    for database_yaml in sorted((target / "databases").glob("*.yaml")):
        config = yaml.safe_load(database_yaml.read_text(encoding="utf-8"))
        config["sqlalchemy_uri"] = warehouse_uri
        database_yaml.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def import_dashboards(warehouse_url: str) -> None:
    bundles = sorted(p for p in DASHBOARDS_DIR.iterdir() if (p / "metadata.yaml").is_file())
    if not bundles:
        print(f"no dashboard bundles under {DASHBOARDS_DIR}")
        return
    # Superset's image has psycopg2 only.
    uri = re.sub(r"^postgresql(\+\w+)?://", "postgresql+psycopg2://", warehouse_url)
    with tempfile.TemporaryDirectory(prefix="superset-import-") as tmp:
        merged = Path(tmp)
        os.chmod(merged, 0o700)  # the copies carry the warehouse password
        merge_bundles(bundles, merged, uri)
        output = run(SUPERSET, "import-directory", "--overwrite", str(merged))
    # import-directory logs validation errors but still exits 0
    if "An error occurred" in output or "Traceback" in output:
        raise SystemExit("dashboard import failed; see the output above")
    print("imported dashboard bundles:", ", ".join(bundle.name for bundle in bundles))


def main() -> None:
    run(SUPERSET, "db", "upgrade")
    run(SUPERSET, "init")  # creates the roles, so it comes before the admin user
    upsert_admin(
        os.environ["SUPERSET_ADMIN_USERNAME"],
        os.environ.pop("SUPERSET_ADMIN_PASSWORD"),
        os.environ["SUPERSET_ADMIN_EMAIL"],
    )
    import_dashboards(os.environ.pop("WAREHOUSE_URL"))


if __name__ == "__main__":
    main()
