"""What a stewards' app must be granted to run the stewards' side of clients.py, grants.py and audit.py
as itself, not as the warehouse owner: the application layer grants it to the app's role.

Read: the clients, the grants, the audit log (whole rows: `audit.verify` recomputes each hash), the
published catalogs (the datasets of `datasets.all_datasets` and the agency and unit codes a client or
a scope names). Write: new clients, secrets and grants; a client's or a grant's revocation columns; a
secret's expiry (rotation). Of the secrets, never the hash: the columns a listing and a rotation read
are granted one by one. Not the tokens, and nothing more on the audit log than reading it (its
triggers refuse any change anyway): the log stays append-only, written by the API alone.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

SELECT = ("sharing.catalogs", "sharing.catalog_codes", "sharing.clients", "sharing.grants", "sharing.audit_log")
INSERT = ("sharing.clients", "sharing.client_secrets", "sharing.grants")
COLUMNS = (  # (privilege, table, columns)
    ("update", "sharing.clients", ("revoked_at", "revoked_by", "revoke_reason")),
    ("update", "sharing.grants", ("revoked_at", "revoked_by")),
    ("select", "sharing.client_secrets", ("secret_id", "client_id", "created_at", "expires_at")),
    ("update", "sharing.client_secrets", ("expires_at",)),  # a rotation closes the old secret
)


def _table(qualified: str) -> sql.Composable:
    return sql.Identifier(*qualified.split("."))


def _columns(privilege: str, table: str, columns: tuple[str, ...], role: sql.Composable) -> sql.Composable:
    return sql.SQL("grant {} ({}) on {} to {}").format(
        sql.SQL(privilege), sql.SQL(", ").join(map(sql.Identifier, columns)), _table(table), role
    )


def grants(role_name: str) -> list[sql.Composable]:
    """The statements: everything on schema `sharing` revoked first, then exactly the list above."""
    role = sql.Identifier(role_name)
    return [
        sql.SQL("grant usage on schema sharing to {}").format(role),
        sql.SQL("revoke all on all tables in schema sharing from {}").format(role),
        sql.SQL("grant select on {} to {}").format(sql.SQL(", ").join(map(_table, SELECT)), role),
        sql.SQL("grant insert on {} to {}").format(sql.SQL(", ").join(map(_table, INSERT)), role),
        *(_columns(privilege, table, columns, role) for privilege, table, columns in COLUMNS),
    ]


def ensure(warehouse_url: str, role_name: str) -> None:
    """Grant them (as the owner), in one transaction."""
    with psycopg.connect(warehouse_url, autocommit=True) as conn, conn.transaction():
        for statement in grants(role_name):
            conn.execute(statement)
