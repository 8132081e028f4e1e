"""The document-management streams. Source names are edXML element paths, relative to
the package's `MessageHeader` (documents) or `Status` (events), so a quarantined
field names the element at fault."""

from __future__ import annotations

from ingest.framework.stream import Field, Stream

SOURCE_SYSTEM = "documents"
TRACE_STATUS = "00"  # ours, not the standard's: a TraceHeader hop (the organ sent the package)

DOCUMENTS = Stream(
    source_system=SOURCE_SYSTEM,
    name="documents",
    fields=(
        Field("document_id", "DocumentId", "code", required=True),
        Field("from_organ_id", "From/OrganId", "code", required=True),
        Field("from_organ_name", "From/OrganName", "text"),
        Field("to_organ_id", "To/OrganId", "code"),  # the first recipient; `to_organ_count` says how many
        Field("to_organ_name", "To/OrganName", "text"),
        Field("to_organ_count", "To#count", "int"),
        Field("code_number", "Code/CodeNumber", "code"),
        Field("code_notation", "Code/CodeNotation", "code"),
        Field("promulgation_place", "PromulgationInfo/Place", "text"),
        Field("promulgated_on", "PromulgationInfo/PromulgationDate", "date"),
        Field("document_type_code", "DocumentType/Type", "code"),
        Field("document_type_name", "DocumentType/TypeName", "text"),
        Field("subject", "Subject", "text"),
        Field("signer_name", "SignerInfo/FullName", "text"),
        Field("signer_position", "SignerInfo/Position", "text"),
        Field("priority", "OtherInfo/Priority", "int"),
        Field("page_amount", "OtherInfo/PageAmount", "int"),
        Field("steering_type", "SteeringType", "int"),
        Field("due_on", "DueDate", "date"),
        Field("attachment_count", "Attachment#count", "int"),
        # the last TraceHeader: when the package left its last sender; a resent document wins by it
        Field("sent_at", "TraceHeader/Timestamp", "timestamp", required=True),
        Field("sent_by_organ_id", "TraceHeader/OrganId", "code"),
    ),
    primary_key=("document_id",),
    replication_key="sent_at",
)

DOCUMENT_EVENTS = Stream(
    source_system=SOURCE_SYSTEM,
    name="document_events",
    fields=(
        Field("document_id", "DocumentId", "code", required=True),
        Field("organ_id", "OrganId", "code", required=True),
        Field("organ_name", "OrganName", "text"),
        Field("status_code", "StatusCode", "code", required=True, pattern="^[0-9]{2}$"),
        Field("event_at", "Timestamp", "timestamp", required=True),
        Field("description", "Description", "text"),
        Field("staff_name", "StaffInfo/Staff", "text"),
    ),
    primary_key=("document_id", "organ_id", "status_code", "event_at"),
    replication_key="event_at",
)

STREAMS = {s.name: s for s in (DOCUMENTS, DOCUMENT_EVENTS)}
