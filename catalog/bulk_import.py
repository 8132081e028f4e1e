"""Bulk import from CSV or XLSX: every row validated, a row-by-row report, nothing half-applied.

One row is one requested change. Columns (header names, any order):
  action        add (default), rename, update, retire, merge, split
  code          the code the change is about
  name          add, rename, update
  parent_code   add, update
  into          merge: one code; split: codes separated by ";"
  primary       split: which successor single-valued reports use (default: the first)
  effective_on  YYYY-MM-DD (default: the import's date)
  reason        default: the import's reason
  anything else an attribute of the code (add, update)

If any row fails, nothing is recorded and the report lists each failing row. Otherwise
every row becomes a proposal in one batch: a different steward then reviews the batch
(`review_batch`), so imports obey the four-eyes rule like any other change.
"""

from __future__ import annotations

import csv
import io
import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

import psycopg
from openpyxl import load_workbook

from catalog import stewardship, users
from catalog.model import CatalogError, ChangeRequest, Proposal, ValidationFailed
from catalog.validation import clean_text

log = logging.getLogger(__name__)

KNOWN_COLUMNS = {"action", "code", "name", "parent_code", "into", "primary", "effective_on", "reason"}


@dataclass(frozen=True)
class RowResult:
    row_number: int  # as a spreadsheet shows it: the header is row 1
    code: str
    action: str
    problems: list[str] = field(default_factory=list)
    proposal_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ImportReport:
    catalog: str
    applied: bool
    batch_id: uuid.UUID | None
    rows: list[RowResult]

    @property
    def failed(self) -> list[RowResult]:
        return [r for r in self.rows if not r.ok]


def read_rows(filename: str, content: bytes) -> list[dict[str, str]]:
    """The file's rows as text dicts, whatever the format; blank rows dropped."""
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as legacy:
            raise CatalogError(
                "the CSV file is not UTF-8 (TCVN3/VNI or a Windows code page?): save it as 'CSV UTF-8'"
            ) from legacy
        rows = list(csv.DictReader(io.StringIO(text)))
    elif suffix == ".xlsx":
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        values = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        header = [h.strip().lower() for h in values[0]] if values else []
        rows = [dict(zip(header, row, strict=False)) for row in values[1:]]
    else:
        raise CatalogError(f"unsupported file type {suffix or '(none)'}: use .csv or .xlsx")
    cleaned = [{(k or "").strip().lower(): clean_text(v) for k, v in row.items() if k} for row in rows]
    return [row if any(row.values()) else {} for row in cleaned]


def _cell_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def import_file(
    conn: psycopg.Connection,
    steward: str,
    catalog: str,
    filename: str,
    content: bytes,
    reason: str,
    effective_on: date | None = None,
) -> ImportReport:
    """Validate every row; record all of them as one batch of proposals, or none."""
    users.require_active(conn, steward)
    rows = read_rows(filename, content)
    batch_id = uuid.uuid4()
    results: list[RowResult] = []
    seen: dict[str, int] = {}
    with conn.transaction() as tx:
        for number, row in enumerate(rows, start=2):
            if not row:
                continue
            results.append(_import_row(conn, steward, catalog, number, row, seen, batch_id, reason, effective_on))
        applied = bool(results) and all(r.ok for r in results)
        if not applied:
            raise psycopg.Rollback(tx)  # undoes every proposal recorded above; the block swallows it
    report = ImportReport(
        catalog,
        applied,
        batch_id if applied else None,
        [r if applied else RowResult(r.row_number, r.code, r.action, r.problems) for r in results],
    )
    log.info(
        "import %s into %s: %d row(s), %d failed, applied=%s",
        filename,
        catalog,
        len(results),
        len(report.failed),
        applied,
    )
    return report


def _import_row(
    conn: psycopg.Connection,
    steward: str,
    catalog: str,
    number: int,
    row: dict[str, str],
    seen: dict[str, int],
    batch_id: uuid.UUID,
    reason: str,
    effective_on: date | None,
) -> RowResult:
    action, code = (row.get("action") or "add").lower(), row.get("code", "")
    if code in seen:
        return RowResult(number, code, action, [f"code {code} is also on row {seen[code]}"])
    seen[code] = number
    try:
        when = date.fromisoformat(row["effective_on"]) if row.get("effective_on") else effective_on or date.today()
    except ValueError:
        return RowResult(number, code, action, [f"effective_on '{row['effective_on']}' is not a YYYY-MM-DD date"])
    payload: dict[str, Any] = {k: row[k] for k in ("name", "parent_code", "primary") if row.get(k)}
    if row.get("into"):
        targets = [t.strip() for t in row["into"].split(";") if t.strip()]
        payload["into"] = targets[0] if action == "merge" and len(targets) == 1 else targets
    attributes = {k: v for k, v in row.items() if k not in KNOWN_COLUMNS and v}
    if attributes:
        payload["attributes"] = attributes
    request = ChangeRequest(catalog, code, action, row.get("reason") or reason, when, payload)
    try:  # propose() runs in a savepoint: a failing row leaves the other rows' work intact
        proposal = stewardship.propose(conn, steward, request, batch_id)
    except ValidationFailed as failed:
        return RowResult(number, code, action, failed.problems)
    except CatalogError as refused:
        return RowResult(number, code, action, [str(refused)])
    return RowResult(number, code, action, proposal_id=proposal.proposal_id)


def review_batch(
    conn: psycopg.Connection,
    batch_id: uuid.UUID,
    reviewer: str,
    decision: str,
    note: str = "",
    publish: bool = True,
) -> list[Proposal]:
    """Review (and by default publish) every open proposal of one import, all or nothing."""
    with conn.transaction():
        ids = [
            r[0]
            for r in conn.execute(
                "select proposal_id from catalog.proposals where batch_id = %s and status = 'proposed' "
                "order by proposal_id",
                (batch_id,),
            ).fetchall()
        ]
        if not ids:
            raise CatalogError(f"batch {batch_id} has no open proposals")
        done = [stewardship.review(conn, pid, reviewer, decision, note) for pid in ids]
        if decision == "approve" and publish:
            done = [stewardship.publish(conn, pid, reviewer) for pid in ids]
        return done
