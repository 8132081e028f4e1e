"""The document-management ingestion on a real PostgreSQL, fed by the simulator with every dirt kind."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from ingest_testkit import fetch_all

from hub.pipeline import Platform
from ingest.sources.documents import edxml, inbox
from ingest.sources.documents.extract_load import MAX_BYTES, InboxLoad, file_rows, load_inbox
from ingest.sources.documents.inbox import InboxFile
from ingest.sources.documents.streams import DOCUMENT_EVENTS, DOCUMENTS, STREAMS
from simulators.documents import DocumentsConfig, Written, write_documents
from simulators.documents.config import DIRT_KINDS

# every kind, record kinds often enough that each occurs in 150 documents
DIRT = "all,duplicate=0.05,nfd=0.05,ddmmyyyy=0.05"
FILE_REASONS = {"malformed": "malformed_xml", "truncated": "truncated_xml", "empty": "empty_file",
                "xml_bomb": "unsafe_xml", "xxe": "unsafe_xml"}  # fmt: skip
SOURCES = {"Subject": "Subject", "From/OrganName": "From/OrganName", "DueDate": "DueDate",
           "PromulgationDate": "PromulgationInfo/PromulgationDate"}  # manifest field -> stream source  # fmt: skip


@dataclass(frozen=True)
class Run:
    written: Written
    manifest: list[dict[str, Any]]
    first: list[InboxLoad]
    second: list[InboxLoad]

    @property
    def batch_ids(self) -> list[Any]:
        return [load.batch.batch_id for load in (*self.first, *self.second) if load.batch]


def _entries(run: Run, kind: str) -> list[dict[str, Any]]:
    found = [e for e in run.manifest if e["kind"] == kind]
    assert found, f"the simulator injected no {kind}"
    return found


@pytest.fixture(scope="module")
def run(platform: Platform, tmp_path_factory: pytest.TempPathFactory) -> Run:
    inbox = tmp_path_factory.mktemp("documents-inbox")
    written = write_documents(inbox, DocumentsConfig(seed=3102, size=150, dirt=DIRT))
    assert written.manifest_path is not None
    manifest = [json.loads(line) for line in written.manifest_path.read_text().splitlines()]
    first = load_inbox(platform.databases.warehouse, inbox)
    second = load_inbox(platform.databases.warehouse, inbox)
    return Run(written, manifest, first, second)


def test_the_simulator_injected_every_dirt_kind(run: Run) -> None:
    assert {entry["kind"] for entry in run.manifest} == set(DIRT_KINDS)


@pytest.mark.parametrize("kind", list(FILE_REASONS))
def test_an_unreadable_file_is_quarantined_once_with_its_reason(platform: Platform, run: Run, kind: str) -> None:
    url = platform.databases.warehouse
    for entry in _entries(run, kind):
        found = fetch_all(url, "select stream, reason, row_number, payload::json ->> 'file' from audit.quarantine "
                          "where source_ref = %s and batch_id = any(%s)", entry["file"], run.batch_ids)  # fmt: skip
        assert found == [("documents", FILE_REASONS[kind], 1, entry["file"])]
        for stream in STREAMS.values():
            assert fetch_all(url, f"select count(*) from {stream.versions_table} "
                             "where raw.version_source_ref(_chunk_id) = %s",
                        entry["file"]) == [(0,)]  # fmt: skip


def test_the_xml_bomb_is_refused_without_expansion(run: Run) -> None:
    bomb = _entries(run, "xml_bomb")[0]
    data = (run.written.folder / bomb["file"]).read_bytes()
    tracemalloc.start()
    with pytest.raises(edxml.Refused) as refused:
        edxml.read(data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert refused.value.reason == "unsafe_xml"
    assert peak < 1_000_000, peak  # expanded, its 10^9 "lol"s would take gigabytes


CRAFTED = [
    ("blank", b"  \n", "empty_file"),
    ("external dtd", b'<!DOCTYPE edXML SYSTEM "http://127.0.0.1:9/x.dtd"><edXML/>', "unsafe_xml"),
    ("parameter entity", b'<!DOCTYPE edXML [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><edXML/>', "unsafe_xml"),
    ("mismatched tag", b"<edXML><Subject></edXML>", "malformed_xml"),
    ("not xml", b"%PDF-1.4 binary", "malformed_xml"),
    ("cut in a text", "<edXML><Subject>Về việc".encode(), "truncated_xml"),
    ("cut in a character", "<edXML><Subject>Về".encode()[:-1], "truncated_xml"),
]


@pytest.mark.parametrize(("case", "data", "reason"), CRAFTED, ids=[c[0] for c in CRAFTED])
def test_crafted_files_are_refused_with_their_reason(case: str, data: bytes, reason: str) -> None:
    with pytest.raises(edxml.Refused) as refused:
        edxml.read(data)
    assert refused.value.reason == reason


def test_well_formed_xml_that_is_not_edxml_is_quarantined() -> None:
    file = InboxFile("other.edxml", Path("other.edxml"), "0" * 64, 12)
    rows = list(file_rows(DOCUMENTS, file, edxml.read(b"<invoice/>"), b"<invoice/>"))
    assert [(r[0], r[1], r[3]) for r in rows] == [("other.edxml", 1, "not_edxml")]
    assert list(file_rows(DOCUMENT_EVENTS, file, edxml.read(b"<invoice/>"))) == []


def test_a_package_is_parsed_from_its_file_handle_in_chunks(run: Run) -> None:
    path = next(p for p in sorted(run.written.folder.glob("*.edxml")) if not p.name.startswith("status-"))
    reads: list[int] = []

    class Handle:  # a file handle that records each read
        def __init__(self) -> None:
            self._file = path.open("rb")

        def read(self, size: int = -1, /) -> bytes:
            chunk = self._file.read(size)
            reads.append(len(chunk))
            return chunk

    streamed = edxml.read(Handle())
    assert streamed == edxml.read(path.read_bytes()) and streamed.kind == "document"
    assert len(reads) >= 2 and max(reads) <= edxml.CHUNK  # never the whole file at once


# A package loaded in a process of its own, so that its peak memory (VmHWM) is its own.
_LOAD_IN_A_CHILD = """
import json, sys
from pathlib import Path
from ingest.sources.documents.extract_load import load_stream
load = load_stream(sys.argv[1], Path(sys.argv[2]), "documents")
peak = next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
            if line.startswith("VmHWM:"))
