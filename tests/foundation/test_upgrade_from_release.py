"""Upgrading from the previous release: migrations only go forward, and nothing is lost.

The previous release is the last entry of deploy/releases.toml (its git tag, or else its commit).
The fast tests compare that release's migration files with this tree's. The slow ones build a
warehouse the way that release did, on an embedded PostgreSQL server of their own (not the
session's): the release's source tree is extracted from git, and its own `hub init` and its own
code load data (tests/foundation/upgrade_release_data.py). Then this tree's `hub init` upgrades
it, as a province would after pulling the new release, and the tests check that the new
migrations were applied, that every table, column and row of the release is still there and
equal (tests/foundation/upgrade_snapshot.py), and that this tree's code works on the result.

A migration that changes a release table on purpose is declared in CHANGES below: a new column
with the condition its rows meet, a column that moved with the expression that reads it back (the
row comparison then covers it), a column or table removed with the reason.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
import upgrade_snapshot

from catalog import mapping, registry, stewardship, store, users
from catalog.model import ChangeRequest
from foundation import local_secrets, migrations
from foundation.embedded import EmbeddedServer
from foundation.net import free_loopback_port
from foundation.settings import REPO_ROOT, Settings
from hub import schema
from ingest.framework.http_pages import PagedApi
from ingest.sources.documents.extract_load import load_inbox as load_documents
from ingest.sources.onestop.extract_load import load_window
from ingest.sources.registry import SOURCES
from ingest.sources.sector_health.extract_load import load_inbox as load_health
from sharing import audit, clients, grants, publication
from simulators.onestop.config import OnestopConfig
from simulators.onestop.server import start_in_thread

RELEASES = REPO_ROOT / "deploy" / "releases.toml"
RELEASE_DATA = Path(__file__).with_name("upgrade_release_data.py")
MIGRATION_FILE = re.compile(r"[a-z_]+/migrations/[0-9]{4}_[^/]+\.sql")

CHANGES = upgrade_snapshot.Declared(
    # rows `hub init` rewrites from this tree's declarations at every start-up: compared on their key only
    keys_only={
        "catalog.catalogs": ("catalog",),  # catalog/registry.py, upserted by the catalogs stage
        "sharing.datasets": ("dataset",),  # sharing/datasets.py, upserted by the sharing stage
    },
    # columns added to the release's tables since: the condition every row meets after the upgrade
    new_columns={
        "raw.*._chunk_id": "{column} is not null",  # raw_payload_chunks: the chunk holding the payload
    },
    # columns of the release's tables that moved: what reads each back, compared row by row with the release's
    moved={
        "raw.*._payload": "raw.version_payload(_chunk_id, _row_number)",  # raw_payload_chunks: into raw.payload_chunks
        "raw.*._source_ref": "raw.version_source_ref(_chunk_id)",  # raw_payload_chunks: once per chunk
    },
    # tables, views or columns of the release dropped on purpose: name -> why
    removed={},
)


@dataclass(frozen=True)
class Release:
    version: str
    tag: str
    commit: str


def previous_release() -> Release:
    entry = tomllib.loads(RELEASES.read_text(encoding="utf-8"))["release"][-1]
    return Release(entry["version"], entry["tag"], entry["commit"])


def _git(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(REPO_ROOT), *args], capture_output=True)


def release_revision(release: Release) -> str:
    """The release's commit: through its tag, or else the commit deploy/releases.toml records."""
    tagged = _git("rev-parse", "--verify", "--quiet", f"refs/tags/{release.tag}^{{commit}}")
    if tagged.returncode == 0:
        commit = tagged.stdout.decode().strip()
        assert commit == release.commit, f"tag {release.tag} is {commit}, deploy/releases.toml says {release.commit}"
        return commit
    if _git("cat-file", "-e", f"{release.commit}^{{commit}}").returncode == 0:
        return release.commit
    pytest.fail(
        f"release {release.tag} (commit {release.commit}) is not in this clone, a shallow one perhaps: "
        f"fetch it with `git fetch --unshallow --tags` (or `git fetch origin tag {release.tag}`)"
    )


def release_migrations(revision: str) -> dict[int, tuple[str, bytes]]:
    """version -> (path, content) of every migration file of the release."""
    listed = _git("ls-tree", "-r", "--name-only", revision).stdout.decode().splitlines()
    found = {}
    for path in filter(MIGRATION_FILE.fullmatch, listed):
        content = _git("show", f"{revision}:{path}")
        assert content.returncode == 0, content.stderr.decode()
        found[int(Path(path).name[:4])] = (path, content.stdout)
    assert found, f"no migration found in {revision}"
    return found


