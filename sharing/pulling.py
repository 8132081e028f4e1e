"""One page of a pull: the query built from the dataset, the client's grant and the request, run in
one snapshot and streamed from a server-side cursor.

- Scopes are predicates of the query, with the grant's values as parameters: the agency subtree
  (`sharing.agency_subtree`), the administrative-unit subtree (`sharing.communes_in_scope`);
  personal columns the grant does not name are replaced by '***' in the select list. Filters are
  parameters too, on declared filterable columns only; identifiers come from the registry only.
- Keyset pagination on the dataset's key: a page is the rows after the cursor's last key, up to
  `limit`; the page's last key is found first (so headers can carry the next cursor), then the rows
  are streamed from a server-side cursor in batches.
- One snapshot: each page is a REPEATABLE READ, read-only transaction that first takes an ACCESS
  SHARE lock on the relation (so dbt cannot swap the table under it) and reads the dataset's latest
  publication. A cursor from an older publication is refused (410: restart); a relation rebuilt
  since its publication (the publication step has not run yet) is refused (409: retry shortly).
- `updated_since`: the keys the change log records after that time (up to the snapshot's
  publication): rows now in the client's view are sent whole; rows the client could see then and not
  now (deleted, retired, or moved out of its scope or filters) are sent as tombstones (`_deleted`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import psycopg
from psycopg import sql

from sharing.datasets import Column, Dataset
from sharing.errors import Refused
from sharing.grants import Grant

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 1000
MAX_LIMIT = 10_000
BATCH = 500
MAX_FILTERS = 10
MAX_FILTER_LENGTH = 200
RETRY_AFTER_S = 30


@dataclass(frozen=True)
class Query:
    fields: tuple[str, ...]  # output columns, the key first
    filters: tuple[tuple[str, Any], ...]  # (column, typed value), by column
    on: date | None = None
    updated_since: datetime | None = None
    fields_asked: bool = False  # `fields` was given (else every column, personal ones masked)

    def normalised(self) -> dict[str, Any]:
        """As the cursor carries it (JSON): what was asked, so that a later page asks the same."""
        return {
            "fields": list(self.fields) if self.fields_asked else None,
            "filters": [[name, _plain(value)] for name, value in self.filters],
            "on": self.on.isoformat() if self.on else None,
            "updated_since": self.updated_since.isoformat() if self.updated_since else None,
        }


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _typed(column: Column, raw: str) -> Any:
    try:
        if column.type in ("integer", "bigint"):
            value: Any = int(raw)
            if not -(2**63) <= value < 2**63:
                raise ValueError(raw)
            return value
        if column.type == "date":
            return date.fromisoformat(raw)
        if column.type == "boolean":
            return {"true": True, "false": False}[raw]
    except (ValueError, KeyError) as error:
        raise Refused(
            400,
            f"Giá trị lọc không hợp lệ cho cột {column.name}",
            f"invalid filter value for column {column.name}",
            code="invalid-filter",
        ) from error
    if len(raw) > MAX_FILTER_LENGTH or "\x00" in raw:
        raise Refused(
            400,
            "Giá trị lọc quá dài hoặc có ký tự không hợp lệ",
            "filter value too long or with an invalid character",
            code="invalid-filter",
        )
    return raw


def parse_query(
    dataset: Dataset,
    grant: Grant,
    fields: str | None,
    filters: dict[str, str],
    on: date | None,
    updated_since: datetime | None,
) -> Query:
    """Validate the request's selection against the dataset and the grant."""
    declared = [c.name for c in dataset.columns]
    if fields:
        chosen = list(dict.fromkeys(f.strip() for f in fields.split(",") if f.strip()))
        unknown = [f for f in chosen if f not in declared]
        if unknown or not chosen:
            raise Refused(
                400,
                "Cột không có trong bộ dữ liệu: " + ", ".join(unknown[:5]),
                "not a column of the dataset: " + ", ".join(unknown[:5]),
                code="unknown-field",
            )
        hidden = [f for f in chosen if dataset.column(f).personal and f not in grant.personal_columns]
        if hidden:
            raise Refused(
                403,
                "Không được cấp quyền khai thác dữ liệu cá nhân: " + ", ".join(hidden),
                "no grant for the personal columns: " + ", ".join(hidden),
                code="personal-data",
            )
        chosen = [dataset.key, *(f for f in chosen if f != dataset.key)]
    else:
        chosen = declared
    if len(filters) > MAX_FILTERS:
        raise Refused(
            400, f"Tối đa {MAX_FILTERS} điều kiện lọc", f"at most {MAX_FILTERS} filters", code="invalid-filter"
        )
    typed = []
    for name, raw in sorted(filters.items()):
        if name not in dataset.filterable_columns:
            raise Refused(
                400,
                f"Không lọc được theo cột {name[:64]}; cột lọc được: " + ", ".join(dataset.filterable_columns),
                f"cannot filter on {name[:64]}; filterable: " + ", ".join(dataset.filterable_columns),
                code="invalid-filter",
            )
        typed.append((name, _typed(dataset.column(name), raw)))
    if on is not None and not dataset.is_catalog:
        raise Refused(
            400, "Tham số on chỉ dùng cho danh mục", "`on` applies to catalogs only", code="invalid-parameter"
        )
    if updated_since is not None and updated_since.tzinfo is None:
        raise Refused(
            400,
            "updated_since phải có múi giờ, ví dụ 2026-01-01T00:00:00+07:00",
            "updated_since needs a time zone, e.g. 2026-01-01T00:00:00+07:00",
            code="invalid-parameter",
        )
    return Query(tuple(chosen), tuple(typed), on, updated_since, fields_asked=bool(fields))


