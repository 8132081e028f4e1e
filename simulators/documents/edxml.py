"""edXML packages (QCVN 102:2016/BTTTT, amended by Circular 01/2022/TT-BTTTT), as text.

A document package is `<edXML>` (default namespace `NS`) holding an
`edXML:edXMLEnvelope` (header: MessageHeader, TraceHeaderList; body: the
manifest of attachments) and, outside the envelope, `AttachmentEncoded` with the
base64 attachments. A status package has an `edXML:Status` in its header instead
of a MessageHeader. Element names and date formats (`yyyy/MM/dd`, timestamps
`yyyy/MM/dd HH:mm:ss`) follow the published SDK examples of the standard.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from xml.sax.saxutils import escape

from simulators.documents.content import STATUS, Document

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
XLINK = "http://www.w3.org/1999/xlink"
PRIORITY = ("Thường", "Khẩn", "Thượng khẩn", "Hỏa tốc")


def ymd(day: date) -> str:
    return f"{day:%Y/%m/%d}"


def stamp(moment: datetime) -> str:
    return f"{moment:%Y/%m/%d %H:%M:%S}"


def _el(name: str, value: object) -> str:
    return f"<edXML:{name}>{escape(str(value))}</edXML:{name}>"


def _organ(tag: str, organ: tuple[str, str, str], name: str | None = None) -> str:
    return (f"<edXML:{tag}>{_el('OrganId', organ[0])}{_el('OrganizationInCharge', name or organ[1])}"
            f"{_el('OrganName', name or organ[1])}</edXML:{tag}>")  # fmt: skip


def attachment_bytes(doc: Document) -> bytes:
    """A tiny stand-in PDF: enough to have real base64 content."""
    return f"%PDF-1.4\n% {doc.number}/{doc.notation}\n%%EOF\n".encode()


def document(doc: Document, subject: str | None = None, sender_name: str | None = None,
             promulgated: str | None = None, due: str | None = None) -> str:  # fmt: skip
    """The package for a document; the keyword arguments override values (the dirt)."""
    name = f"{doc.number}-{doc.notation}.pdf".replace("/", "-")
    content_id = f"{doc.message_id[:8]}-{doc.message_id[8:12]}-{doc.message_id[12:16]}"
    due_text = due or (ymd(doc.due) if doc.due else "")
    header = "".join([
        _organ("From", doc.sender, sender_name), _organ("To", doc.receiver),
        f"<edXML:Code>{_el('CodeNumber', doc.number)}{_el('CodeNotation', doc.notation)}</edXML:Code>",
        f"<edXML:PromulgationInfo>{_el('Place', 'Đà Nẵng')}"
        f"{_el('PromulgationDate', promulgated or ymd(doc.promulgated))}</edXML:PromulgationInfo>",
        f"<edXML:DocumentType>{_el('Type', doc.type[0])}{_el('TypeName', doc.type[1])}</edXML:DocumentType>",
        _el("Subject", subject or doc.subject), _el("Content", subject or doc.subject),
        f"<edXML:SignerInfo>{_el('Competence', 'Trực tiếp')}{_el('Position', doc.position)}"
        f"{_el('FullName', doc.signer)}</edXML:SignerInfo>",
        _el("DueDate", due_text),
        f"<edXML:ToPlaces>{_el('Place', doc.receiver[1])}</edXML:ToPlaces>",
        f"<edXML:OtherInfo>{_el('Priority', doc.priority)}{_el('SphereOfPromulgation', 'Liên thông văn bản')}"
        f"{_el('TyperNotation', 'VT')}{_el('PromulgationAmount', 1)}{_el('PageAmount', doc.pages)}"
        f"</edXML:OtherInfo>",
        _el("SteeringType", doc.steering), _el("DocumentId", doc.document_id),
    ])  # fmt: skip
    trace = (f'<edXML:TraceHeaderList><edXML:TraceHeader>{_el("OrganId", doc.sender[0])}'
             f'{_el("Timestamp", stamp(doc.sent))}</edXML:TraceHeader></edXML:TraceHeaderList>')  # fmt: skip
    reference = (f'<edXML:Reference xmlns:xlink="{XLINK}" xlink:href="cid:{content_id}" xlink:type="simple">'
                 f"{_el('AttachmentName', name)}{_el('ContentType', 'application/pdf')}"
                 f"{_el('ContentId', 'cid:' + content_id)}</edXML:Reference>")  # fmt: skip
    encoded = base64.b64encode(attachment_bytes(doc)).decode()
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<edXML xmlns="{NS}">'
        f'<edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader>'
        f"<edXML:MessageHeader>{header}</edXML:MessageHeader>{trace}</edXML:edXMLHeader>"
        f'<edXML:edXMLBody><edXML:edXMLManifest version="1.0">{reference}</edXML:edXMLManifest>'
        f"</edXML:edXMLBody></edXML:edXMLEnvelope>"
        f"<AttachmentEncoded><Attachment><ContentType>application/pdf</ContentType>"
        f"<ContentId>{content_id}</ContentId><AttachmentName>{escape(name)}</AttachmentName>"
        f"<ContentTransferEncoded>{encoded}</ContentTransferEncoded></Attachment></AttachmentEncoded>"
        f"</edXML>\n"
    )


def status(doc: Document, code: str, moment: datetime, staff: str) -> str:
    """The status package the receiving agency sends back for one handling step."""
    response_for = (f"<edXML:ResponseFor>{_el('OrganId', doc.sender[0])}"
                    f"{_el('Code', f'{doc.number}/{doc.notation}')}{_el('PromulgationDate', ymd(doc.promulgated))}"
                    f"{_el('DocumentId', doc.document_id)}</edXML:ResponseFor>")  # fmt: skip
    body = (f"{response_for}{_organ('From', doc.receiver)}{_el('StatusCode', code)}"
            f"{_el('Description', STATUS[code])}{_el('Timestamp', stamp(moment))}"
            f"<edXML:StaffInfo>{_el('Department', 'Văn phòng')}{_el('Staff', staff)}</edXML:StaffInfo>")  # fmt: skip
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<edXML xmlns="{NS}">'
        f'<edXML:edXMLEnvelope xmlns:edXML="{NS}"><edXML:edXMLHeader><edXML:Status>{body}</edXML:Status>'
        f"</edXML:edXMLHeader><edXML:edXMLBody/></edXML:edXMLEnvelope></edXML>\n"
    )
