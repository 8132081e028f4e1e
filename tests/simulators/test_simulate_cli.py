from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulators.cli import app

COMMANDS = (
    [], ["onestop"], ["onestop", "serve"], ["onestop", "csv"], ["documents", "write"], ["sector"],
    ["sector", "health", "write"], ["sector", "business", "seed"], ["sector", "business", "advance"],
    ["sector", "schools", "serve"],
)  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "simulate")
def test_every_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    if command and command[-1] in ("serve", "write", "seed", "csv"):
        assert "--seed" in result.output and "--dirt" in result.output


def test_file_commands_write_their_files(tmp_path: Path) -> None:
    runner = CliRunner()
    inbox = tmp_path / "inbox"
    for command in (["documents", "write"], ["sector", "health", "write"]):
        result = runner.invoke(app, [*command, "--seed", "3", "--size", "30", "--dirt", "all", "--inbox", str(inbox)])
        assert result.exit_code == 0, result.output
    assert len(list((inbox / "documents").glob("*.edxml"))) > 30
    assert (inbox / "sector_health" / "co_so_y_te_bo_sung.csv").exists()
    assert {p.name for p in (inbox / "_manifests").iterdir()} == {"documents.jsonl", "sector_health.jsonl"}
    result = runner.invoke(app, ["onestop", "csv", str(tmp_path / "d.csv"), "--size", "50"])
    assert result.exit_code == 0, result.output
    with (tmp_path / "d.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 50
