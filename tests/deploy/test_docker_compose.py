"""Static checks of the production deployment: docker-compose.yml, .env.example, deploy/.

Only parses files: there is no Docker engine where the tests run, so nothing here calls
the `docker` CLI.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
ENV_EXAMPLE = REPO_ROOT / ".env.example"

EXPECTED_SERVICES = {
    "postgres",
    "airflow-init",
    "airflow-apiserver",
    "steward-app",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "superset-init",
    "superset",
    "sharing-api",
}
PUBLISHING_SERVICES = {"postgres", "airflow-apiserver", "superset", "steward-app", "sharing-api"}
SECRET_MARKERS = ("PASSWORD", "SECRET", "KEY", "TOKEN")

# Compose interpolation: `$$` is an escaped dollar (left for the container's shell),
# `${NAME<modifier>}` and `$NAME` read the host environment or .env.
_INTERPOLATION = re.compile(
    r"\$\$|\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?P<modifier>[^}]*)\}"
    r"|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
)


def _interpolations(text: str) -> list[tuple[str, str]]:
    """(name, modifier) of every interpolation in the text, escaped dollars excluded."""
    found = []
    for match in _INTERPOLATION.finditer(text):
        name = match["braced"] or match["bare"]
        if name:
            found.append((name, match["modifier"] or ""))
    return found


def _is_secret(name: str) -> bool:
    return any(marker in name for marker in SECRET_MARKERS)


@pytest.fixture(scope="module")
def compose_text() -> str:
    return COMPOSE_FILE.read_text()


@pytest.fixture(scope="module")
def compose(compose_text: str) -> dict[str, Any]:
    return yaml.safe_load(compose_text)


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


@pytest.fixture(scope="module")
def long_running(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    # The *-init services are one-off jobs: they exit, so no healthcheck or restart.
    return {name: spec for name, spec in services.items() if not name.endswith("-init")}


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def test_expected_services_exist(services: dict[str, dict[str, Any]]) -> None:
    assert services.keys() >= EXPECTED_SERVICES


def test_long_running_services_have_a_healthcheck(
    long_running: dict[str, dict[str, Any]],
) -> None:
    missing = [
        name
        for name, spec in long_running.items()
        if not spec.get("healthcheck", {}).get("test") or spec["healthcheck"].get("disable")
    ]
    assert missing == []


def test_long_running_services_restart_unless_stopped(
    long_running: dict[str, dict[str, Any]],
) -> None:
    wrong = {
        name: spec.get("restart") for name, spec in long_running.items() if spec.get("restart") != "unless-stopped"
    }
    assert wrong == {}


def test_named_volumes_are_declared(compose: dict[str, Any], services: dict[str, dict[str, Any]]) -> None:
    used = set()
    for spec in services.values():
        for volume in spec.get("volumes", []):
            if isinstance(volume, dict):
                source = volume.get("source", "") if volume.get("type", "volume") == "volume" else ""
            else:
                source = volume.split(":")[0] if ":" in volume else ""
            # Bind mounts start with a path; anonymous volumes have no source.
            if source and not source.startswith((".", "/", "~", "$")):
                used.add(source)
    declared = set(compose.get("volumes") or {})
    assert used - declared == set()


def test_secrets_have_no_default(compose_text: str) -> None:
    # A default would let the stack start with a known secret; a plain ${SECRET} would
    # start it with an empty one. Only the required forms ${SECRET:?msg} / ${SECRET?msg} pass.
    offending = sorted(
        f"{name}{modifier}"
        for name, modifier in _interpolations(compose_text)
        if _is_secret(name) and not modifier.startswith((":?", "?"))
    )
    assert offending == []


def test_postgres_publishes_on_loopback_only(
    services: dict[str, dict[str, Any]],
) -> None:
    ports = [str(port) for port in services["postgres"].get("ports", [])]
    assert all(port.startswith("127.0.0.1:") for port in ports), ports


def test_only_entry_points_publish_ports(services: dict[str, dict[str, Any]]) -> None:
    publishing = {name for name, spec in services.items() if spec.get("ports")}
    assert publishing <= PUBLISHING_SERVICES


def test_every_variable_is_in_env_example(compose_text: str, env_example: dict[str, str]) -> None:
    referenced = {name for name, _ in _interpolations(compose_text)}
    assert referenced - env_example.keys() == set()


def test_env_example_leaves_secrets_blank(env_example: dict[str, str]) -> None:
    # Real secrets belong in the git-ignored .env only.
    filled = {name: value for name, value in env_example.items() if _is_secret(name) and value}
    assert filled == {}


def test_referenced_dockerfiles_exist(services: dict[str, dict[str, Any]]) -> None:
    missing = []
    for name, spec in services.items():
        build = spec.get("build")
        if build is None:
            continue
        if isinstance(build, str):
            build = {"context": build}
        dockerfile = REPO_ROOT / build.get("context", ".") / build.get("dockerfile", "Dockerfile")
        if not dockerfile.is_file():
            missing.append(f"{name}: {dockerfile.relative_to(REPO_ROOT)}")
    assert missing == []