def head_migrations() -> dict[int, migrations.Migration]:
    return {m.version: m for m in migrations.available(schema.MIGRATION_DIRS)}


def test_every_migration_of_the_release_is_unchanged() -> None:
    """Forward only: an applied migration is never edited, renamed or removed (the runner would refuse an
    edited one on every upgraded warehouse; this says so before anyone upgrades)."""
    release = previous_release()
    head = head_migrations()
    for version, (path, content) in release_migrations(release_revision(release)).items():
        assert version in head, f"{path} of release {release.version} is gone: migrations are never removed"
        now = head[version].path.relative_to(REPO_ROOT).as_posix()
        assert now == path, f"{path} of release {release.version} is now {now}: migrations are never renamed"
        assert head[version].path.read_bytes() == content, (
            f"{path} was changed since release {release.version}: add a new migration instead"
        )


def test_new_migrations_only_append() -> None:
    """A migration added since the release takes a version above all of the release's, whatever its package:
    an upgraded warehouse applies it after them, so a new installation, which applies every migration in
    version order, must too, or the two run different histories."""
    release = previous_release()
    released = release_migrations(release_revision(release))
    last = max(released)
    inserted = [m.path.name for v, m in head_migrations().items() if v not in released and v <= last]
    assert not inserted, (
        f"{inserted}: a migration added after release {release.version} needs a version above {last:04d}, its "
        f"last (e.g. {last + 1:04d}_...): upgraded warehouses apply it after {last:04d}, new ones would apply it before"
    )


# --- the upgrade itself ---


@dataclass(frozen=True)
class Upgraded:
    url: str
    release: Release
    released: dict[int, tuple[str, bytes]]  # the release's migrations
    before: dict[str, upgrade_snapshot.Relation]  # the release's tables and views, with row counts
    facts: dict[str, Any]  # what upgrade_release_data.py printed
    inbox: Path
    init_output: str  # this tree's `hub init`


def hub_env(code: Path, home: Path, port: int) -> dict[str, str]:
    """The environment of a `hub` process of `code` on the test's server: no variable of the session's."""
    names = {str(field.validation_alias) for field in Settings.model_fields.values()}
    names |= {s.address_variable for s in SOURCES if s.address_variable}
    env = {k: v for k, v in os.environ.items() if k not in names and not k.startswith(("HUB_", "WAREHOUSE_"))}
    return env | {"HUB_ENV_FILE": os.devnull, "HUB_HOME": str(home), "HUB_PG_PORT": str(port), "PYTHONPATH": str(code)}