print(json.dumps({"files": load.files_read, "batch": str(load.batch.batch_id), "peak_mib": peak / 1024}))
"""


def _write_large_package(tmp_path: Path, mib: int, seed: int) -> Path:
    """A real edXML document whose attachment is `mib` MiB of base64, written 1 MiB at a time."""
    written = write_documents(tmp_path / "template", DocumentsConfig(seed=seed, size=1, start=date(2021, 1, 4),
                                                                      days=30))  # fmt: skip
    template = next(p for p in written.folder.glob("*.edxml") if not p.name.startswith("status-")).read_text()
    head, rest = template.split("<ContentTransferEncoded>")
    _, tail = rest.split("</ContentTransferEncoded>")
    line = b"JVBERi0xLjQKJSBhIHNjYW5uZWQgZG9jdW1lbnQgb2YgbWFueSBwYWdlcwolJUVPRgpKVkJFUmkw\n"  # 77 bytes, as MIME
    block = line * ((1 << 20) // len(line))
    package = tmp_path / "inbox" / inbox.FOLDER / "large.edxml"
    package.parent.mkdir(parents=True)
    with package.open("wb") as out:
        out.write(f"{head}<ContentTransferEncoded>".encode())
        while out.tell() < mib << 20:
            out.write(block)
        out.write(f"</ContentTransferEncoded>{tail}".encode())
    return package


def _load_in_a_child(url: str, package: Path) -> dict[str, Any]:
    command = [sys.executable, "-c", _LOAD_IN_A_CHILD, url, str(package.parent.parent)]
    found: dict[str, Any] = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    print(f"\n{package.stat().st_size / (1 << 20):.0f} MiB package: peak RSS of the loading process "
          f"{found['peak_mib']:.0f} MiB")  # fmt: skip
    return found


def test_a_package_over_the_limit_is_quarantined_with_its_size_in_bounded_memory(
    platform: Platform, tmp_path: Path
) -> None:
    package = _write_large_package(tmp_path, 300, seed=3105)
    size = package.stat().st_size
    assert size > MAX_BYTES

    loaded = _load_in_a_child(platform.databases.warehouse, package)

    assert loaded["files"] == 1 and loaded["peak_mib"] < 150  # far below the file's 300 MiB
    found = fetch_all(platform.databases.warehouse, "select reason, payload::json ->> 'bytes', payload::json ->> "
                      "'error' from audit.quarantine where batch_id = %s", loaded["batch"])  # fmt: skip
    assert found == [("file_too_large", str(size), f"{size} bytes, more than the {MAX_BYTES} bytes a package may have")]


def test_a_large_package_under_the_limit_is_parsed_in_bounded_memory(platform: Platform, tmp_path: Path) -> None:
    package = _write_large_package(tmp_path, 200, seed=3106)

    loaded = _load_in_a_child(platform.databases.warehouse, package)

    assert loaded["files"] == 1 and loaded["peak_mib"] < 150  # the attachment's 200 MiB were never held
    found = fetch_all(platform.databases.warehouse, "select count(*), min(attachment_count) from "
                      "raw.documents__documents where _batch_id = %s", loaded["batch"])  # fmt: skip
    assert found == [(1, 1)]
    ledger = fetch_all(platform.databases.warehouse, "select sha256, size_bytes from raw.documents__inbox_files "
                       "where batch_id = %s", loaded["batch"])  # fmt: skip
    assert ledger == [(inbox.sha256_of(package), package.stat().st_size)]  # hashed while it streamed


def test_the_xxe_file_never_reads_the_local_file(platform: Platform, run: Run) -> None:
    xxe = _entries(run, "xxe")[0]
    payloads = fetch_all(platform.databases.warehouse, "select payload from audit.quarantine where source_ref = %s",
                    xxe["file"])  # fmt: skip
    assert payloads and all("root:" not in payload for (payload,) in payloads)


def test_nfd_text_is_loaded_as_nfc_and_flagged(platform: Platform, run: Run) -> None:
    for entry in _entries(run, "nfd"):
        column = {"Subject": "subject", "From/OrganName": "from_organ_name"}[entry["field"]]
        value, fixes, payload = fetch_all(
            platform.databases.warehouse,
            f"select {column}, _fixes, raw.version_payload(_chunk_id, _row_number) ->> %s "
            "from raw.documents__documents where raw.version_source_ref(_chunk_id) = %s",
            SOURCES[entry["field"]], entry["file"],
        )[0]  # fmt: skip
        assert unicodedata.is_normalized("NFC", value) and "nfc" in fixes
        assert not unicodedata.is_normalized("NFC", payload)  # the payload keeps what arrived


def test_day_first_dates_are_loaded_and_flagged(platform: Platform, run: Run) -> None:
    for entry in _entries(run, "ddmmyyyy"):
        promulgated, due, fixes = fetch_all(
            platform.databases.warehouse,
            "select promulgated_on::text, due_on, _fixes from raw.documents__documents "
            "where raw.version_source_ref(_chunk_id) = %s",
            entry["file"],
        )[0]
        assert f"day_first_date:{SOURCES[entry['field']]}" in fixes
        assert promulgated.replace("-", "/") == entry["key"].split(",")[1]  # the DocumentId carries the date
        assert entry["field"] != "DueDate" or due is not None


def test_a_duplicate_document_is_loaded_once_and_quarantined_once(platform: Platform, run: Run) -> None:
    url = platform.databases.warehouse
    for entry in _entries(run, "duplicate"):
        files = [entry["file"], entry["detail"]["first"]]
        loaded = fetch_all(
            url,
            "select raw.version_source_ref(_chunk_id) from raw.documents__documents where document_id = %s",
            entry["key"],
        )
        quarantined = fetch_all(url, "select source_ref, reason, value from audit.quarantine "
                                "where stream = 'documents' and source_ref = any(%s)", files)  # fmt: skip
        assert len(loaded) == 1 and len(quarantined) == 1
        assert {loaded[0][0], quarantined[0][0]} == set(files)
        assert quarantined[0][1:] == ("duplicate_record", entry["key"])


def test_every_document_and_event_is_loaded(platform: Platform, run: Run) -> None:
    folder = run.written.folder
    statuses = len(list(folder.glob("status-*.edxml")))
    found = fetch_all(platform.databases.warehouse,
                 "select (select count(*) from raw.documents__documents where _batch_id = any(%s)), "
                 "(select count(*) from raw.documents__document_events where _batch_id = any(%s))",
                 run.batch_ids, run.batch_ids)  # fmt: skip
    # every well-formed document, and its events: one per status package plus its one TraceHeader
    assert found == [(run.written.documents, statuses + run.written.documents)]


def test_a_second_run_reads_nothing_and_adds_nothing(platform: Platform, run: Run) -> None:
    assert [(load.files_read, load.batch) for load in run.second] == [(0, None), (0, None)]
    url = platform.databases.warehouse
    for stream in STREAMS.values():
        key = ", ".join(stream.primary_key)
        versions, distinct = fetch_all(url, f"select count(*), count(distinct ({key})) from {stream.versions_table} "
                                       "where _batch_id = any(%s)", run.batch_ids)[0]  # fmt: skip
        current = fetch_all(
            url, f"select count(*) from {stream.current_table} where _batch_id = any(%s)", run.batch_ids
        )
        assert versions == distinct == current[0][0] > 0, stream.name


def test_every_batch_reconciles(platform: Platform, run: Run) -> None:
    rows = fetch_all(platform.databases.warehouse,
                "select b.rows_extracted, b.rows_loaded, b.rows_quarantined, "
                "(select count(*) from audit.quarantine q where q.batch_id = b.batch_id) "
                "from audit.load_batches b where b.batch_id = any(%s)", run.batch_ids)  # fmt: skip
    assert len(rows) == 2
    for extracted, loaded, quarantined, in_quarantine in rows:
        assert extracted == loaded + quarantined and quarantined == in_quarantine


def test_the_ledger_holds_each_file_once_per_stream(platform: Platform, run: Run) -> None:
    files = len(run.written.files)
    ledger = fetch_all(platform.databases.warehouse,
                  "select stream, count(*), count(distinct file_name), sum(row_count) from raw.documents__inbox_files "
                  "where batch_id = any(%s) group by stream order by stream", run.batch_ids)  # fmt: skip
    first = {load.stream: load.batch for load in run.first}
    assert [(s, n, d) for s, n, d, _ in ledger] == [("document_events", files, files), ("documents", files, files)]
    assert {s: rows for s, _, _, rows in ledger} == {s: b.rows_extracted for s, b in first.items() if b}


def test_a_changed_file_is_read_again_as_a_new_version(platform: Platform, tmp_path: Path) -> None:
    url = platform.databases.warehouse
    # another year than the module's inbox: no DocumentId in common
    written = write_documents(tmp_path, DocumentsConfig(seed=3103, size=4, start=date(2024, 1, 2), days=30))
    load_inbox(url, tmp_path)
    path = next(p for p in sorted(written.folder.glob("*.edxml")) if not p.name.startswith("status-"))
    path.write_text(path.read_text().replace("V/v ", "V/v (sửa) ", 1))

    documents, events = load_inbox(url, tmp_path)

    assert (documents.files_read, events.files_read) == (1, 1)
    assert documents.batch and (documents.batch.rows_new_versions, documents.batch.rows_quarantined) == (1, 0)
    assert events.batch and events.batch.rows_new_versions == 0  # its TraceHeader did not change
    versions = fetch_all(url, "select subject from raw.documents__documents "
                         "where raw.version_source_ref(_chunk_id) = %s order by _loaded_at",
                    path.name)  # fmt: skip
    assert len(versions) == 2 and "(sửa)" in versions[1][0]
    current = fetch_all(
        url,
        "select c.subject from raw.documents__documents__current c join raw.documents__documents v "
        "using (document_id) where raw.version_source_ref(v._chunk_id) = %s",
        path.name,
    )
    assert {s for (s,) in current} == {versions[1][0]}


def test_a_run_killed_before_commit_leaves_no_ledger_and_the_rerun_quarantines_once(
    platform: Platform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = platform.databases.warehouse
    written = write_documents(tmp_path, DocumentsConfig(seed=3104, size=6, start=date(2023, 1, 2), days=30,
                                                        dirt="empty=1,truncated=1"))  # fmt: skip
    real_remember = inbox.remember

    def remember_then_die(*args: Any) -> None:
        real_remember(*args)
        raise RuntimeError("killed after the ledger was written")

    monkeypatch.setattr(inbox, "remember", remember_then_die)
    with pytest.raises(RuntimeError, match="killed"):
        load_inbox(url, tmp_path)
    names = list(written.files)
    assert fetch_all(url, "select count(*) from raw.documents__inbox_files where file_name = any(%s)", names) == [(0,)]

    monkeypatch.setattr(inbox, "remember", real_remember)
    documents, _ = load_inbox(url, tmp_path)
    assert documents.files_read == len(names)
    quarantined = fetch_all(url, "select source_ref, count(*) from audit.quarantine where source_ref = any(%s) "
                            "group by source_ref", names)  # fmt: skip
    assert quarantined and all(count == 1 for _, count in quarantined)
