"""superset_server/hub_superset_init.py: the dashboard import runs only when something changed.

The script runs with Superset's Python in production; its import logic needs only PyYAML, so
it is loaded here with the platform's, with the `superset` command and the metadata-DB lookup
replaced by fakes that record what they are asked. The real import (and the second run
skipped) is exercised end to end by tests/superset, which imports through `hub.superset`.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "superset_server" / "hub_superset_init.py"
WAREHOUSE = "postgresql://hub_reporting:s3cret-pw@db.example:5432/warehouse"
METADATA = "postgresql+psycopg2://hub:other-pw@db.example:5432/superset"
SECRET_KEY = "test-secret-key"


@pytest.fixture
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hub_superset_init", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeSuperset:
    """`superset import-directory` and the metadata DB: an import makes the tree's uuids present."""

    def __init__(self, script: ModuleType) -> None:
        self.script = script
        self.present: dict[str, set[str]] = {}
        self.imports: list[dict[str, Any]] = []
        self.drop_on_import: set[str] = set()

    def superset(self, *args: str) -> str:
        assert args[:2] == ("import-directory", "--overwrite")
        tree = Path(args[2])
        databases = {p.name: yaml.safe_load(p.read_text()) for p in (tree / "databases").glob("*.yaml")}
        self.imports.append({"databases": databases})
        for table, uuids in self.script.bundle_uuids(tree).items():
            self.present.setdefault(table, set()).update(uuids - self.drop_on_import)
        return "imported\n"

    def missing(self, metadata_url: str, expected: dict[str, set[str]]) -> dict[str, list[str]]:
        assert metadata_url == METADATA
        absent = {table: sorted(uuids - self.present.get(table, set())) for table, uuids in expected.items()}
        return {table: uuids for table, uuids in absent.items() if uuids}


@pytest.fixture
def fake(script: ModuleType, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSuperset]:
    fake = FakeSuperset(script)
    monkeypatch.setattr(script, "superset", fake.superset)
    monkeypatch.setattr(script, "missing_in_metadata", fake.missing)
    yield fake


@pytest.fixture
def bundles(tmp_path: Path) -> Path:
    target = tmp_path / "dashboards"
    shutil.copytree(REPO_ROOT / "dashboards", target)
    return target


def _import(script: ModuleType, bundles: Path, home: Path, warehouse: str = WAREHOUSE, **kwargs: Any) -> dict:
    return script.import_dashboards(bundles, warehouse, home=home, metadata_url=METADATA, secret_key=SECRET_KEY,
                                    **kwargs)  # fmt: skip


def test_second_import_is_skipped(script: ModuleType, fake: FakeSuperset, bundles: Path, tmp_path: Path) -> None:
    first = _import(script, bundles, tmp_path / "home")
    second = _import(script, bundles, tmp_path / "home")
    assert first["status"] == "imported"
    assert second["status"] == "skipped"
    assert first["bundles"] == second["bundles"] == sorted(p.parent.name for p in bundles.glob("*/metadata.yaml"))
    assert "tong_quan" in first["bundles"]
    assert len(fake.imports) == 1


def test_the_real_uri_goes_into_the_temporary_copies_only(
    script: ModuleType, fake: FakeSuperset, bundles: Path, tmp_path: Path
) -> None:
    before = {p: p.read_bytes() for p in bundles.rglob("*.yaml")}
    _import(script, bundles, tmp_path / "home")
    (imported,) = fake.imports
    assert {db["sqlalchemy_uri"] for db in imported["databases"].values()} == {
        "postgresql+psycopg2://hub_reporting:s3cret-pw@db.example:5432/warehouse"
    }
    assert {p: p.read_bytes() for p in bundles.rglob("*.yaml")} == before


def test_the_marker_holds_no_password_or_uri(
    script: ModuleType, fake: FakeSuperset, bundles: Path, tmp_path: Path
) -> None:
    _import(script, bundles, tmp_path / "home")
    marker = tmp_path / "home" / script.MARKER_NAME
    text = marker.read_text()
    assert "s3cret-pw" not in text and "hub_reporting" not in text and "other-pw" not in text
    assert json.loads(text)["metadata_db"] == "db.example:5432/superset"
    assert marker.stat().st_mode & 0o077 == 0


def test_a_changed_bundle_file_is_imported_again(
    script: ModuleType, fake: FakeSuperset, bundles: Path, tmp_path: Path
) -> None:
    _import(script, bundles, tmp_path / "home")
    chart = next((bundles / "van_ban" / "charts").glob("*.yaml"))
    chart.write_text(chart.read_text() + "\n# edited\n")
    assert _import(script, bundles, tmp_path / "home")["status"] == "imported"
    assert _import(script, bundles, tmp_path / "home")["status"] == "skipped"


def test_a_new_warehouse_password_is_imported_again(
    script: ModuleType, fake: FakeSuperset, bundles: Path, tmp_path: Path
) -> None:
    _import(script, bundles, tmp_path / "home")
    changed = WAREHOUSE.replace("s3cret-pw", "rotated-pw")
    assert _import(script, bundles, tmp_path / "home", changed)["status"] == "imported"


def test_objects_gone_from_the_metadata_db_are_imported_again(
    script: ModuleType, fake: FakeSuperset, bundles: Path, tmp_path: Path
) -> None:
    _import(script, bundles, tmp_path / "home")
    fake.present["dashboards"].pop()  # deleted in the UI, or a new metadata DB
    assert _import(script, bundles, tmp_path / "home")["status"] == "imported"


def test_force_imports_regardless(script: ModuleType, fake: FakeSuperset, bundles: Path, tmp_path: Path) -> None:
    _import(script, bundles, tmp_path / "home")
    assert _import(script, bundles, tmp_path / "home", force=True)["status"] == "imported"


def test_an_incomplete_import_fails_and_leaves_no_marker(
    script: ModuleType, fake: FakeSuperset, bundles: Path, tmp_path: Path
) -> None:
    chart = next((bundles / "mot_cua" / "charts").glob("*.yaml"))
    fake.drop_on_import = {str(yaml.safe_load(chart.read_text())["uuid"])}
    with pytest.raises(script.SetupError, match="incomplete"):
        _import(script, bundles, tmp_path / "home")
    assert not (tmp_path / "home" / script.MARKER_NAME).exists()


def test_bundles_that_disagree_on_a_shared_file_fail(
    script: ModuleType, fake: FakeSuperset, bundles: Path, tmp_path: Path
) -> None:
    dataset = next((bundles / "nganh" / "datasets").rglob("*.yaml"))
    twin = bundles / "chat_luong_du_lieu" / dataset.relative_to(bundles / "nganh")
    twin.parent.mkdir(parents=True, exist_ok=True)
    twin.write_text(dataset.read_text() + "\n# not the same\n")
    with pytest.raises(script.SetupError, match="differs between dashboard bundles"):
        _import(script, bundles, tmp_path / "home")
    assert fake.imports == []


def test_passwords_are_masked_in_what_the_script_prints(script: ModuleType) -> None:
    script.keep_secret("p@ss word")
    assert script.mask("url postgresql://u:p%40ss%20word@h/db and p@ss word") == "url postgresql://u:***@h/db and ***"
