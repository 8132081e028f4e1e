"""The `scale-out` profile of docker-compose.yml, resolved here as compose resolves profiles.

There is no `docker compose` where the tests run, so the profile is applied by hand: a service
with no `profiles` always runs, one with profiles runs when one of them is active. Each set
(no profile; `scale-out`) is checked on its own: every service healthy or a one-shot init,
every dependency inside the same set with a condition, one executor for every Airflow
service, Redis unpublished and behind a password, several workers.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
PROFILE = "scale-out"

SINGLE_MACHINE = {
    "postgres",
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "steward-app",
    "sharing-api",
    "superset-init",
    "superset",
}
SCALE_OUT_ONLY = {"redis", "airflow-worker", "superset-worker"}
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
SECRET_MARKERS = ("PASSWORD", "SECRET", "KEY", "TOKEN")
_INTERPOLATION = re.compile(r"\$\$|\$\{(?P<name>\w+)(?P<modifier>[^}]*)\}")


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's interpolation: `env` first, then the default; required values as a dummy."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def replace(match: re.Match[str]) -> str:
        if match[0] == "$$":
            return "$"
        name, modifier = match["name"], match["modifier"]
        if env.get(name):
            return env[name]
        if modifier.startswith((":-", "-")):
            return modifier.split("-", 1)[1]
        return "dummy-secret" if modifier.startswith((":?", "?")) else ""

    return _INTERPOLATION.sub(replace, value)


def active(services: dict[str, Any], profiles: set[str]) -> dict[str, dict[str, Any]]:
    """The services `docker compose --profile ...` starts."""
    return {
        name: spec for name, spec in services.items() if not spec.get("profiles") or profiles & set(spec["profiles"])
    }


def environment(spec: dict[str, Any]) -> dict[str, str]:
    env = spec.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {name: str(value) for name, value in env.items()}


def is_one_shot(name: str, spec: dict[str, Any]) -> bool:
    # the existing rule (test_docker_compose.py): *-init services run once and exit
    return name.endswith("-init") and spec.get("restart") in (None, "no")


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return interpolate(raw["services"], {})


# The .env lines that turn the profile on (.env.example, "Scale-out").
SCALE_OUT_ENV = {"AIRFLOW_EXECUTOR": "CeleryExecutor", "SUPERSET_REDIS_HOST": "redis", "SHARING_API_WORKERS": "4"}


@pytest.fixture(scope="module", params=["single-machine", PROFILE])
def stack(request: pytest.FixtureRequest, raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    if request.param == PROFILE:
        return active(interpolate(raw["services"], SCALE_OUT_ENV), {PROFILE})
    return active(interpolate(raw["services"], {}), set())


def test_no_profile_is_the_single_machine_deployment(services: dict[str, dict[str, Any]]) -> None:
    assert set(active(services, set())) == SINGLE_MACHINE


def test_the_profile_adds_redis_and_workers_only(services: dict[str, dict[str, Any]]) -> None:
    assert set(active(services, {PROFILE})) == SINGLE_MACHINE | SCALE_OUT_ONLY
    assert {name for name, spec in services.items() if spec.get("profiles")} == SCALE_OUT_ONLY
    assert all(services[name]["profiles"] == [PROFILE] for name in SCALE_OUT_ONLY)


def test_every_service_is_healthchecked_or_a_one_shot(stack: dict[str, dict[str, Any]]) -> None:
    wrong = []
    for name, spec in stack.items():
        if is_one_shot(name, spec):
            continue
        check = spec.get("healthcheck") or {}
        if not check.get("test") or check.get("disable") or spec.get("restart") != "unless-stopped":
            wrong.append(name)
        if not spec.get("logging", {}).get("options", {}).get("max-size"):
            wrong.append(f"{name}: no log rotation")
    assert wrong == []


def test_every_dependency_is_in_the_same_set_with_a_condition(stack: dict[str, dict[str, Any]]) -> None:
    wrong = []
    for name, spec in stack.items():
        depends_on = spec.get("depends_on") or {}
        if isinstance(depends_on, list):
            wrong.append(f"{name}: depends_on without conditions")
            continue
        for target, settings in depends_on.items():
            if target not in stack:
                wrong.append(f"{name} -> {target}: not started in this set")
            elif (settings or {}).get("condition") not in CONDITIONS:
                wrong.append(f"{name} -> {target}: no condition")
            elif settings["condition"] == "service_completed_successfully" and not is_one_shot(target, stack[target]):
                wrong.append(f"{name} -> {target}: waits for a long-running service to exit")
            elif settings["condition"] == "service_healthy" and not stack[target].get("healthcheck"):
                wrong.append(f"{name} -> {target}: waits for health it never reports")
    assert wrong == []


def test_one_executor_for_every_airflow_service(stack: dict[str, dict[str, Any]]) -> None:
    executors = {
        name: environment(spec).get("AIRFLOW__CORE__EXECUTOR")
        for name, spec in stack.items()
        if "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN" in environment(spec)
    }
    assert len(set(executors.values())) == 1, executors
    expected = "CeleryExecutor" if "airflow-worker" in stack else "LocalExecutor"
    assert set(executors.values()) == {expected}


def test_the_executor_has_one_source_in_the_file(raw: dict[str, Any]) -> None:
    """No service sets its own executor: they all take the shared anchor's, from AIRFLOW_EXECUTOR."""
    text = COMPOSE_FILE.read_text()
    assert text.count("AIRFLOW__CORE__EXECUTOR:") == 1
    assert "AIRFLOW__CORE__EXECUTOR: ${AIRFLOW_EXECUTOR:-LocalExecutor}" in text


