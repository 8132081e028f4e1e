"""Environment variables handed to Airflow, dbt and Great Expectations processes.

One place builds them, so that `hub up`, `hub pipeline run` and the tests run
every component against the same databases with the same settings.
"""

from __future__ import annotations

import os

from foundation.databases import Databases, with_driver
from foundation.settings import REPO_ROOT, Settings
from warehouse.dbt import DBT_PROJECT_DIR, warehouse_parts

DAGS_DIR = REPO_ROOT / "dags"


def airflow_env(databases: Databases, secrets: dict[str, str], settings: Settings) -> dict[str, str]:
    home = settings.airflow_home
    api = f"http://{settings.bind_host}:{settings.airflow_port}"
    return {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{api}/execution/",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home / "passwords.json"),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": with_driver(databases.airflow, "psycopg"),
        "AIRFLOW__API__HOST": settings.bind_host,
        "AIRFLOW__API__PORT": str(settings.airflow_port),
        "AIRFLOW__API__BASE_URL": api,
        "AIRFLOW__API__SECRET_KEY": secrets["airflow_api_secret_key"],
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets["airflow_jwt_secret"],
        "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_HOST": settings.bind_host,
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
        # no phoning home: the data centre's network is closed
        "AIRFLOW__USAGE_DATA_COLLECTION__ENABLED": "False",
        "AIRFLOW_CONN_WAREHOUSE": databases.warehouse,
    }


def pipeline_env(databases: Databases, secrets: dict[str, str], settings: Settings) -> dict[str, str]:
    """The full environment for any process that runs the pipeline."""
    env = dict(os.environ)
    env.update(airflow_env(databases, secrets, settings))
    env.update(warehouse_parts(databases.warehouse))
    env.update(
        {
            "HUB_HOME": str(settings.home),
            "WAREHOUSE_URL": databases.warehouse,
            "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
            "DBT_PROJECT_DIR": str(DBT_PROJECT_DIR),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "GX_ANALYTICS_ENABLED": "false",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
        }
    )
    return env
