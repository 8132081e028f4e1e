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

Uploads come from people and from the network, so reading is bounded (`Limits`): the file's
size before anything is parsed, the unpacked size an XLSX declares for its parts (checked
before openpyxl opens it; zipfile never unpacks more than a part declares), rows, columns,
characters per cell and in all, and time. The file is read as a stream, row by row. Rows are
first validated one by one outside any transaction (a file of bad rows holds no lock and no
transaction, however long it is); only a file whose rows all passed is recorded, in one short
transaction.
"""

from __future__ import annotations

import csv
import io
import logging
import time
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import IO, Any

import psycopg
from openpyxl import load_workbook

from catalog import stewardship, store, users
from catalog.model import CatalogError, ChangeRequest, Proposal, TooLarge, ValidationFailed
from catalog.validation import clean_text, validate

log = logging.getLogger(__name__)

KNOWN_COLUMNS = {"action", "code", "name", "parent_code", "into", "primary", "effective_on", "reason"}
_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much one import may ask of the server."""

    max_bytes: int = 5 * _MB  # the uploaded file
    max_unpacked_bytes: int = 30 * _MB  # XLSX: the parts' declared uncompressed sizes, together
    max_rows: int = 5_000  # rows with something in them
    max_scanned_rows: int = 50_000  # rows read, blank ones included
    max_columns: int = 64
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
    max_total_chars: int = 10_000_000  # every cell together (shared strings can repeat one long text)
    max_seconds: float = 60.0  # reading, validating and recording


LIMITS = Limits()


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