def check_filters_in_scope(conn: psycopg.Connection, dataset: Dataset, grant: Grant, query: Query) -> None:
    """A filter on the column the row scope reads, with a value outside the scope, is refused outright."""
    scope = grant.scope
    column = {"agency": dataset.agency_column, "admin_unit": dataset.commune_column}.get(scope.kind)
    for name, value in query.filters:
        if name != column:
            continue
        if scope.kind == "agency":
            found = conn.execute("select %s in (select sharing.agency_subtree(%s))", (value, scope.code))
        else:
            found = conn.execute(
                "select %s in (select sharing.communes_in_scope(%s, %s, %s))",
                (value, scope.catalog, scope.code, scope.boundary),
            )
        if not found.fetchone()[0]:
            raise Refused(
                403,
                f"Giá trị lọc {name} nằm ngoài phạm vi được cấp",
                f"the {name} filter is outside the granted scope",
                code="outside-scope",
            )


@dataclass
class Page:
    dataset: Dataset
    columns: list[tuple[str, str]]  # output (name, SQL type)
    masked: list[str]
    publication_id: int
    as_of: datetime
    last_key: Any
    has_more: bool
    row_count: int
    _stream: Callable[[], Iterator[list[tuple[Any, ...]]]] = field(repr=False)

    def batches(self) -> Iterator[list[tuple[Any, ...]]]:
        return self._stream()


