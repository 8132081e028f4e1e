"""The account the sharing API reaches the warehouse with: `hub_sharing`, never the owner.

It may read the published marts (schema `marts`, tables there now and later), the published catalog
codes through the views of the `sharing` schema (drafts excluded), the dataset tables the dbt models
of `dbt_project/models/marts/sharing/` build in `sharing` (their post-hook grants it), its own
client, secret, token, grant and publication tables; it may insert tokens, and only insert into the
audit log (never read or change it). Nothing else: not `raw`, `staging`, `catalog`, the stewards.

With `SHARING_DB_URL` set, that account is used as given (create it with these privileges yourself).
Otherwise the role is created on the warehouse (or its password refreshed) with the password kept in
the local secrets (`sharing_password`); only its SCRAM verifier travels to the server.
"""

from __future__ import annotations

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from foundation import databases, local_secrets
from foundation.roles import login_role
from foundation.settings import Settings, get_settings

ROLE = "hub_sharing"
# per session: a query never runs long, a lock never waits long, an abandoned stream never holds a snapshot
SESSION_SETTINGS = {
    "statement_timeout": "30s",
    "lock_timeout": "5s",
    "idle_in_transaction_session_timeout": "60s",
    "timezone": "UTC",
}
_READ = (
    "sharing.catalogs",
    "sharing.catalog_codes",
    "sharing.admin_unit_links",
    "sharing.datasets",
    "sharing.publications",
    "sharing.dataset_publications",
    "sharing.changes",
    "sharing.clients",
    "sharing.client_secrets",
    "sharing.tokens",
    "sharing.grants",
)
_INSERT = ("sharing.tokens", "sharing.audit_log")
_SCOPE_FUNCTIONS = ("sharing.agency_subtree(text)", "sharing.communes_in_scope(text, text, text)")


class SharingRoleError(RuntimeError):
    pass


def password(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    return local_secrets.load_or_create(settings.secrets_file)["sharing_password"]


def api_url(settings: Settings | None = None, warehouse_url: str | None = None) -> str:
    """The URL the API connects with: SHARING_DB_URL, or hub_sharing on the warehouse (not created here)."""
    settings = settings or get_settings()
    if settings.sharing_db_url:
        return settings.sharing_db_url
    warehouse_url = warehouse_url or databases.resolve(settings).warehouse
    return make_url(warehouse_url).set(username=ROLE, password=password(settings)).render_as_string(False)


def ensure(settings: Settings, warehouse_url: str) -> str:
    """Create or update the role (unless SHARING_DB_URL is set) and return the API's URL."""
    if not settings.sharing_db_url:
        ensure_role(warehouse_url, password(settings))
    return api_url(settings, warehouse_url)


def ensure_role(warehouse_url: str, secret: str) -> None:
    """Create or update the role with exactly the privileges the module docstring lists."""
    role = sql.Identifier(ROLE)
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        statements = [
            *login_role(conn, ROLE, secret),
            sql.SQL("grant usage on schema marts, sharing to {}").format(role),
            sql.SQL("grant select on all tables in schema marts to {}").format(role),
            # dbt rebuilds the marts as this same user: new tables are readable too
            sql.SQL("alter default privileges in schema marts grant select on tables to {}").format(role),
            sql.SQL("grant select on {} to {}").format(sql.SQL(", ").join(map(_name, _READ)), role),
            sql.SQL("grant insert on {} to {}").format(sql.SQL(", ").join(map(_name, _INSERT)), role),
            sql.SQL("revoke update, delete, truncate on {} from {}").format(
                sql.SQL(", ").join(map(_name, _READ + _INSERT)), role
            ),
            sql.SQL("grant execute on function {} to {}").format(
                sql.SQL(", ").join(sql.SQL(f) for f in _SCOPE_FUNCTIONS), role
            ),
        ]
        statements += [
            sql.SQL("alter role {} set {} = {}").format(role, sql.Identifier(name), sql.Literal(value))
            for name, value in SESSION_SETTINGS.items()
        ]
        try:
            for statement in statements:
                conn.execute(statement)
            # the dataset tables dbt builds in `sharing` (their post-hook grants them after each rebuild)
            conn.execute("select sharing.grant_read_to_api(to_regclass('sharing.fct_dossier_applicants'))")
        except psycopg.errors.InsufficientPrivilege as error:
            raise SharingRoleError(
                f"the warehouse account may not create the sharing API's role {ROLE} ({error}); "
                "create it yourself (see sharing/roles.py) and set SHARING_DB_URL"
            ) from error


def _name(qualified: str) -> sql.Composable:
    schema, name = qualified.split(".")
    return sql.Identifier(schema, name)


def connect(url: str, **kwargs: object) -> psycopg.Connection:
    """A connection as the API's role, with the session limits whatever the role's defaults."""
    options = " ".join(f"-c {name}={value}" for name, value in SESSION_SETTINGS.items())
    return psycopg.connect(url, options=options, **kwargs)  # type: ignore[arg-type]
