"""Grants: which datasets a client may pull, which of their rows, which personal columns unmasked.

One grant per client and dataset at a time. Row scope: every row; an agency subtree (the agency and
every agency under it in the `agency` catalog); or an administrative-unit subtree (a province, a
district before 2025-07-01, or a commune) under the structure before (`pre2025`) or after
(`post2025`) the 2025 rearrangement. The API turns the scope into a predicate of its query
(`sharing.agency_subtree`, `sharing.communes_in_scope`), never into a filter over fetched rows.
Column scope: the personal columns the client may read; the others are masked ("***").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import psycopg
from psycopg.rows import class_row

from sharing.datasets import Dataset

ScopeKind = Literal["all", "agency", "admin_unit"]
BOUNDARIES = ("pre2025", "post2025")
UNIT_CATALOGS = ("province", "district", "commune")
_COLUMNS = (
    "grant_id, client_id, dataset, scope_kind, scope_catalog, scope_code, scope_boundary, personal_columns, "
    "reason, granted_by, granted_at, revoked_at"
)


class GrantError(ValueError):
    pass


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind = "all"
    catalog: str | None = None  # agency, province, district, commune
    code: str | None = None
    boundary: str | None = None  # pre2025, post2025 (administrative units only)

    @classmethod
    def parse(cls, text: str) -> Scope:
        """`all`, `agency:<code>` or `<province|district|commune>:<code>:<pre2025|post2025>`."""
        parts = text.strip().split(":")
        if parts == ["all"]:
            return cls()
        if len(parts) == 2 and parts[0] == "agency":
            return cls("agency", "agency", parts[1])
        if len(parts) == 3 and parts[0] in UNIT_CATALOGS and parts[2] in BOUNDARIES:
            if parts[0] == "district" and parts[2] != "pre2025":
                raise GrantError("districts exist only before 2025-07-01: use district:<code>:pre2025")
            return cls("admin_unit", parts[0], parts[1], parts[2])
        raise GrantError(
            f"unknown scope {text!r}: all, agency:<code>, or <province|district|commune>:<code>:<pre2025|post2025>"
        )

    def __str__(self) -> str:
        if self.kind == "all":
            return "all"
        if self.kind == "agency":
            return f"agency:{self.code}"
        return f"{self.catalog}:{self.code}:{self.boundary}"


@dataclass(frozen=True)
class Grant:
    grant_id: int
    client_id: str
    dataset: str
    scope_kind: str
    scope_catalog: str | None
    scope_code: str | None
    scope_boundary: str | None
    personal_columns: list[str]
    reason: str
    granted_by: str
    granted_at: datetime
    revoked_at: datetime | None

    @property
    def scope(self) -> Scope:
        return Scope(self.scope_kind, self.scope_catalog, self.scope_code, self.scope_boundary)  # type: ignore[arg-type]


def add(
    conn: psycopg.Connection,
    client_id: str,
    dataset: Dataset,
    scope: Scope,
    personal: Sequence[str],
    reason: str,
    by: str,
) -> Grant:
    """Grant `dataset` to the client (replacing its grant in force on that dataset, if any)."""
    if scope.kind not in dataset.row_scopes:
        raise GrantError(
            f"dataset {dataset.id} has no column for a {scope.kind} scope (it allows: {', '.join(dataset.row_scopes)})"
        )
    unknown = sorted(set(personal) - set(dataset.personal_columns))
    if unknown:
        raise GrantError(
            f"not personal columns of {dataset.id}: {', '.join(unknown)} "
            f"(its personal columns: {', '.join(dataset.personal_columns) or 'none'})"
        )
    if not reason.strip():
        raise GrantError("give the reason: the request or legal basis the grant answers")
    with conn.transaction():
        client = conn.execute("select revoked_at from sharing.clients where client_id = %s", (client_id,)).fetchone()
        if client is None:
            raise GrantError(f"no client {client_id}")
        if client[0] is not None:
            raise GrantError(f"client {client_id} is revoked")
        if scope.kind != "all":
            _check_scope_code(conn, scope)
        conn.execute(
            "update sharing.grants set revoked_at = now(), revoked_by = %s "
            "where client_id = %s and dataset = %s and revoked_at is null",
            (by, client_id, dataset.id),
        )
        with conn.cursor(row_factory=class_row(Grant)) as cur:
            granted = cur.execute(
                f"""insert into sharing.grants (client_id, dataset, scope_kind, scope_catalog, scope_code,
                                                scope_boundary, personal_columns, reason, granted_by)
                    values (%s, %s, %s, %s, %s, %s, %s, %s, %s) returning {_COLUMNS}""",
                (
                    client_id,
                    dataset.id,
                    scope.kind,
                    scope.catalog,
                    scope.code,
                    scope.boundary,
                    sorted(set(personal)),
                    reason,
                    by,
                ),
            ).fetchone()
    assert granted is not None
    return granted


def _check_scope_code(conn: psycopg.Connection, scope: Scope) -> None:
    if scope.kind == "agency":
        found = conn.execute(
            "select 1 from sharing.catalog_codes where catalog = 'agency' and code = %s", (scope.code,)
        ).fetchone()
    else:
        found = conn.execute(
            """select 1 from sharing.catalog_codes where catalog = %s and code = %s and case %s
                   when 'pre2025' then coalesce(valid_from, '-infinity') <= date '2025-06-30'
                                       and coalesce(valid_to, 'infinity') > date '2025-06-30'
                   else coalesce(valid_to, 'infinity') > date '2025-07-01' end""",
            (scope.catalog, scope.code, scope.boundary),
        ).fetchone()
    if not found:
        raise GrantError(
            f"no published {scope.catalog} {scope.code}"
            + (f" in the structure {scope.boundary}" if scope.boundary else "")
        )


def revoke(conn: psycopg.Connection, client_id: str, dataset: str, by: str) -> None:
    revoked = conn.execute(
        "update sharing.grants set revoked_at = now(), revoked_by = %s "
        "where client_id = %s and dataset = %s and revoked_at is null",
        (by, client_id, dataset),
    ).rowcount
    if not revoked:
        raise GrantError(f"client {client_id} has no grant in force on {dataset}")


def list_grants(conn: psycopg.Connection, client_id: str | None = None, include_revoked: bool = False) -> list[Grant]:
    where = ["(%(client)s::text is null or client_id = %(client)s)"]
    if not include_revoked:
        where.append("revoked_at is null")
    with conn.cursor(row_factory=class_row(Grant)) as cur:
        return cur.execute(
            f"select {_COLUMNS} from sharing.grants where {' and '.join(where)} order by client_id, dataset, grant_id",
            {"client": client_id},
        ).fetchall()


def grant_in_force(conn: psycopg.Connection, client_id: str, dataset: str) -> Grant | None:
    """The API's question (as hub_sharing): the client's grant on the dataset now, if any."""
    with conn.cursor(row_factory=class_row(Grant)) as cur:
        return cur.execute(
            f"select {_COLUMNS} from sharing.grants where client_id = %s and dataset = %s and revoked_at is null",
            (client_id, dataset),
        ).fetchone()
