"""Export a catalog to CSV, XLSX or JSON: the codes valid on a date, or every version.

CSV is written as UTF-8 with a byte-order mark so that Excel shows Vietnamese correctly.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import psycopg
from openpyxl import Workbook

from catalog import store
from catalog.model import CatalogError, CodeVersion

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
COLUMNS = (
    "code",
    "name",
    "state",
    "valid_from",
    "valid_to",
    "parent_catalog",
    "parent_code",
    "attributes",
    "legal_source",
    "source",
    "version_id",
)
_PAGE = 5000


def _versions(conn: psycopg.Connection, catalog: str, on: date | None, all_versions: bool) -> Iterator[CodeVersion]:
    offset = 0
    while page := store.search_codes(conn, catalog, on=on, all_versions=all_versions, limit=_PAGE, offset=offset):
        yield from page
        offset += _PAGE


def _record(version: CodeVersion) -> dict[str, Any]:
    return {column: getattr(version, column) for column in COLUMNS}


def _flat(value: Any) -> Any:
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, date):
        return value.isoformat()
    return value


def export(
    conn: psycopg.Connection, catalog: str, fmt: str, on: date | None = None, all_versions: bool = False
) -> bytes:
    """The catalog as a file's bytes; `on` defaults to today; `all_versions` ignores it."""
    store.get_catalog(conn, catalog)
    if fmt not in FORMATS:
        raise CatalogError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    records = (_record(v) for v in _versions(conn, catalog, on, all_versions))
    if fmt == "json":
        rows = [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.items()} for r in records]
        document = {
            "catalog": catalog,
            "valid_on": None if all_versions else (on or date.today()).isoformat(),
            "codes": rows,
        }
        return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows([_flat(r[c]) for c in COLUMNS] for r in records)
        return buffer.getvalue().encode("utf-8-sig")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(catalog[:31])
    sheet.append(list(COLUMNS))
    for r in records:
        sheet.append([_flat(r[c]) for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
