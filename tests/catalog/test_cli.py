"""`hub catalog ...` through typer's test runner, against the session's warehouse."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from catalog_testkit import ROOT_AGENCY, Steward, new_agency_code
from typer.testing import CliRunner

from catalog.cli import catalog_app
from foundation.settings import get_settings

runner = CliRunner()


@pytest.fixture(autouse=True)
def cli_warehouse(warehouse: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the CLI at the session's warehouse by URL, as a deployment with WAREHOUSE_URL does:
    the commands then never run pg_ctl (see the lead's note on /tmp/pytest-of-<user> permissions)."""
    monkeypatch.setenv("WAREHOUSE_URL", warehouse)
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


COMMANDS = [
    "load",
    "list",
    "show",
    "history",
    "propose",
    "review",
    "publish",
    "withdraw",
    "import",
    "export",
    "map",
    "unmapped",
    "serve",
    "steward",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(catalog_app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_list_show_and_history(warehouse: str) -> None:
    listed = runner.invoke(catalog_app, ["list"])
    assert listed.exit_code == 0 and "province" in listed.output
    provinces = runner.invoke(catalog_app, ["list", "province", "--on", "2025-06-30", "--limit", "100"])
    assert len(provinces.output.strip().splitlines()) == 63
    found = runner.invoke(catalog_app, ["list", "province", "-q", "quang nam", "--all-versions"])
    assert "Tỉnh Quảng Nam" in found.output and "merged" in found.output
    history = json.loads(runner.invoke(catalog_app, ["history", "province", "49"]).output)
    assert history["links"][0]["to_code"] == "48"


def test_steward_add_never_has_a_default_password(warehouse: str) -> None:
    generated = runner.invoke(
        catalog_app, ["steward", "add", "cli-steward-x", "--full-name", "Lê Thị C", "--generate-password"]
    )
    assert generated.exit_code == 0, generated.output
    assert "password (shown once" in generated.output
    prompted = runner.invoke(
        catalog_app, ["steward", "add", "cli-steward-y", "--full-name", "Phạm Văn D"], input="short\nshort\n"
    )
    assert prompted.exit_code == 1 and "at least 12 characters" in prompted.output


def test_propose_then_review_by_another_steward(
    warehouse: str, stewards: tuple[Steward, Steward], monkeypatch: pytest.MonkeyPatch
) -> None:
    author, reviewer = stewards
    code = new_agency_code()
    monkeypatch.setenv("HUB_STEWARD_PASSWORD", author.password)
    proposed = runner.invoke(
        catalog_app,
        [
            "propose",
            "agency",
            code,
            "add",
            "--name",
            "Ban Dân tộc",
            "--parent-code",
            ROOT_AGENCY,
            "--reason",
            "thành lập",
            "--effective-on",
            "2026-01-01",
            "--steward",
            author.username,
        ],
    )
    assert proposed.exit_code == 0, proposed.output
    proposal_id = proposed.output.split("#")[1].split()[0]
    own = runner.invoke(catalog_app, ["review", proposal_id, "approve", "--publish", "-s", author.username])
    assert own.exit_code == 1 and "four-eyes" in own.output
    monkeypatch.setenv("HUB_STEWARD_PASSWORD", "not-the-password")
    wrong = runner.invoke(catalog_app, ["review", proposal_id, "approve", "-s", reviewer.username])
    assert wrong.exit_code == 1 and "wrong username or password" in wrong.output
    monkeypatch.setenv("HUB_STEWARD_PASSWORD", reviewer.password)
    done = runner.invoke(catalog_app, ["review", proposal_id, "approve", "--publish", "-s", reviewer.username])
    assert done.exit_code == 0 and "published" in done.output
    exported = runner.invoke(catalog_app, ["export", "agency", "--format", "json", "--all-versions"])
    assert code in [c["code"] for c in json.loads(exported.output)["codes"]]
