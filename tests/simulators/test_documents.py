"""The document-management simulator: edXML files, their handling events, and their dirt."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from datetime import datetime
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
import pytest
from defusedxml import DefusedXmlException

from simulators.documents import NS, STATUS, DocumentsConfig, write_documents
from simulators.documents.config import DIRT_KINDS

E = f"{{{NS}}}"


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _header(root: Element) -> Element:
    found = root.find(f"{E}edXMLEnvelope/{E}edXMLHeader/{E}MessageHeader")
    assert found is not None
    return found


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    config = DocumentsConfig(seed=4, size=60, dirt="all")
    first = write_documents(tmp_path / "a", config)
    again = write_documents(tmp_path / "b", config)
    other = write_documents(tmp_path / "c", DocumentsConfig(seed=5, size=60, dirt="all"))
    assert _digests(first.folder) == _digests(again.folder) != _digests(other.folder)
    assert first.manifest_path and first.manifest_path.read_bytes() == again.manifest_path.read_bytes()


def test_clean_documents_are_well_formed_edxml(tmp_path: Path) -> None:
    written = write_documents(tmp_path, DocumentsConfig(seed=1, size=150))
    documents = [p for p in written.folder.glob("*.edxml") if not p.name.startswith("status-")]
    assert written.documents == len(documents) == 150
    ids, due_dates, statuses = set(), 0, Counter()
    for path in documents:
        header = _header(SafeET.parse(path).getroot())
        for tag in ("From/OrganId", "To/OrganId", "Code/CodeNumber", "PromulgationInfo/PromulgationDate",
                    "DocumentType/TypeName", "Subject", "SignerInfo/FullName", "OtherInfo/Priority",
                    "SteeringType", "DocumentId"):  # fmt: skip
            assert header.findtext("/".join(E + t for t in tag.split("/"))), tag
        datetime.strptime(header.findtext(f"{E}PromulgationInfo/{E}PromulgationDate"), "%Y/%m/%d")
        due_dates += bool(header.findtext(f"{E}DueDate"))
        ids.add(header.findtext(f"{E}DocumentId"))
        assert unicodedata.is_normalized("NFC", header.findtext(f"{E}Subject"))
        assert header.findtext(f"{E}From/{E}OrganId").split(".")[-1][0] in "GH"
    assert len(ids) == 150 and 40 < due_dates < 110
    for path in written.folder.glob("status-*.edxml"):
        status = SafeET.parse(path).getroot().find(f"{E}edXMLEnvelope/{E}edXMLHeader/{E}Status")
        assert status.findtext(f"{E}ResponseFor/{E}DocumentId") in ids
        statuses[status.findtext(f"{E}StatusCode")] += 1
    assert set(statuses) <= set(STATUS) and statuses["01"] > 50 and statuses["06"] > 30


def test_every_dirt_kind_is_in_the_manifest_and_in_the_files(tmp_path: Path) -> None:
    written = write_documents(tmp_path, DocumentsConfig(seed=2, size=400, dirt="all"))
    entries = [e.as_dict() for e in written.manifest]
    assert {e["kind"] for e in entries} == set(DIRT_KINDS)
    assert written.manifest_path == tmp_path / "_manifests" / "documents.jsonl"
    for entry in entries:
        path = written.folder / entry["file"]
        assert path.exists()
        kind = entry["kind"]
        if kind in ("empty", "truncated", "malformed"):
            if kind == "empty":
                assert path.stat().st_size == 0
            with pytest.raises(ParseError):
                SafeET.parse(path)
            continue
        if kind in ("xml_bomb", "xxe"):
            with pytest.raises(DefusedXmlException):
                SafeET.parse(path)
            text = path.read_text(encoding="utf-8")
            assert "<!ENTITY" in text and ("file:///etc/passwd" in text) == (kind == "xxe")
            continue
        header = _header(SafeET.parse(path).getroot())
        assert header.findtext(f"{E}DocumentId") == entry["key"]
        if kind == "duplicate":
            first = _header(SafeET.parse(written.folder / entry["detail"]["first"]).getroot())
            assert first.findtext(f"{E}DocumentId") == entry["key"] and entry["file"] != entry["detail"]["first"]
        elif kind == "nfd":
            value = header.findtext("/".join(E + t for t in entry["field"].split("/")))
            assert value != unicodedata.normalize("NFC", value)
        elif kind == "ddmmyyyy":
            tag = f"{E}PromulgationInfo/{E}PromulgationDate" if entry["field"] == "PromulgationDate" else f"{E}DueDate"
            datetime.strptime(header.findtext(tag), "%d/%m/%Y")


def test_the_xml_bomb_is_refused_by_defusedxml(tmp_path: Path) -> None:
    written = write_documents(tmp_path, DocumentsConfig(seed=3, size=5, dirt="xml_bomb,xxe"))
    for entry in written.manifest:
        with pytest.raises(DefusedXmlException):
            SafeET.fromstring((written.folder / entry.file).read_bytes())
