"""Read one health-department file (xlsx or CSV) as (row_number, cells) and map its headers.

Row numbers are what a person sees: the CSV line (the line a record ends on) or the
sheet row, the header being line 1; 0 stands for the file as a whole. Bytes: UTF-8
(BOM or not), else cp1252, the way legacy TCVN3/VNI bytes reach the framework,
which then converts them. Headers are matched on their NFC, case-folded,
space-collapsed, accent-stripped form, as they came or read as TCVN3/VNI.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
from viparse.normalize.encodings import CHARMAPS
from viparse.normalize.tables import convert

from ingest.framework.legacy_text import LEGACY_ENCODINGS

CHUNK = 1 << 20
# cp1252 leaves five bytes undefined; legacy files can hold them: read those as Latin-1
codecs.register_error("latin1_fallback", lambda e: (e.object[e.start : e.end].decode("latin-1"), e.end))


@dataclass(frozen=True)
class Sniffed:
    sha256: str
    size: int
    encoding: str  # utf-8-sig or cp1252 (xlsx: not applicable)
    ends_with_newline: bool


def sniff(path: Path) -> Sniffed:
    """One pass over the bytes: their digest, and whether they are UTF-8."""
    digest, decoder, utf8, size, last = hashlib.sha256(), codecs.getincrementaldecoder("utf-8")(), True, 0, b""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size, last = size + len(chunk), chunk[-1:]
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    # a file cut inside a multi-byte letter is still UTF-8: only its (truncated) last row suffers
    return Sniffed(digest.hexdigest(), size, "utf-8-sig" if utf8 else "cp1252", last in (b"\n", b"\r"))


def fold(text: str) -> str:
    """The matching form of a header: NFC, case-folded, single spaces, no accents (đ → d)."""
    text = " ".join(unicodedata.normalize("NFC", text).replace("\ufeff", "").split()).casefold()
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def map_headers(cells: list[str | None], sources: tuple[str, ...]) -> list[str]:
    """Each column's key in the record: the stream's source name when recognised, else the header itself."""
    wanted = {fold(source): source for source in sources}
    keys: list[str] = []
    for index, text in enumerate(c or "" for c in cells):
        forms = [text]
        if not text.isascii():  # maybe TCVN3/VNI read as cp1252: a conversion is kept only if it then matches
            forms += [convert(text, CHARMAPS[name], "NFC") for name in LEGACY_ENCODINGS]
        source = next((wanted.pop(fold(f)) for f in forms if fold(f) in wanted), None)
        key = source or unicodedata.normalize("NFC", text.strip()) or f"column_{index + 1}"
        keys.append(key if key not in keys else f"{key}_{index + 1}")
    return keys


def _text(value: object) -> str | None:
    """An Excel cell as the text a CSV would carry (a code typed as a number loses its `.0`)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def xlsx_rows(path: Path) -> Iterator[tuple[int, list[str | None]]]:
    """The first sheet, streamed (read-only); trailing empty cells dropped, empty rows skipped."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=sheet.min_row or 1):
            cells = [_text(v) for v in values]
            while cells and cells[-1] in (None, ""):
                cells.pop()
            if cells:
                yield number, cells
    finally:
        book.close()


def csv_rows(path: Path, encoding: str) -> Iterator[tuple[int, list[str | None]]]:
    """Every record with the line it ends on; blank lines skipped."""
    errors = "replace" if encoding.startswith("utf-8") else "latin1_fallback"
    with path.open(encoding=encoding, errors=errors, newline="") as handle:
        reader = csv.reader(handle)
        for cells in reader:
            if any(cell.strip() for cell in cells):
                yield reader.line_num, list(cells)
