"""Airflow's and Superset's metadata databases, each owned by a login role of its own.

Airflow connects as `hub_airflow`, Superset as `hub_superset`: each owns its database (so its own
`db migrate` / `db upgrade` may create and alter tables there) and nothing else, is no superuser,
and may not even connect to the other's database (PUBLIC's CONNECT is revoked on both). The
warehouse owner creates them when it creates the databases; it is the only account that does.

An install from before these roles kept both databases and every object in them under the
warehouse owner: `hand_over` moves them in place. `REASSIGN OWNED BY hub` cannot do it: the
embedded server's `hub` is the bootstrap superuser (initdb -U hub), whose objects PostgreSQL
refuses to reassign, and REASSIGN OWNED also moves shared objects, such as every other database
the owner owns. So each object in the database's own schemas is altered one by one, inside it.
"""

from __future__ import annotations

import logging

import psycopg
from psycopg import sql

from foundation.roles import login_role

log = logging.getLogger(__name__)

# database → (role, the local secret that holds its password)
OWNERS = {"airflow": ("hub_airflow", "airflow_db_password"), "superset": ("hub_superset", "superset_db_password")}

_SYSTEM_SCHEMAS = "n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%'"
# what the owner may still own inside the database, in an order that works: a table takes its
# indexes, its owned sequences (serial, identity) and its row type along; what is left follows
_OWNED = (
    ("schema", f"select quote_ident(n.nspname) from pg_namespace as n where n.nspowner = current_user::regrole "
               f"and {_SYSTEM_SCHEMAS}"),
    ("table", "relkind in ('r', 'p')"),
    ("foreign table", "relkind = 'f'"),
    ("view", "relkind = 'v'"),
    ("materialized view", "relkind = 'm'"),
    ("sequence", "relkind = 'S'"),
    ("type", f"select t.oid::regtype::text from pg_type as t join pg_namespace as n on n.oid = t.typnamespace "
             f"where t.typowner = current_user::regrole and {_SYSTEM_SCHEMAS} and (t.typtype in ('e', 'd', 'r') "
             "or (t.typtype = 'c' and (select relkind from pg_class where oid = t.typrelid) = 'c'))"),
    ("routine", f"select p.oid::regprocedure::text from pg_proc as p join pg_namespace as n "
                f"on n.oid = p.pronamespace where p.proowner = current_user::regrole and {_SYSTEM_SCHEMAS}"),
)  # fmt: skip


def _owned_query(condition: str) -> str:
    if condition.startswith("select"):
        return condition
    return (
        "select c.oid::regclass::text from pg_class as c join pg_namespace as n on n.oid = c.relnamespace "
        f"where c.relowner = current_user::regrole and {_SYSTEM_SCHEMAS} and c.{condition}"
    )


def ensure_owner(admin_url: str, role: str, password: str) -> int:
    """As the warehouse owner, connected to the metadata database (`admin_url`): the role (created
    or its password refreshed), made owner of the database and of every object the owner still
    has in it; PUBLIC may no longer connect. Returns how many objects changed hands."""
    name = sql.Identifier(role)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        database = conn.info.dbname
        for statement in login_role(conn, role, password):
            conn.execute(statement)
        db = sql.Identifier(database)
        conn.execute(sql.SQL("revoke all on database {} from public").format(db))
        owner = conn.execute("select datdba::regrole::text from pg_database where datname = %s", (database,))
        if owner.fetchone()[0] != role:  # type: ignore[index]
            conn.execute(sql.SQL("alter database {} owner to {}").format(db, name))
        moved = 0
        with conn.transaction():
            for kind, condition in _OWNED:
                for (qualified,) in conn.execute(_owned_query(condition)).fetchall():
                    conn.execute(sql.SQL("alter {} {} owner to {}").format(sql.SQL(kind), sql.SQL(qualified), name))
                    moved += 1
    if moved:
        log.info("%s: %d objects handed over to %s", database, moved, role)
    return moved
