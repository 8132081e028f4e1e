"""Login roles the platform creates for its services (the dashboards', the sharing API's, ...)."""

from __future__ import annotations

import psycopg
from psycopg import sql


def login_role(conn: psycopg.Connection, role: str, password: str) -> list[sql.Composable]:
    """The statements that create (or update) a plain login role that may connect to this database.

    Only the SCRAM verifier travels, so the password never shows in a server log. The
    caller adds the role's own grants and runs them all.
    """
    name = sql.Identifier(role)
    verifier = conn.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256").decode()
    exists = conn.execute("select 1 from pg_roles where rolname = %s", (role,)).fetchone()
    return [
        sql.SQL("{} role {} with login nosuperuser nocreatedb nocreaterole noinherit password {}").format(
            sql.SQL("alter" if exists else "create"), name, sql.Literal(verifier)
        ),
        sql.SQL("grant connect on database {} to {}").format(sql.Identifier(conn.info.dbname), name),
    ]
