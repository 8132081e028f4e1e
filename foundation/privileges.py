"""What a role may do, read back from the server's catalog: the other half of a declared matrix.

`read(conn, role)` answers, for the database `conn` is connected to: the role's attributes
(superuser, createrole, ...), the databases it owns and may connect to, and, unless it is a
superuser (which may do everything anyway), its privileges on each schema (usage, create),
on each table, view and sequence-less relation (select, insert, ...: what `has_table_privilege`
grants it, directly, through PUBLIC or as owner), on single columns, and the functions it may
execute that PUBLIC may not. tests/warehouse/test_privilege_matrix.py compares it with the
declared matrix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg

ATTRIBUTES = ("superuser", "createrole", "createdb", "bypassrls", "replication")
TABLE_PRIVILEGES = ("select", "insert", "update", "delete", "truncate", "references", "trigger")
DATABASES = ("warehouse", "airflow", "superset")
_USER_SCHEMAS = "n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%%'"  # %% : queries with parameters


@dataclass
class RolePrivileges:
    role: str
    attributes: tuple[str, ...]
    owns_databases: tuple[str, ...]
    connect: tuple[str, ...]
    schemas: dict[str, str] = field(default_factory=dict)  # schema → "usage" / "usage, create"
    tables: dict[str, str] = field(default_factory=dict)  # schema.table → "select, insert"
    columns: dict[str, str] = field(default_factory=dict)  # schema.table.column → "update"
    functions: tuple[str, ...] = ()  # signatures PUBLIC may not execute but this role may


def read(conn: psycopg.Connection, role: str) -> RolePrivileges:
    found = conn.execute(
        "select rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication from pg_roles where rolname = %s",
        (role,),
    ).fetchone()
    if found is None:
        raise LookupError(f"no role {role}")
    attributes = tuple(name for name, flag in zip(ATTRIBUTES, found, strict=True) if flag)
    owns = conn.execute(
        "select datname from pg_database where datdba = %s::regrole and datname = any(%s) order by 1",
        (role, list(DATABASES)),
    ).fetchall()
    connect = conn.execute(
        "select datname from pg_database where datname = any(%s) and has_database_privilege(%s, oid, 'connect') "
        "order by 1",
        (list(DATABASES), role),
    ).fetchall()
    privileges = RolePrivileges(role, attributes, tuple(r[0] for r in owns), tuple(r[0] for r in connect))
    if "superuser" in attributes:
        return privileges
    _schemas(conn, privileges)
    _tables(conn, privileges)
    return privileges


def _schemas(conn: psycopg.Connection, into: RolePrivileges) -> None:
    rows = conn.execute(
        f"select n.nspname, has_schema_privilege(%(r)s, n.oid, 'usage'), has_schema_privilege(%(r)s, n.oid, 'create') "
        f"from pg_namespace as n where {_USER_SCHEMAS} order by 1",
        {"r": into.role},
    ).fetchall()
    for schema, usage, create in rows:
        granted = [name for name, flag in (("usage", usage), ("create", create)) if flag]
        if granted:
            into.schemas[schema] = ", ".join(granted)


def _tables(conn: psycopg.Connection, into: RolePrivileges) -> None:
    checks = ", ".join(f"has_table_privilege(%(r)s, c.oid, '{p}')" for p in TABLE_PRIVILEGES)
    rows = conn.execute(
        f"select n.nspname || '.' || c.relname, {checks} from pg_class as c "
        f"join pg_namespace as n on n.oid = c.relnamespace "
        f"where {_USER_SCHEMAS} and c.relkind in ('r', 'p', 'v', 'm', 'f') order by 1",
        {"r": into.role},
    ).fetchall()
    for name, *flags in rows:
        granted = [p for p, flag in zip(TABLE_PRIVILEGES, flags, strict=True) if flag]
        if granted:
            into.tables[name] = ", ".join(granted)
    columns = conn.execute(
        f"select n.nspname || '.' || c.relname || '.' || a.attname, string_agg(lower(acl.privilege_type), ', ' "
        f"order by acl.privilege_type) from pg_attribute as a join pg_class as c on c.oid = a.attrelid "
        f"join pg_namespace as n on n.oid = c.relnamespace cross join lateral aclexplode(a.attacl) as acl "
        f"where {_USER_SCHEMAS} and acl.grantee = %(r)s::regrole group by 1 order by 1",
        {"r": into.role},
    ).fetchall()
    into.columns.update(dict(columns))
    functions = conn.execute(
        f"select p.oid::regprocedure::text from pg_proc as p join pg_namespace as n on n.oid = p.pronamespace "
        f"where {_USER_SCHEMAS} and p.proacl is not null "
        f"and not exists (select from aclexplode(p.proacl) as acl where acl.grantee = 0) "
        f"and has_function_privilege(%(r)s, p.oid, 'execute') order by 1",
        {"r": into.role},
    ).fetchall()
    into.functions = tuple(r[0] for r in functions)
