"""The health facilities stream; sources are the files' Vietnamese headers (NFC)."""

from __future__ import annotations

from ingest.framework.stream import Field, Stream

SOURCE_SYSTEM = "sector_health"

FACILITIES = Stream(
    source_system=SOURCE_SYSTEM,
    name="facilities",
    fields=(
        # Excel turns codes into numbers and drops their leading zeros: padded back, flagged
        Field("facility_id", "Mã cơ sở", "code", required=True, zero_pad=6, pattern="^[0-9]{6}$"),
        Field("facility_name", "Tên cơ sở", "text", required=True),
        Field("facility_type", "Loại hình", "text"),
        Field("address", "Địa chỉ", "text"),
        Field("commune_code", "Mã xã", "code", zero_pad=5),
        Field("bed_count", "Số giường", "int"),
        Field("updated_on", "Ngày cập nhật", "date", required=True),
    ),
    primary_key=("facility_id",),
    replication_key="updated_on",
)

STREAMS = {FACILITIES.name: FACILITIES}
