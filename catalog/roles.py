"""The account the stewards' app reaches the warehouse with: `hub_steward_app`, never the owner.

It may use schema `catalog` and nothing else: read its tables; write what the pages and the REST
API write (proposals and their reviews, published code versions and links, the change log, code
mappings, watched raw columns and their removals, login sessions, a steward's re-hashed password);
never create or drop anything, add stewards or change the catalogs' declarations (the CLI and
start-up do that, as the owner). The raw layer stays closed to it: the unmapped-codes queue reads
raw columns through `catalog.unmapped_codes`, which runs as its owner (migration 0304). Where the
platform serves the sharing API's admin pages in this app (hub/steward_app.py), start-up also grants
the role what those need on schema `sharing` (sharing/admin_role.py); nothing here depends on it.

With `CATALOG_DB_URL` set, that account is used as given (create it with these privileges
yourself). Otherwise the role is created on the warehouse (or its password refreshed) with
STEWARD_APP_PASSWORD, or the password generated into the local secrets (`steward_app_password`).
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from foundation import databases
from foundation.roles import login_role
from foundation.settings import Settings, get_settings

ROLE = "hub_steward_app"
# table → what the app does to it beyond reading (every table of `catalog` is readable)
WRITES = {
    "catalog.proposals": "insert, update",
    "catalog.codes": "insert, update",
    "catalog.code_links": "insert",
    "catalog.change_log": "insert",
    "catalog.code_mappings": "insert, update",
    "catalog.mapping_sources": "insert, update, delete",  # update: `select ... for update` takes its lock
    "catalog.mapping_source_removals": "insert, update",
    "catalog.steward_sessions": "insert, update, delete",
    "catalog.stewards": "update (password_hash)",  # a login re-hashes an outdated hash
}
_FUNCTIONS = ("catalog.unmapped_codes(text, text, text, text)",)


class StewardAppRoleError(RuntimeError):
    pass


def app_url(settings: Settings | None = None, warehouse_url: str | None = None) -> str:
    """The URL the app connects with: CATALOG_DB_URL, or hub_steward_app on the warehouse (not created here)."""
    settings = settings or get_settings()
    if settings.catalog_db_url:
        return settings.catalog_db_url
    warehouse_url = warehouse_url or databases.owner_url(settings)
    return databases.with_login(warehouse_url, ROLE, settings.password("steward_app_password"))


def ensure(settings: Settings, warehouse_url: str) -> str:
    """Create or update the role (unless CATALOG_DB_URL is set) and return the app's URL."""
    if not settings.catalog_db_url:
        ensure_role(warehouse_url, settings.password("steward_app_password"))
    return app_url(settings, warehouse_url)


def grants() -> list[sql.Composable]:
    """The role's privileges, as statements (also what deploy/postgres-init/ must match)."""
    role = sql.Identifier(ROLE)
    statements: list[sql.Composable] = [
        sql.SQL("grant usage on schema catalog to {}").format(role),
        sql.SQL("revoke all on all tables in schema catalog from {}").format(role),
        sql.SQL("grant select on all tables in schema catalog to {}").format(role),
    ]
    for table, privileges in WRITES.items():
        schema, name = table.split(".")
        statements.append(
            sql.SQL("grant {} on {} to {}").format(sql.SQL(privileges), sql.Identifier(schema, name), role)
        )
    statements.append(
        sql.SQL("grant execute on function {} to {}").format(sql.SQL(", ").join(map(sql.SQL, _FUNCTIONS)), role)
    )
    return statements


def ensure_role(warehouse_url: str, secret: str) -> None:
    """Create or update the role with exactly the privileges the module docstring lists."""
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        try:
            with conn.transaction():
                for statement in [*login_role(conn, ROLE, secret), *grants()]:
                    conn.execute(statement)
        except psycopg.errors.InsufficientPrivilege as error:
            raise StewardAppRoleError(
                f"the warehouse account may not create the stewards' app role {ROLE} ({error}); "
                "create it yourself (see catalog/roles.py) and set CATALOG_DB_URL"
            ) from error