def run(code: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=code, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{args[-1]} failed in {code}:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    return done.stdout


def hub_init(code: Path, home: Path, port: int) -> str:
    return run(code, hub_env(code, home, port), "-c", "from hub.cli import app; app(['init'], prog_name='hub')")


def extract(revision: str, into: Path) -> None:
    archive = subprocess.run(["git", "-C", str(REPO_ROOT), "archive", revision], capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")


@pytest.fixture(scope="module")
def upgraded() -> Iterator[Upgraded]:
    release = previous_release()
    revision = release_revision(release)
    # not under pytest's tmp dir: PostgreSQL runs as another user that must reach its data directory
    root = Path(tempfile.mkdtemp(prefix="hub-upgrade-"))
    tree, home, inbox, port = root / "release", root / "home", root / "inbox", free_loopback_port()
    try:
        extract(revision, tree)
        hub_init(tree, home, port)  # the release's start-up: its server, migrations, catalogs
        shutil.copy(RELEASE_DATA, tree / RELEASE_DATA.name)  # run beside the release's packages
        loaded = run(tree, hub_env(tree, home, port), RELEASE_DATA.name, str(inbox))
        password = local_secrets.load_or_create(home / "secrets.json")["postgres_password"]
        url = EmbeddedServer(home / "pgdata", port, password).url("warehouse")
        before = upgrade_snapshot.snapshot(url)
        output = hub_init(REPO_ROOT, home, port)  # the upgrade: this tree's start-up on the same server
        yield Upgraded(url, release, release_migrations(revision), before, json.loads(loaded.splitlines()[-1]),
                       inbox, output)  # fmt: skip
    finally:
        EmbeddedServer(home / "pgdata", port, "").stop()
        shutil.rmtree(root, ignore_errors=True)


def test_the_new_migrations_are_applied(upgraded: Upgraded) -> None:
    head = head_migrations()
    with psycopg.connect(upgraded.url) as conn:
        applied = {v: (n, c) for v, n, c in conn.execute("select version, name, checksum from audit.schema_migrations")}
    assert applied == {v: (m.name, m.checksum) for v, m in head.items()}
    new = len(set(head) - set(upgraded.released))
    assert re.search(rf"migrations\s+{new} applied" if new else r"migrations\s+up to date", upgraded.init_output), (
        upgraded.init_output
    )
    assert schema.migrate(upgraded.url) == (0, [])  # and a second start-up has nothing left to do


def test_no_table_column_or_row_of_the_release_is_lost(upgraded: Upgraded) -> None:
    assert sum(r.rows or 0 for n, r in upgraded.before.items() if n.startswith("raw.")) > 1000
    assert upgraded.before["sharing.audit_log"].rows == 6
    with psycopg.connect(upgraded.url) as conn:
        problems = upgrade_snapshot.compare(conn, upgraded.before, CHANGES)
    assert not problems, "\n".join(problems)


def test_the_catalogs_and_stewardship_work_on_the_release_data(upgraded: Upgraded) -> None:
    facts = upgraded.facts
    with store.connect(upgraded.url) as conn:
        assert {c.catalog for c in store.list_catalogs(conn)} == {c.name for c in registry.CATALOGS}
        history = store.history(conn, "agency", facts["new_agency"])
        assert [(c.action, c.author, c.reviewer) for c in history.changes] == [
            ("add", facts["author"], facts["reviewer"])
        ]
        assert users.authenticate(conn, facts["author"], facts["author_password"]) is not None
        mapped = {m.local_code: m.master_code for m in mapping.mappings(conn, "onestop", "procedure")}
        assert mapped == {facts["mapped_local_code"]: facts["mapped_master_code"]}
        rename = ChangeRequest("agency", facts["new_agency"], "rename", "đổi tên", date(2026, 6, 1),
                               {"name": "Ban Nâng cấp"})  # fmt: skip
        proposal = stewardship.propose(conn, facts["reviewer"], rename)
        stewardship.approve_and_publish(conn, proposal.proposal_id, facts["author"])
        assert [c.action for c in store.history(conn, "agency", facts["new_agency"]).changes] == ["rename", "add"]


def test_sharing_clients_grants_and_the_audit_chain_survive(upgraded: Upgraded) -> None:
    facts = upgraded.facts
    with psycopg.connect(upgraded.url, autocommit=True) as conn:
        chain = audit.verify(conn)
        assert chain.ok and chain.rows >= 6, chain
        assert clients.authenticate(conn, facts["client_id"], facts["secret"]) is not None
        assert clients.authenticate(conn, facts["client_id"], facts["first_secret"]) is not None  # in its grace
        client, _, why = clients.client_for_token(conn, facts["token"])
        assert client is not None and client.client_id == facts["client_id"], why
        assert grants.grant_in_force(conn, facts["client_id"], "catalog-agency") is not None
    writer = audit.Writer(upgraded.url, psycopg.connect)
    writer.append(audit.Record("after-upgrade", "GET", "/api/v1/datasets", "127.0.0.1", client_id=facts["client_id"],
                               status=200))  # fmt: skip
    writer.close()
    with psycopg.connect(upgraded.url) as conn:
        after = audit.verify(conn)
    assert after.ok and after.rows == chain.rows + 1, after
    assert publication.publish(upgraded.url, "after-upgrade").publication_id > 2


def test_ingestion_continues_from_the_release_watermarks(upgraded: Upgraded) -> None:
    """Last in the module: it adds rows. The one-stop streams resume where the release stopped; the
    files the release loaded are recognised and not loaded again."""
    facts = upgraded.facts
    config = OnestopConfig(size=facts["size"], start=date.fromisoformat(facts["start"]), days=facts["days"],
                           dirt=facts["dirt"])  # fmt: skip
    with start_in_thread(config) as server:
        api = PagedApi(server.base_url, page_size=100)
        batches = [load_window(upgraded.url, api, stream) for stream in ("dossiers", "dossier_events")]
    for batch in batches:
        assert f"updated_since={facts['onestop_until']}" in batch.source_ref
        assert batch.rows_new_versions > 0, batch
    with psycopg.connect(upgraded.url) as conn:
        keys, distinct = conn.execute(
            "select count(*), count(distinct dossier_id) from raw.onestop__dossiers__current"
        ).fetchone()
        versions = conn.execute("select count(*) from raw.onestop__dossiers").fetchone()[0]
    assert keys == distinct > upgraded.before["raw.onestop__dossiers__current"].rows
    assert versions == upgraded.before["raw.onestop__dossiers"].rows + batches[0].rows_new_versions
    assert load_health(upgraded.url, upgraded.inbox) == []
    assert [load.batch for load in load_documents(upgraded.url, upgraded.inbox)] == [None, None]
