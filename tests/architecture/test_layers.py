"""The layer contract (pyproject `[tool.importlinter]`, run by `make lint`) holds, and catches an upward import."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from foundation.settings import REPO_ROOT

PACKAGES = ("foundation", "ingest", "catalog", "simulators", "warehouse", "hub", "dags", "bench")
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LINT_IMPORTS, "--no-cache"], cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin"},
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def test_the_code_keeps_the_layers() -> None:
    result = _lint_imports(REPO_ROOT)
    assert result.returncode == 0, result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    for package in PACKAGES:
        shutil.copytree(REPO_ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "*.csv"))
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path)
    settings = tmp_path / "foundation" / "settings.py"
    settings.write_text(settings.read_text() + "\nfrom hub import cli  # an upward import\n")

    result = _lint_imports(tmp_path)

    assert result.returncode != 0
    assert "foundation is not allowed to import hub" in result.stdout
    assert "foundation.settings -> hub.cli" in result.stdout