class _Sql:
    """The query of one page, composed from registry identifiers and named parameters only."""

    def __init__(self, dataset: Dataset, grant: Grant, query: Query, after: Any, limit: int, snapshot: int):
        self.d = dataset
        self.grant = grant
        self.query = query
        schema, name = dataset.relation.split(".")
        self.rel = sql.Identifier(schema, name)
        self.key = sql.Identifier(dataset.key)
        self.key_type = sql.SQL(dataset.key_column.type)
        self.after = after
        scope = grant.scope
        self.params: dict[str, Any] = {
            "dataset": dataset.id,
            "since": query.updated_since,
            "snapshot": snapshot,
            "on": query.on,
            "scope_catalog": scope.catalog,
            "scope_code": scope.code,
            "scope_boundary": scope.boundary,
            "part": dataset.part[1] if dataset.part else None,
            "after": after,
            "limit": limit,
            "limit_more": limit + 1,
            **{f"f{i}": value for i, (_, value) in enumerate(query.filters)},
        }
        self.masked = [c for c in query.fields if dataset.column(c).personal and c not in grant.personal_columns]

    @staticmethod
    def live(column: Column) -> sql.Composable:
        return sql.SQL("r.{}").format(sql.Identifier(column.name))

    @staticmethod
    def before(column: Column) -> sql.Composable:
        return sql.SQL("(changed.before_since ->> {})::{}").format(sql.Literal(column.name), sql.SQL(column.type))

    def predicate(self, ref: Callable[[Column], sql.Composable]) -> sql.Composable:
        """The client's view of a row: `on`, the grant's row scope, the filters."""
        d, parts = self.d, []
        if self.query.on is not None:
            parts.append(
                sql.SQL("coalesce({}, '-infinity'::date) <= %(on)s and coalesce({}, 'infinity'::date) > %(on)s").format(
                    ref(d.column("valid_from")), ref(d.column("valid_to"))
                )
            )
        scope = self.grant.scope
        if scope.kind == "agency" and d.agency_column:
            parts.append(
                sql.SQL("{} in (select sharing.agency_subtree(%(scope_code)s))").format(ref(d.column(d.agency_column)))
            )
        elif scope.kind == "admin_unit" and d.commune_column:
            parts.append(
                sql.SQL(
                    "{} in (select sharing.communes_in_scope(%(scope_catalog)s, %(scope_code)s, %(scope_boundary)s))"
                ).format(ref(d.column(d.commune_column)))
            )
        elif scope.kind != "all":
            parts.append(sql.SQL("false"))  # a scope the dataset cannot honour shows nothing
        for i, (name, _) in enumerate(self.query.filters):
            parts.append(sql.SQL("{} = {}").format(ref(d.column(name)), sql.Placeholder(f"f{i}")))
        return sql.SQL("coalesce({}, false)").format(sql.SQL(" and ").join(parts)) if parts else sql.SQL("true")

    def part(self) -> sql.Composable:
        return sql.SQL("r.{} = %(part)s").format(sql.Identifier(self.d.part[0])) if self.d.part else sql.SQL("true")

    def value(self, name: str, visible: sql.Composable | None) -> sql.Composable:
        column = self.d.column(name)
        expr = sql.SQL("'***'::text") if name in self.masked else self.live(column)
        if visible is not None:
            expr = sql.SQL("case when {} then {} end").format(visible, expr)
        return sql.SQL("{} as {}").format(expr, sql.Identifier(name))

    def source(self, last: bool) -> tuple[sql.Composable, sql.Composable]:
        """(the order key, `from ... order by ...`) of the page's rows; with `last`, up to the page's end."""
        incremental = self.query.updated_since is not None
        if incremental:
            order_key = sql.SQL("cast(changed.key as {})").format(self.key_type)
        else:
            order_key = sql.SQL("r.{}").format(self.key)
        bounds = sql.SQL("")
        if self.after is not None:
            bounds += sql.SQL(" and {} > %(after)s").format(order_key)
        if last:
            bounds += sql.SQL(" and {} <= %(last)s").format(order_key)
        if not incremental:
            rest = sql.SQL("from {rel} as r where {part} and {view}{bounds} order by {k}").format(
                rel=self.rel, part=self.part(), view=self.predicate(self.live), bounds=bounds, k=order_key
            )
            return order_key, rest
        rest = sql.SQL(
            """from (
                   select c.key, (array_agg(c.before order by c.publication_id))[1] as before_since
                   from sharing.changes as c
                   where c.dataset = %(dataset)s and c.changed_at > %(since)s and c.publication_id <= %(snapshot)s
                   group by c.key
               ) as changed
               left join {rel} as r on r.{k}::text = changed.key and {part}
               cross join lateral (select r.{k} is not null and {live} as visible) as v
               where (v.visible or (changed.before_since is not null and {before})){bounds}
               order by {order_key}"""
        ).format(
            rel=self.rel,
            k=self.key,
            part=self.part(),
            live=self.predicate(self.live),
            before=self.predicate(self.before),
            bounds=bounds,
            order_key=order_key,
        )
        return order_key, rest

    def bound(self) -> sql.Composable:
        """(rows in the page, plus one if more follow; the page's last key)."""
        order_key, rest = self.source(last=False)
        return sql.SQL(
            """select count(*), max(k) filter (where rn <= %(limit)s)
               from (select k, row_number() over (order by k) as rn
                     from (select {} as k {} limit %(limit_more)s) as page) as numbered"""
        ).format(order_key, rest)

    def rows(self) -> sql.Composable:
        order_key, rest = self.source(last=True)
        if self.query.updated_since is None:
            select = [self.value(name, None) for name in self.query.fields]
        else:
            visible = sql.SQL("v.visible")
            select = [sql.SQL("{} as {}").format(order_key, self.key)]
            select += [self.value(name, visible) for name in self.query.fields if name != self.d.key]
            select += [sql.SQL("not v.visible as _deleted")]
        return sql.SQL("select {} {}").format(sql.SQL(", ").join(select), rest)

    def output_columns(self) -> list[tuple[str, str]]:
        columns = [(name, self.d.column(name).type) for name in self.query.fields]
        if self.query.updated_since is not None:
            columns.append(("_deleted", "boolean"))
        return columns


