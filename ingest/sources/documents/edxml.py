"""Read one edXML package (QCVN 102:2016) safely, whatever arrived in the inbox.

`defusedxml` refuses any DTD, so entities are never declared, let alone expanded
(billion laughs) or fetched (XXE): such a file is `unsafe_xml`. A file that is not
well-formed is `malformed_xml`, or `truncated_xml` when the parser ran out of input
(cut off, or still being written); a file with no content is `empty_file`.
Elements are matched by local name, so a vendor's namespace prefix does not matter.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

# expat errors raised only when the input ends too early (no element, token, char, CDATA)
_ENDED_EARLY = {3, 5, 6, 20}
# leaves that carry attachment content: dropped as soon as read, so a large package stays small
_CONTENT = {"ContentTransferEncoded"}


class Refused(Exception):
    """The file cannot be read as an edXML package; `reason` goes to the quarantine."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass
class Package:
    kind: Literal["document", "status", "unknown"] = "unknown"
    values: dict[str, str] = field(default_factory=dict)  # header leaf path -> its first text
    counts: Counter[str] = field(default_factory=Counter)  # header child element -> how many
    traces: list[dict[str, str]] = field(default_factory=list)  # TraceHeaders, in order
    attachments: int = 0


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _leaves(element: Element, prefix: str = "") -> Iterator[tuple[str, str]]:
    for child in element:
        path = prefix + _local(child.tag)
        if len(child):
            yield from _leaves(child, path + "/")
        else:
            yield path, (child.text or "").strip()


def _parse(data: bytes) -> Element:
    if not data.strip():
        raise Refused("empty_file", f"{len(data)} bytes")
    root = None
    try:
        for _event, element in iterparse(io.BytesIO(data), events=("end",), forbid_dtd=True):
            if _local(element.tag) in _CONTENT:
                element.clear()
            root = element
    except DefusedXmlException as error:
        raise Refused("unsafe_xml", f"{type(error).__name__}: {error}") from None
    except ParseError as error:
        reason = "truncated_xml" if error.code in _ENDED_EARLY else "malformed_xml"
        raise Refused(reason, str(error)) from None
    except (ValueError, LookupError) as error:  # e.g. an encoding expat does not know
        raise Refused("malformed_xml", f"{type(error).__name__}: {error}") from None
    assert root is not None  # the root's end event comes last
    return root


def _find(parent: Element, name: str) -> Element | None:
    return next((child for child in parent if _local(child.tag) == name), None)


def read(data: bytes) -> Package:
    """The package's header values, trace and attachment count; raises `Refused`."""
    root = _parse(data)
    package = Package()
    header = next((e for e in root.iter() if _local(e.tag) == "edXMLHeader"), None)
    if header is None:
        return package
    main = _find(header, "MessageHeader")
    status = _find(header, "Status") if main is None else None
    if main is not None or status is not None:
        package.kind = "document" if main is not None else "status"
        top = main if main is not None else status
        assert top is not None
        for path, text in _leaves(top):
            package.values.setdefault(path, text)
        package.counts.update(_local(child.tag) for child in top)
    trace_list = _find(header, "TraceHeaderList")
    if trace_list is not None:
        package.traces = [dict(_leaves(trace)) for trace in trace_list if _local(trace.tag) == "TraceHeader"]
    names = Counter(_local(e.tag) for e in root.iter() if _local(e.tag) in ("Reference", "Attachment"))
    package.attachments = names["Reference"] or names["Attachment"]  # the manifest, else the encoded parts
    return package