class _Budget:
    """Rows, characters and time used so far, against the limits."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.max_seconds
        self.rows = self.scanned = self.chars = 0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            seconds = f"{self.limits.max_seconds:g}"
            raise TooLarge(
                f"Xử lý tệp quá {seconds} giây; hãy chia nhỏ tệp "
                f"(processing the file took longer than {seconds} s: split it)"
            )

    def row(self, number: int, cells: list[str]) -> None:
        self.scanned += 1
        if self.scanned > self.limits.max_scanned_rows:
            raise TooLarge(
                f"Tệp có hơn {self.limits.max_scanned_rows} dòng (kể cả dòng trống) "
                f"(more than {self.limits.max_scanned_rows} rows, blank ones included: split the file)"
            )
        if len(cells) > self.limits.max_columns:
            raise TooLarge(
                f"Dòng {number} có hơn {self.limits.max_columns} cột "
                f"(row {number} has more than {self.limits.max_columns} columns)"
            )
        for cell in cells:
            if len(cell) > self.limits.max_cell_chars:
                raise TooLarge(
                    f"Dòng {number} có ô dài hơn {self.limits.max_cell_chars} ký tự "
                    f"(row {number} has a cell longer than {self.limits.max_cell_chars} characters)"
                )
            self.chars += len(cell)
        if self.chars > self.limits.max_total_chars:
            raise TooLarge(
                f"Tệp chứa quá {self.limits.max_total_chars} ký tự; hãy chia nhỏ tệp "
                f"(the file holds more than {self.limits.max_total_chars} characters: split it)"
            )
        if any(cells) and number > 1:
            self.rows += 1
            if self.rows > self.limits.max_rows:
                raise TooLarge(
                    f"Tệp có hơn {self.limits.max_rows} dòng dữ liệu; hãy chia nhỏ tệp "
                    f"(more than {self.limits.max_rows} rows: split the file)"
                )
        if self.scanned % 100 == 0:
            self.check_time()


def _unreadable(what: str, detail: object) -> ValidationFailed:
    return ValidationFailed([f"Không đọc được tệp {what} (not a readable {what} file: {detail})"])


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def read_rows(
    filename: str, content: bytes | IO[bytes], limits: Limits | None = None, budget: _Budget | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """The file's non-blank rows as (row number, text dict), read as a stream within `limits`.

    Raises TooLarge (the file must be split) or ValidationFailed (it cannot be read), possibly
    after some rows have been yielded."""
    limits = limits or LIMITS
    suffix = PurePath(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise CatalogError(f"unsupported file type {suffix or '(none)'}: use .csv or .xlsx")
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    size = _size(stream)
    if size > limits.max_bytes:
        raise TooLarge(
            f"Tệp quá lớn ({size / _MB:.1f} MB, tối đa {limits.max_bytes / _MB:g} MB); hãy chia nhỏ tệp "
            f"(the file is larger than the {limits.max_bytes / _MB:g} MB limit: split it)"
        )
    if size == 0:
        raise ValidationFailed(["Tệp rỗng (the file is empty)"])
    budget = budget or _Budget(limits)
    cells = _csv_cells(stream) if suffix == ".csv" else _xlsx_cells(stream, limits)
    header: list[str] = []
    for number, values in enumerate(cells, start=1):
        budget.row(number, values)
        if number == 1:
            header = [h.strip().lower() for h in values]
            continue
        row = {key: clean_text(value) for key, value in zip(header, values, strict=False) if key}
        if any(row.values()):
            yield number, row


def _csv_cells(stream: IO[bytes]) -> Iterator[list[str]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    try:
        yield from reader
    except UnicodeDecodeError as legacy:
        raise ValidationFailed(
            [
                "Tệp CSV không phải UTF-8 (TCVN3/VNI hay bảng mã Windows?): hãy lưu dạng 'CSV UTF-8' "
                "(the CSV file is not UTF-8 (TCVN3/VNI or a Windows code page?): save it as 'CSV UTF-8')"
            ]
        ) from legacy
    except csv.Error as broken:  # a field over csv.field_size_limit() (128 KB), a NUL, a stray quote
        raise ValidationFailed(
            [f"Tệp CSV lỗi ở dòng {reader.line_num} (the CSV file is broken at line {reader.line_num}: {broken})"]
        ) from broken
    finally:
        text.detach()  # the caller's file stays open


def _xlsx_cells(stream: IO[bytes], limits: Limits) -> Iterator[list[str]]:
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as broken:
        raise _unreadable("XLSX", broken) from broken
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.max_unpacked_bytes or len(parts) > 1000:
        raise TooLarge(
            f"Tệp XLSX khi giải nén lớn hơn {limits.max_unpacked_bytes / _MB:g} MB; hãy chia nhỏ tệp "
            f"(the XLSX file unpacks to more than {limits.max_unpacked_bytes / _MB:g} MB: split it)"
        )
    stream.seek(0)
    try:
        # openpyxl raises many kinds of errors on a damaged workbook (zip, XML, KeyError for a missing
        # part, ValueError, TypeError...): each is the uploader's broken file, not a server fault.
        book = load_workbook(stream, read_only=True, data_only=True)
        if not book.worksheets:
            raise ValidationFailed(["Tệp XLSX không có trang tính nào (the workbook has no worksheet)"])
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # never trust the declared dimension: rows are as long as their cells
        for values in sheet.iter_rows(max_col=limits.max_columns + 1, values_only=True):
            while values and values[-1] is None:
                values = values[:-1]
            yield [_cell_text(v) for v in values]
    except CatalogError:
        raise
    except Exception as broken:
        raise _unreadable("XLSX", f"{type(broken).__name__}: {broken}"[:300]) from broken


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
    content: bytes | IO[bytes],
    reason: str,
    effective_on: date | None = None,
    limits: Limits | None = None,
) -> ImportReport:
    """Validate every row; record all of them as one batch of proposals, or none (within `limits`,
    by default LIMITS)."""
    users.require_active(conn, steward)
    store.get_catalog(conn, catalog)
    limits = limits or LIMITS
    budget = _Budget(limits)
    results: list[RowResult] = []
    requests: dict[int, ChangeRequest] = {}
    seen: dict[str, int] = {}
    for number, row in read_rows(filename, content, limits, budget):  # no transaction open
        result, request = _check_row(conn, catalog, number, row, seen, reason, effective_on)
        results.append(result)
        if request is not None:
            requests[number] = request
        budget.check_time()
    batch_id: uuid.UUID | None = None
    if results and all(r.ok for r in results):
        batch_id = uuid.uuid4()
        results = _record(conn, steward, requests, batch_id, budget)
        if not all(r.ok for r in results):
            batch_id = None
    report = ImportReport(catalog, batch_id is not None, batch_id, results)
    log.info(
        "import %s into %s: %d row(s), %d failed, applied=%s",
        filename,
        catalog,
        len(results),
        len(report.failed),
        report.applied,
    )
    return report


def _record(
    conn: psycopg.Connection,
    steward: str,
    requests: dict[int, ChangeRequest],
    batch_id: uuid.UUID,
    budget: _Budget,
) -> list[RowResult]:
    """Every row as a proposal of one batch, in one transaction; if one fails now (the catalog moved
    on since it was checked), none is recorded and the report says which."""
    results = []
    with conn.transaction() as tx:
        conn.execute("set local statement_timeout = '30s'")
        for number, request in requests.items():
            budget.check_time()
            try:  # propose() runs in a savepoint: a failing row leaves the other rows' work intact
                proposal = stewardship.propose(conn, steward, request, batch_id)
                results.append(RowResult(number, request.code, request.action, proposal_id=proposal.proposal_id))
            except ValidationFailed as failed:
                results.append(RowResult(number, request.code, request.action, failed.problems))
            except CatalogError as refused:
                results.append(RowResult(number, request.code, request.action, [str(refused)]))
        if all(r.ok for r in results):
            return results
        raise psycopg.Rollback(tx)  # undoes every proposal recorded above; the block swallows it
    return [RowResult(r.row_number, r.code, r.action, r.problems) for r in results]  # none recorded


def _check_row(
    conn: psycopg.Connection,
    catalog: str,
    number: int,
    row: dict[str, str],
    seen: dict[str, int],
    reason: str,
    effective_on: date | None,
) -> tuple[RowResult, ChangeRequest | None]:
    action, code = (row.get("action") or "add").lower(), row.get("code", "")
    if code in seen:
        return RowResult(number, code, action, [f"code {code} is also on row {seen[code]}"]), None
    seen[code] = number
    try:
        when = date.fromisoformat(row["effective_on"]) if row.get("effective_on") else effective_on or date.today()
    except ValueError:
        return RowResult(number, code, action, [f"effective_on '{row['effective_on']}' is not a YYYY-MM-DD date"]), None
    payload: dict[str, Any] = {k: row[k] for k in ("name", "parent_code", "primary") if row.get(k)}
    if row.get("into"):
        targets = [t.strip() for t in row["into"].split(";") if t.strip()]
        payload["into"] = targets[0] if action == "merge" and len(targets) == 1 else targets
    attributes = {k: v for k, v in row.items() if k not in KNOWN_COLUMNS and v}
    if attributes:
        payload["attributes"] = attributes
    request = ChangeRequest(catalog, code, action, row.get("reason") or reason, when, payload)
    try:
        validate(conn, request)
    except ValidationFailed as failed:
        return RowResult(number, code, action, failed.problems), None
    except CatalogError as refused:
        return RowResult(number, code, action, [str(refused)]), None
    return RowResult(number, code, action), request


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
