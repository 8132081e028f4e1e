"""The registrations stream, with the civil-status register's API field names."""

from __future__ import annotations

from ingest.framework.stream import Field, Stream

SOURCE_SYSTEM = "sector_civil_status"

REGISTRATIONS = Stream(
    source_system=SOURCE_SYSTEM,
    name="registrations",
    fields=(
        Field("registration_number", "so_dang_ky", "code", required=True),  # KS-2025-000123
        Field("event_kind", "loai_su_kien", "code", required=True, pattern="^(khai_sinh|khai_tu|ket_hon)$"),
        Field("registered_on", "ngay_dang_ky", "date", required=True),
        Field("event_on", "ngay_su_kien", "date"),  # birth, death; a marriage is made on its registration day
        # the commune as of the registration: records before 2025-07-01 keep their pre-2025 code
        Field(
            "commune_code", "ma_xa_dang_ky", "code", required=True, zero_pad=5, pattern="^[0-9]{5}$", catalog="commune"
        ),
        Field("registration_office", "noi_dang_ky", "text"),  # UBND phường Hải Châu
        Field("full_name", "ho_ten", "text"),  # the child, the deceased, or one of the spouses
        Field("gender_code", "gioi_tinh", "code", catalog="gender"),  # ISO/IEC 5218: 1 male, 2 female
        Field("spouse_name", "ten_vo_chong", "text"),  # marriages only
        Field("updated_at", "updated_at", "timestamp", required=True),  # converted to local time on landing
    ),
    primary_key=("registration_number",),
    replication_key="updated_at",
)

STREAMS = {REGISTRATIONS.name: REGISTRATIONS}
