"""Each process gets only its own secrets: the environment `hub up` gives each service holds none of
the other services' secrets (test_stack.py checks the running processes' environments the same way)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hub import runtime_env, stack, superset
from hub.pipeline import Platform

# each service's own secrets (names in the secrets file); every other one must stay out of its env
OWN = {
    # Airflow runs the pipeline: ingest and dbt write the warehouse as its owner
    "airflow": {"airflow_jwt_secret", "airflow_api_secret_key", "airflow_db_password", "postgres_password"},
    "superset": {"superset_secret_key", "superset_db_password"},
    "steward-app": {"catalog_session_secret", "steward_app_password"},
    "sharing-api": {"sharing_password", "sharing_cursor_secret"},
}


def leaked(service: str, env: dict[str, str], secrets: dict[str, str]) -> list[str]:
    """The names of the secrets in `env` that are not the service's own."""
    values = "\n".join(env.values())
    return sorted(name for name, value in secrets.items() if name not in OWN[service] and value in values)


def envs(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, str]]:
    """What `hub up` hands each service, captured where stack.py starts them."""
    started: dict[str, dict[str, str]] = {}

    def capture(command: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
        started[log_path.stem] = env
        return None  # type: ignore[return-value]

    monkeypatch.setattr(stack, "_serve", capture)
    stack.start_steward_app(platform)
    stack.start_sharing_app(platform)
    started["airflow"] = platform.env  # airflow.start_services(platform.env, ...)
    started["superset"] = superset.superset_env(platform.databases, platform.secrets, platform.settings.superset_home)
    return started


def test_each_service_gets_only_its_own_secrets(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    found = envs(platform, monkeypatch)
    assert set(found) == set(OWN)
    for service, env in found.items():
        assert leaked(service, env, platform.secrets) == [], service
        own = [name for name in OWN[service] if platform.secrets[name] in "\n".join(env.values())]
        assert own, f"{service} got none of its own secrets: is the check looking at the right env?"
    assert "AIRFLOW__API_AUTH__JWT_SECRET" not in found["steward-app"]
    assert "WAREHOUSE_URL" not in found["sharing-api"] and "WAREHOUSE_URL" not in found["steward-app"]


def test_the_callers_other_secrets_stay_out(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    """A variable exported in the shell that starts `hub` (a token, another service's key) reaches
    no service: each environment starts from an allow-list, not from the caller's whole one."""
    monkeypatch.setenv("SOME_TOKEN", "do-not-pass-me-on")
    monkeypatch.setenv("SUPERSET_SECRET_KEY", "nor-me")
    env = runtime_env.pipeline_env(platform.databases, platform.secrets, platform.settings)
    found = {**envs(platform, monkeypatch), "airflow": env}
    for service, env in found.items():
        values = "\n".join(env.values())
        assert "do-not-pass-me-on" not in values, service
        assert "nor-me" not in values, service
