from __future__ import annotations

import stat
from pathlib import Path

from foundation import local_secrets


def test_generated_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    first = local_secrets.load_or_create(path)
    second = local_secrets.load_or_create(path)

    assert first == second
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "admin" not in first.values()
    assert len(set(first.values())) == len(first)