def open_page(
    conn: psycopg.Connection,
    dataset: Dataset,
    grant: Grant,
    query: Query,
    after: Any,
    limit: int,
    expected_publication: int | None,
) -> Page:
    """Begin the page's snapshot (the connection is in autocommit mode), check it, find the page's
    bounds; the returned page streams its rows and ends the transaction. Raises Refused."""
    schema, name = dataset.relation.split(".")
    if conn.execute("select to_regclass(%s)", (dataset.relation,)).fetchone()[0] is None:
        raise Refused(
            503,
            "Bộ dữ liệu chưa được xây dựng",
            "the dataset has not been built yet",
            {"Retry-After": str(RETRY_AFTER_S)},
            code="not-built",
        )
    conn.execute("begin isolation level repeatable read read only")
    try:
        conn.execute(sql.SQL("lock table {} in access share mode").format(sql.Identifier(schema, name)))
        state = conn.execute(
            """select d.published_relation = to_regclass(d.relation)::oid,
                      (select max(p.publication_id) from sharing.dataset_publications p where p.dataset = d.dataset),
                      (select max(published_at) from sharing.publications)
               from sharing.datasets d where d.dataset = %s and d.withdrawn_at is null""",
            (dataset.id,),
        ).fetchone()
        if state is None or state[1] is None:
            raise Refused(
                503,
                "Bộ dữ liệu chưa được công bố",
                "the dataset has not been published yet",
                {"Retry-After": str(RETRY_AFTER_S)},
                code="not-published",
            )
        same_relation, snapshot, as_of = state
        if expected_publication is not None and expected_publication != snapshot:
            raise Refused(
                410,
                "Dữ liệu đã được công bố lại sau trang trước: hãy kéo lại từ đầu",
                "the dataset was republished since the previous page: restart the pull",
                code="snapshot-gone",
            )
        if not same_relation:
            raise Refused(
                409,
                "Bộ dữ liệu đang được cập nhật, hãy thử lại sau ít phút",
                "the dataset is being republished; retry shortly",
                {"Retry-After": str(RETRY_AFTER_S)},
                code="publication-pending",
            )
        built = _Sql(dataset, grant, query, after, limit, snapshot)
        count, last_key = conn.execute(built.bound(), built.params).fetchone()
    except BaseException:
        conn.execute("rollback")
        raise
    built.params["last"] = last_key

    def stream() -> Iterator[list[tuple[Any, ...]]]:
        done = False
        try:
            if last_key is not None:
                with conn.cursor(name="sharing_page") as cur:
                    cur.execute(built.rows(), built.params)
                    while batch := cur.fetchmany(BATCH):
                        yield batch
            conn.execute("commit")
            done = True
        finally:
            if not done and not conn.closed:
                conn.execute("rollback")

    return Page(
        dataset,
        built.output_columns(),
        built.masked,
        snapshot,
        as_of,
        last_key,
        count > limit,
        min(count, limit),
        stream,
    )
