"""The environment of each process the platform starts: Airflow (with dbt and Great Expectations
in its tasks), the stewards' app and the sharing API; hub/superset.py builds Superset's from
`inherited()` too.

One place builds them, so that `hub up`, `hub pipeline run` and the tests run every component
against the same databases with the same settings. Each starts from an allow-list of the caller's
environment (`inherited`: where programs and the locale are, the platform's non-secret settings),
never from all of it, and adds its own secrets only: the stewards' app never sees Airflow's token
secret or the warehouse owner's password, Superset never sees Airflow's, and so on
(tests/integration/test_service_secrets.py).
"""

from __future__ import annotations

import os

from foundation.databases import Databases, with_driver
from foundation.settings import REPO_ROOT, Settings
from ingest.sources.registry import SOURCES
from warehouse.dbt import DBT_PROJECT_DIR, warehouse_parts

DAGS_DIR = REPO_ROOT / "dags"
# what any process may take from the caller's environment: no secret among them
_INHERITED = ("PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "LANG", "LANGUAGE", "TZ", "TMPDIR",
              "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "NO_COLOR")  # fmt: skip
_INHERITED_PREFIXES = ("LC_",)
# the platform's own settings that are not secret: where its home is, which .env, hosts and ports
_SETTINGS = ("HUB_HOME", "HUB_ENV_FILE", "HUB_BIND_HOST", "HUB_PG_PORT", "HUB_AIRFLOW_PORT", "HUB_SUPERSET_PORT",
             "HUB_CATALOG_PORT", "HUB_SHARING_PORT", "HUB_BACKUP_DIR")  # fmt: skip


def inherited() -> dict[str, str]:
    """The allow-listed part of this process's environment."""
    return {
        name: value
        for name, value in os.environ.items()
        if name in _INHERITED or name in _SETTINGS or name.startswith(_INHERITED_PREFIXES)
    }


def _python_path() -> str:
    return os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))


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
        # task logs name people: the service's own, not the group's or everyone's
        "AIRFLOW__LOGGING__FILE_TASK_HANDLER_NEW_FOLDER_PERMISSIONS": "0o700",
        "AIRFLOW__LOGGING__FILE_TASK_HANDLER_NEW_FILE_PERMISSIONS": "0o600",
        # no phoning home: the data centre's network is closed
        "AIRFLOW__USAGE_DATA_COLLECTION__ENABLED": "False",
        "AIRFLOW_CONN_WAREHOUSE": databases.warehouse,
    }


def pipeline_env(databases: Databases, secrets: dict[str, str], settings: Settings) -> dict[str, str]:
    """The environment of Airflow's processes, which run the pipeline: its metadata database, its own
    secrets, the warehouse as its owner (ingest and dbt write it), the source systems' addresses."""
    env = inherited()
    env.update({s.address_variable: os.environ[s.address_variable] for s in SOURCES
                if s.address_variable and s.address_variable in os.environ})  # fmt: skip
    env.update({name: value for name, value in os.environ.items() if name.startswith(("AIRFLOW_", "DBT_"))})
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
            "PYTHONPATH": _python_path(),
        }
    )
    return env


def steward_app_env(settings: Settings, url: str, session_secret: str) -> dict[str, str]:
    """The stewards' app: its own account (hub_steward_app) and the key its session cookies are
    signed with; no .env (everything it needs is here), no other service's secret."""
    return inherited() | {
        "HUB_ENV_FILE": os.devnull,
        "PYTHONPATH": _python_path(),
        "CATALOG_DB_URL": url,
        "CATALOG_SESSION_SECRET": session_secret,
        "CATALOG_HTTPS_ONLY": str(settings.catalog_secure_cookies).lower(),
    }


def sharing_env(url: str, cursor_secret: str) -> dict[str, str]:
    """The sharing API: its own account (hub_sharing) and the key its paging cursors are signed with."""
    return inherited() | {
        "HUB_ENV_FILE": os.devnull,
        "PYTHONPATH": _python_path(),
        "SHARING_DB_URL": url,
        "SHARING_CURSOR_SECRET": cursor_secret,
    }
