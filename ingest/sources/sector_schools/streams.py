"""The schools stream, with the education department's API field names."""

from __future__ import annotations

from ingest.framework.stream import Field, Stream

SOURCE_SYSTEM = "sector_schools"

SCHOOLS = Stream(
    source_system=SOURCE_SYSTEM,
    name="schools",
    fields=(
        Field("school_id", "ma_truong", "code", required=True),
        Field("school_name", "ten_truong", "text", required=True),
        Field("school_level", "cap_hoc", "text"),  # Mầm non | Tiểu học | THCS | THPT
        Field("commune_code", "ma_xa", "code", zero_pad=5),
        Field("pupil_count", "so_hoc_sinh", "int"),
        Field("updated_at", "updated_at", "timestamp", required=True),  # converted to local time on landing
    ),
    primary_key=("school_id",),
    replication_key="updated_at",
)

STREAMS = {SCHOOLS.name: SCHOOLS}
