"""Least privilege in docker-compose.yml: each service connects as its own role, none as the
warehouse owner but the pipeline (Airflow's tasks and `hub init`), and the stewards' app and the
sharing API get none of the other services' secrets."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url
from test_compose_scale_out import COMPOSE_FILE, environment

# every variable of .env that is some service's secret, and the services it may reach
SECRETS = {
    "POSTGRES_PASSWORD": {"postgres", "airflow-init", "airflow-apiserver", "airflow-scheduler",
                          "airflow-dag-processor", "airflow-triggerer", "airflow-worker"},
    "AIRFLOW_JWT_SECRET": {"airflow-init", "airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                           "airflow-triggerer", "airflow-worker"},
    "SUPERSET_SECRET_KEY": {"superset-init", "superset", "superset-worker"},
    "STEWARD_APP_PASSWORD": {"postgres", "airflow-init", "steward-app"},
    "CATALOG_SESSION_SECRET": {"steward-app"},
}  # fmt: skip


@pytest.fixture(scope="module")
def services() -> dict[str, dict[str, Any]]:
    """The services' environments with each secret variable replaced by a marker naming it."""
    raw = yaml.safe_load(COMPOSE_FILE.read_text())["services"]
    text = yaml.safe_dump(raw)
    for name in SECRETS:
        text = text.replace(f"${{{name}:?set {name} in .env}}", f"<{name}>")
    return yaml.safe_load(text)


def test_each_secret_reaches_only_its_services(services: dict[str, dict[str, Any]]) -> None:
    for secret, allowed in SECRETS.items():
        reached = {name for name, spec in services.items() if f"<{secret}>" in str(environment(spec))}
        assert reached <= allowed, f"{secret} reaches {sorted(reached - allowed)}"


@pytest.mark.parametrize(
    ("service", "variable", "role"),
    [
        ("airflow-scheduler", "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "hub_airflow"),
        ("superset", "SUPERSET_DB_URL", "hub_superset"),
        ("superset-init", "WAREHOUSE_URL", "hub_reporting"),
        ("steward-app", "CATALOG_DB_URL", "hub_steward_app"),
    ],
)
def test_services_connect_as_their_own_role(
    services: dict[str, dict[str, Any]], service: str, variable: str, role: str
) -> None:
    assert make_url(environment(services[service])[variable]).username == role


def test_the_new_volume_creates_the_roles() -> None:
    script = (COMPOSE_FILE.parent / "deploy" / "postgres-init" / "03-service-roles.sh").read_text()
    for role in ("hub_airflow", "hub_superset", "hub_steward_app"):
        assert f"create role {role} with login nosuperuser nocreatedb nocreaterole" in script
    assert "alter database airflow owner to hub_airflow" in script
    assert "alter database superset owner to hub_superset" in script