def test_celery_settings_for_airflow(services: dict[str, dict[str, Any]]) -> None:
    env = environment(services["airflow-worker"])
    assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://:dummy-secret@redis:6379/")
    # results in the Airflow metadata database, not in Redis
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"] == (
        "db+postgresql+psycopg://hub_airflow:dummy-secret@postgres:5432/airflow"
    )
    worker = services["airflow-worker"]
    assert worker["command"] == "celery worker"
    assert {"redis", "postgres", "airflow-init", "airflow-apiserver"} <= set(worker["depends_on"])
    # unhealthy unless the executor is Celery (the profile without the executor switch)
    assert 'test "$AIRFLOW__CORE__EXECUTOR" = CeleryExecutor' in worker["healthcheck"]["test"][1]


def test_workers_run_several(services: dict[str, dict[str, Any]]) -> None:
    assert int(services["airflow-worker"]["deploy"]["replicas"]) >= 2
    assert int(interpolate("${AIRFLOW_WORKER_CONCURRENCY:-4}", {})) >= 2
    sharing = services["sharing-api"]["entrypoint"]
    workers = sharing[sharing.index("--workers") + 1]
    # one process on a single machine; the scale-out settings raise it
    assert workers == "1"
    scaled = interpolate(COMPOSE_FILE.read_text(), SCALE_OUT_ENV)
    assert '"--workers", "4"' in scaled


def test_redis_is_private_and_needs_a_password(services: dict[str, dict[str, Any]]) -> None:
    redis = services["redis"]
    assert not redis.get("ports")
    assert redis.get("network_mode") != "host"
    assert "--requirepass" in redis["command"][-1]
    assert environment(redis)["REDIS_PASSWORD"] == "dummy-secret"


def test_superset_uses_redis_only_when_switched_on(raw: dict[str, Any]) -> None:
    plain = active(interpolate(raw["services"], {}), set())
    scaled = active(interpolate(raw["services"], SCALE_OUT_ENV), {PROFILE})
    assert environment(plain["superset"])["SUPERSET_REDIS_HOST"] == ""
    for name in ("superset", "superset-init", "superset-worker"):
        env = environment(scaled[name])
        assert env["SUPERSET_REDIS_HOST"] == "redis"
        assert env["SUPERSET_ASYNC_QUERIES_JWT_SECRET"] == "dummy-secret"
    worker = scaled["superset-worker"]
    assert worker["command"][:3] == ["celery", "--app=superset.tasks.celery_app:app", "worker"]
    # unhealthy without Redis configured (the profile without the Superset switch)
    assert worker["healthcheck"]["test"][1].startswith('test -n "$SUPERSET_REDIS_HOST" && celery ')


def test_scale_out_secrets_are_required_without_default() -> None:
    text = COMPOSE_FILE.read_text()
    for name in ("REDIS_PASSWORD", "SUPERSET_ASYNC_QUERIES_JWT_SECRET"):
        uses = re.findall(rf"\$\{{{name}([^}}]*)\}}", text)
        assert uses, name
        assert all(modifier.startswith(":?") for modifier in uses), (name, uses)
    secret_defaults = [
        f"{match['name']}{match['modifier']}"
        for match in _INTERPOLATION.finditer(text)
        if match["name"]
        and any(marker in match["name"] for marker in SECRET_MARKERS)
        and not match["modifier"].startswith((":?", "?"))
    ]
    assert secret_defaults == []


def test_wal_archiving_and_the_backup_volume(services: dict[str, dict[str, Any]], raw: dict[str, Any]) -> None:
    postgres = services["postgres"]
    settings = dict(arg.split("=", 1) for arg in postgres["command"][1:] if arg != "-c")
    assert settings["archive_mode"] == "on"
    assert settings["wal_level"] == "replica"
    assert settings["archive_timeout"] == "60"
    assert settings["archive_command"].startswith("test ! -f /var/lib/hub-backups/wal/%f && cp %p ")
    assert "warehouse-backups" in raw["volumes"]
    for name in ("postgres", "airflow-scheduler", "airflow-worker"):
        assert "warehouse-backups:/var/lib/hub-backups" in services[name]["volumes"], name
    for name, spec in services.items():
        if "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN" in environment(spec):
            assert environment(spec)["HUB_BACKUP_DIR"] == "/var/lib/hub-backups", name
    entrypoint = REPO_ROOT / "deploy/postgres/hub-postgres-entrypoint.sh"
    assert f"./{entrypoint.relative_to(REPO_ROOT)}:{postgres['entrypoint'][0]}:ro" in postgres["volumes"]
    assert entrypoint.stat().st_mode & 0o111
    assert "host replication" in (REPO_ROOT / "deploy/postgres-init/02-replication.sh").read_text()
