"""From a read package to the streams' records: one document, or its events.

Values stay the text that arrived, except edXML's own date format `yyyy/MM/dd`,
which becomes ISO here: the framework's SQL would read it, but would also flag
every slash date as a repaired `day_first_date`. A `dd/MM/yyyy` date is left for
the SQL, which reads it and flags it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.sources.documents.edxml import Package
from ingest.sources.documents.streams import DOCUMENT_EVENTS, DOCUMENTS, TRACE_STATUS

Record = dict[str, str | None]
_EDXML_DATE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_DATED = {f.source for s in (DOCUMENTS, DOCUMENT_EVENTS) for f in s.fields if f.kind in ("date", "timestamp")}


def as_iso(text: str | None) -> str | None:
    if not text:
        return text
    match = _EDXML_DATE.match(text)
    if not match:
        return text
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}{text[match.end() :]}"


def typed_view(record: Record) -> Record:
    """The record the landing reads: dates in ISO; the original is kept as the payload."""
    return {k: as_iso(v) if k in _DATED else v for k, v in record.items()}


def document(package: Package) -> Record:
    values = package.values
    record: Record = {source: values.get(source) for source in DOCUMENTS.sources}
    last_hop = package.traces[-1] if package.traces else {}
    record["To#count"] = str(package.counts["To"])
    record["Attachment#count"] = str(package.attachments)
    record["TraceHeader/Timestamp"] = last_hop.get("Timestamp")
    record["TraceHeader/OrganId"] = last_hop.get("OrganId")
    return record


def events(package: Package) -> Iterator[Record]:
    """A status package is one event; a document package's TraceHeaders are `sent` events."""
    values = package.values
    if package.kind == "status":
        yield {
            "DocumentId": values.get("ResponseFor/DocumentId"),
            "OrganId": values.get("From/OrganId"),
            "OrganName": values.get("From/OrganName"),
            "StatusCode": values.get("StatusCode"),
            "Timestamp": values.get("Timestamp"),
            "Description": values.get("Description"),
            "StaffInfo/Staff": values.get("StaffInfo/Staff"),
        }
    elif package.kind == "document":
        sender = values.get("From/OrganId")
        for hop in package.traces:
            organ = hop.get("OrganId")
            yield {
                "DocumentId": values.get("DocumentId"),
                "OrganId": organ,
                "OrganName": values.get("From/OrganName") if organ and organ == sender else None,
                "StatusCode": TRACE_STATUS,
                "Timestamp": hop.get("Timestamp"),
                "Description": "TraceHeader",
                "StaffInfo/Staff": None,
            }
