"""Read one edXML package (QCVN 102:2016) safely, whatever arrived in the inbox.

`defusedxml` refuses any DTD, so entities are never declared, let alone expanded
(billion laughs) or fetched (XXE): such a file is `unsafe_xml`. A file that is not
well-formed is `malformed_xml`, or `truncated_xml` when the parser ran out of input
(cut off, or still being written); a file with no content is `empty_file`.
Elements are matched by local name, so a vendor's namespace prefix does not matter.

The package is parsed as it streams from its file handle, a chunk at a time, and
the text of attachment content (`ContentTransferEncoded`, base64 that can run to
hundreds of MiB) is dropped as it arrives instead of being gathered into an
element: memory stays that of the header, whatever the file's size.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol
from xml.etree.ElementTree import Element, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

# expat errors raised only when the input ends too early (no element, token, char, CDATA)
_ENDED_EARLY = {3, 5, 6, 20}
# leaves that carry attachment content: their text is dropped as it arrives, so a large package stays small
_CONTENT = {"ContentTransferEncoded"}
CHUNK = 1 << 16  # bytes handed to the parser at a time


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


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


class _Builder(TreeBuilder):
    """The parser's tree, without the text of attachment content."""

    def __init__(self) -> None:
        super().__init__()
        self._in_content = 0

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self._in_content += _local(tag) in _CONTENT
        return super().start(tag, attrs)

    def end(self, tag: str) -> Element:
        self._in_content -= _local(tag) in _CONTENT
        return super().end(tag)

    def data(self, data: str) -> None:
        if not self._in_content:
            super().data(data)


def _parse(source: Readable) -> Element:
    parser = DefusedXMLParser(target=_Builder(), forbid_dtd=True)
    size, blank = 0, True
    try:
        while chunk := source.read(CHUNK):
            size += len(chunk)
            blank = blank and not chunk.strip()
            parser.feed(chunk)
        if blank:
            raise Refused("empty_file", f"{size} bytes")
        root: Element = parser.close()
    except DefusedXmlException as error:
        raise Refused("unsafe_xml", f"{type(error).__name__}: {error}") from None
    except ParseError as error:
        reason = "truncated_xml" if error.code in _ENDED_EARLY else "malformed_xml"
        raise Refused(reason, str(error)) from None
    except (ValueError, LookupError) as error:  # e.g. an encoding expat does not know
        raise Refused("malformed_xml", f"{type(error).__name__}: {error}") from None
    return root


def _find(parent: Element, name: str) -> Element | None:
    return next((child for child in parent if _local(child.tag) == name), None)


def read(source: bytes | Readable) -> Package:
    """The package's header values, trace and attachment count, from its bytes or, streaming, its file handle.

    Raises `Refused`. A handle is read to the end only if the package is well-formed.
    """
    root = _parse(io.BytesIO(source) if isinstance(source, bytes) else source)
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
