"""Export a catalog to CSV, XLSX or JSON: the codes valid on a date, or every published version.

CSV is written as UTF-8 with a byte-order mark so that Excel shows Vietnamese correctly.
Exports are public and open in spreadsheets, so no cell may be a live formula (CSV/formula
injection): following OWASP's guidance, a text cell that begins with = + - @, a tab or a
carriage return gets a leading apostrophe, in CSV and XLSX alike, and XLSX text cells are
written as text (never as formulas). Drafts are never exported: an export shows published codes.
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
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

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
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")  # OWASP: what a spreadsheet may read as a formula


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


def inert(value: Any) -> Any:
    """A cell value a spreadsheet will not evaluate: text starting with a formula character gets a `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """Text as a text cell (data type "s"), never a formula; characters XML cannot hold become U+FFFD."""
    value = inert(_flat(value))
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
    cell.data_type = "s"
    return cell


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
        writer.writerows([inert(_flat(r[c])) for c in COLUMNS] for r in records)
        return buffer.getvalue().encode("utf-8-sig")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(catalog[:31])
    sheet.append(list(COLUMNS))
    for r in records:
        sheet.append([_xlsx_cell(sheet, r[c]) for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
