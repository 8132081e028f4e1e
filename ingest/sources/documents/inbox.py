"""The inbox folder and its ledger: which files each stream has already read.

A file is identified by its name and the sha256 of its bytes. A stream reads a
file when the ledger (`raw.documents__inbox_files`) has no entry for that name, or
its latest entry has another sha256: a re-run reads nothing, a file changed since
is read again. The inbox itself is never modified (the sender owns it).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import psycopg

FOLDER = "documents"
SUFFIX = ".edxml"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class InboxFile:
    name: str
    path: Path
    sha256: str
    size: int


class Reading:
    """A file handle read once, in chunks: what goes through it is hashed and counted, and its head kept.

    Past `limit` bytes (a file still growing), reading raises `TooLarge`; `drain`
    reads the rest without keeping it, so that the digest covers the whole file.
    """

    def __init__(self, handle: BinaryIO, limit: int | None = None, head: int = 300) -> None:
        self._handle, self._limit, self._head_size = handle, limit, head
        self._digest = hashlib.sha256()
        self.size = 0
        self.head = b""

    def read(self, size: int = -1, /) -> bytes:
        chunk = self._handle.read(size if 0 <= size <= _CHUNK else _CHUNK)
        self._digest.update(chunk)
        self.size += len(chunk)
        if len(self.head) < self._head_size:
            self.head += chunk[: self._head_size - len(self.head)]
        if self._limit is not None and self.size > self._limit:
            raise TooLarge(self.size, self._limit)
        return chunk

    def drain(self) -> None:
        self._limit = None
        while self.read(_CHUNK):
            pass

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()


class TooLarge(Exception):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size} bytes read, more than {limit}")
        self.size, self.limit = size, limit


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def listing(inbox: Path) -> list[Path]:
    """The packages in `<inbox>/documents/`, by name; hidden files (uploads in progress) are left alone."""
    folder = inbox / FOLDER
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.suffix.lower() == SUFFIX and not p.name.startswith(".") and p.is_file()
    )


def _latest(conn: psycopg.Connection, stream: str, names: list[str]) -> dict[str, str]:
    rows = conn.execute(
        "select distinct on (file_name) file_name, sha256 from raw.documents__inbox_files "
        "where stream = %s and file_name = any(%s) order by file_name, recorded_at desc",
        (stream, names),
    ).fetchall()
    return dict(rows)


def pending(warehouse_url: str, stream: str, inbox: Path) -> list[InboxFile]:
    """The files `stream` has not read in their present form (names and hashes only, not contents)."""
    paths = listing(inbox)
    with psycopg.connect(warehouse_url) as conn:
        known = _latest(conn, stream, [p.name for p in paths])
    found = []
    for path in paths:
        try:
            digest, size = sha256_of(path), path.stat().st_size
        except FileNotFoundError:  # taken away since the listing: not ours to report
            continue
        if known.get(path.name) != digest:
            found.append(InboxFile(path.name, path, digest, size))
    return found


def remember(
    conn: psycopg.Connection, stream: str, batch_id: uuid.UUID, files: Iterable[tuple[InboxFile, int]]
) -> None:
    """Record the files a batch read, with how many rows each gave, in the batch's own transaction."""
    with conn.cursor() as cur:
        cur.executemany(
            "insert into raw.documents__inbox_files (stream, file_name, sha256, size_bytes, row_count, batch_id) "
            "values (%s, %s, %s, %s, %s, %s) on conflict (stream, file_name, sha256) "
            "do update set row_count = excluded.row_count, batch_id = excluded.batch_id, recorded_at = now()",
            [(stream, f.name, f.sha256, f.size, rows, batch_id) for f, rows in files],
        )
