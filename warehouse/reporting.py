"""The read-only account dashboards use: it reads the marts and nothing else.

Superset, and anyone it lets into SQL Lab, reaches the warehouse through this
account, so a dashboard can never change data, nor read the raw layer's
personal records or the stewards' catalogs. With `REPORTING_DB_URL` set, that
account is used as given. Otherwise role `hub_reporting` is created on the
warehouse (or its password refreshed) with `REPORTING_PASSWORD`, or a generated
password kept in the local secrets.
"""

from __future__ import annotations

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from foundation import local_secrets
from foundation.roles import login_role
from foundation.settings import Settings

ROLE = "hub_reporting"
READABLE_SCHEMAS = ("marts",)


class ReportingRoleError(RuntimeError):
    pass


def reporting_url(settings: Settings, warehouse_url: str) -> str:
    """The URL dashboards query the warehouse with, creating the role when needed."""
    if settings.reporting_db_url:
        return settings.reporting_db_url
    password = settings.reporting_password or local_secrets.load_or_create(settings.secrets_file)["reporting_password"]
    ensure_role(warehouse_url, password)
    return make_url(warehouse_url).set(username=ROLE, password=password).render_as_string(hide_password=False)


def ensure_role(warehouse_url: str, password: str) -> None:
    """Create or update the role: login, select on the marts (tables there now and later), nothing else."""
    role = sql.Identifier(ROLE)
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        statements = login_role(conn, ROLE, password)
        for schema in map(sql.Identifier, READABLE_SCHEMAS):
            statements += [
                sql.SQL("grant usage on schema {} to {}").format(schema, role),
                sql.SQL("grant select on all tables in schema {} to {}").format(schema, role),
                # dbt rebuilds the marts as this same user: new tables are readable too
                sql.SQL("alter default privileges in schema {} grant select on tables to {}").format(schema, role),
            ]
        try:
            for statement in statements:
                conn.execute(statement)
        except psycopg.errors.InsufficientPrivilege as error:
            raise ReportingRoleError(
                f"the warehouse account may not create the read-only role {ROLE} ({error}); "
                "create a read-only account yourself and set REPORTING_DB_URL"
            ) from error
