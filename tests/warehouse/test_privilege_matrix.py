"""Every role's privileges, read from the live warehouse after a pipeline run, equal the declared
matrix (privilege_matrix.toml) exactly; no service connects as a superuser."""

from __future__ import annotations

import tomllib
from dataclasses import asdict
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from catalog import roles as catalog_roles
from foundation import databases, privileges
from hub import runtime_env
from hub import superset as hub_superset
from hub.pipeline import Platform
from sharing import roles as sharing_roles
from warehouse import transform

MATRIX = tomllib.loads((Path(__file__).parent / "privilege_matrix.toml").read_text())
OWNER = "hub"
# What the transform builds, or the publication it last replaced: their tables already carry the grants
# they will have once published, but no role may use these schemas (the schema check), so they give no
# access; and what they hold depends on how many transforms ran.
BUILD_SCHEMAS = set(transform.build_schemas().values())


def _split(value: str) -> set[str]:
    return {part.strip() for part in value.split(",") if part.strip()}


def _expected_tables(declared: dict[str, str], live: dict[str, str], relations: list[str]) -> dict[str, set[str]]:
    """The declared table lines, a "<schema>.*" line standing for each relation of the schema."""
    missing = [name for name in declared if not name.endswith(".*") and name not in relations]
    assert not missing, f"the matrix names relations that do not exist: {missing}"
    expected = {}
    for relation in relations:
        schema = relation.split(".")[0]
        granted = declared.get(relation, declared.get(f"{schema}.*", ""))
        if granted:
            expected[relation] = _split(granted)
    return expected


@pytest.fixture(scope="module")
def live(pipeline_ran: databases.Databases) -> dict[str, privileges.RolePrivileges]:
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        return {role: privileges.read(conn, role) for role in MATRIX}


@pytest.fixture(scope="module")
def relations(pipeline_ran: databases.Databases) -> list[str]:
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        rows = conn.execute(
            "select n.nspname || '.' || c.relname from pg_class as c join pg_namespace as n on n.oid = c.relnamespace "
            "where n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%' "
            "and c.relkind in ('r', 'p', 'v', 'm', 'f')"
        ).fetchall()
    return [r[0] for r in rows]


def test_every_platform_role_is_declared(pipeline_ran: databases.Databases) -> None:
    with psycopg.connect(pipeline_ran.warehouse) as conn:
        found = {r[0] for r in conn.execute("select rolname from pg_roles where rolname like 'hub%'").fetchall()}
    assert found == set(MATRIX)


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_role_privileges_equal_the_matrix(
    role: str, live: dict[str, privileges.RolePrivileges], relations: list[str]
) -> None:
    declared, found = MATRIX[role], asdict(live[role])
    for key in ("attributes", "owns_databases", "connect", "functions"):
        assert sorted(found[key]) == sorted(declared.get(key, [])), f"{role}: {key}"
    if "superuser" in found["attributes"]:
        assert role == OWNER, "only the owner, which migrates and creates the others, is a superuser"
        return
    assert {k: _split(v) for k, v in found["schemas"].items()} == {
        k: _split(v) for k, v in declared.get("schemas", {}).items()
    }, f"{role}: schemas"
    published = [r for r in relations if r.split(".")[0] not in BUILD_SCHEMAS]
    expected = _expected_tables(declared.get("tables", {}), found["tables"], published)
    reachable = {k: v for k, v in found["tables"].items() if k.split(".")[0] not in BUILD_SCHEMAS}
    assert {k: _split(v) for k, v in reachable.items()} == expected, f"{role}: tables"
    assert {k: _split(v) for k, v in found["columns"].items()} == {
        k: _split(v) for k, v in declared.get("columns", {}).items()
    }, f"{role}: columns"


def _login(url: str) -> str:
    return make_url(url).username or ""


def test_no_service_connects_as_a_superuser(platform: Platform) -> None:
    """Each service's database URL, as the process that runs it gets it; only the pipeline (ingest and
    dbt, in Airflow's tasks) still writes the warehouse as its owner."""
    settings, dbs = platform.settings, platform.databases
    services = {
        "airflow metadata": runtime_env.airflow_env(dbs, platform.secrets, settings)[
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"
        ],
        "superset metadata": hub_superset.superset_env(dbs, platform.secrets, settings.superset_home)[
            "SUPERSET_DB_URL"
        ],
        "dashboards (superset → warehouse)": platform.reporting_url,
        "stewards' app": catalog_roles.app_url(settings, dbs.warehouse),
        "sharing API": sharing_roles.api_url(settings, dbs.warehouse),
    }
    with psycopg.connect(dbs.warehouse) as conn:
        for service, url in services.items():
            role = _login(url)
            assert role in MATRIX and role != OWNER, f"{service} connects as {role}"
            is_super = conn.execute("select rolsuper from pg_roles where rolname = %s", (role,)).fetchone()
            assert is_super == (False,), f"{service} connects as a superuser"
    pipeline = runtime_env.airflow_env(dbs, platform.secrets, settings)["AIRFLOW_CONN_WAREHOUSE"]
    assert _login(pipeline) == OWNER  # not yet split into an ingest and a transform role
