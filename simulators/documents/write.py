"""Write the documents and their status messages into `<inbox>/documents/*.edxml`, dirt included."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from pathlib import Path

from simulators.common.dirt import Picker
from simulators.common.manifest import Manifest
from simulators.common.people import person_name
from simulators.common.text import nfd
from simulators.documents import edxml
from simulators.documents.config import FOLDER, RECORD_KINDS, SOURCE, DocumentsConfig
from simulators.documents.content import Document, documents

BOMB = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE edXML [
 <!ENTITY lol "lol">
{levels}]>
<edXML xmlns="{ns}"><Subject>&lol9;</Subject></edXML>
"""
XXE = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
"""


@dataclass(frozen=True)
class Written:
    folder: Path
    documents: int  # distinct, well-formed documents
    files: tuple[str, ...]
    manifest: Manifest
    manifest_path: Path | None


def _bomb() -> str:
    levels = "".join(f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n' for i in range(1, 10))
    return BOMB.format(levels=levels, ns=edxml.NS)


def write_documents(inbox: Path, config: DocumentsConfig | None = None, manifest_path: Path | None = None) -> Written:
    """Write every file; the manifest goes to `manifest_path` (default `<inbox>/_manifests/documents.jsonl`)."""
    config = config or DocumentsConfig()
    folder = inbox / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    manifest, files, dirt = Manifest(), [], config.dirty
    rng = random.Random(config.seed * 31 + 5)
    picker = Picker(dirt, RECORD_KINDS)

    def put(name: str, data: bytes) -> str:
        (folder / name).write_bytes(data)
        files.append(name)
        return name

    count = 0
    for doc in documents(config):
        count += 1
        kind = picker.pick(rng.random())
        text = edxml.document(doc)
        where = {"key": doc.document_id}
        if kind == "nfd":
            text = edxml.document(doc, subject=nfd(doc.subject), sender_name=nfd(doc.sender[1]))
        elif kind == "ddmmyyyy":
            due = f"{doc.due:%d/%m/%Y}" if doc.due else None
            text = edxml.document(doc, promulgated=f"{doc.promulgated:%d/%m/%Y}", due=due)
        name = put(f"{doc.message_id}.edxml", text.encode())
        if kind == "nfd":
            for field in ("Subject", "From/OrganName"):
                manifest.add(SOURCE, kind, file=name, row=1, field=field, **where)
        elif kind == "ddmmyyyy":
            for field in ("PromulgationDate", "DueDate") if doc.due else ("PromulgationDate",):
                manifest.add(SOURCE, kind, file=name, row=1, field=field, **where)
        elif kind == "duplicate":
            again = put(f"{rng.getrandbits(128):032x}.edxml", text.encode())
            manifest.add(SOURCE, kind, file=again, row=1, detail={"first": name}, **where)
        for code, moment in doc.events:
            put(f"status-{doc.message_id}-{code}.edxml", edxml.status(doc, code, moment, person_name(rng)).encode())
    _file_dirt(config, put, manifest)
    if manifest_path is None:
        manifest_path = inbox / "_manifests" / f"{SOURCE}.jsonl"
    manifest.write(manifest_path)
    return Written(folder, count, tuple(files), manifest, manifest_path)


def _file_dirt(config: DocumentsConfig, put, manifest: Manifest) -> None:  # type: ignore[no-untyped-def]
    dirt = config.dirty
    kinds = ("malformed", "truncated", "empty", "xml_bomb", "xxe")
    wanted = sum(dirt.count(k) for k in kinds)
    extra: list[Document] = list(documents(replace(config, seed=config.seed + 1000, size=wanted, dirt="none")))
    for kind in kinds:
        for _ in range(dirt.count(kind)):
            doc = extra.pop()
            text = edxml.document(doc)
            key: str | None = doc.document_id
            if kind == "malformed":
                data = text.replace("</edXML:Subject>", " &amp; phụ lục & bảng biểu</edXML:Subject>", 1)
                data = data.replace("</edXML:MessageHeader>", "", 1).encode()
            elif kind == "truncated":
                data = text.encode()[: len(text.encode()) * 3 // 5]
            elif kind == "empty":
                data, key = b"", None
            elif kind == "xml_bomb":
                data, key = _bomb().encode(), None
            else:
                data = (XXE + text.split("\n", 1)[1].replace(edxml.escape(doc.subject), "&xxe;", 1)).encode()
            name = put(f"{doc.message_id}.edxml", data)
            manifest.add(SOURCE, kind, file=name, key=key)
