"""The business register's one stream, with the sector database's column names."""

from __future__ import annotations

from ingest.framework.stream import Field, Stream

SOURCE_SYSTEM = "sector_business"

ENTERPRISES = Stream(
    source_system=SOURCE_SYSTEM,
    name="enterprises",
    fields=(
        Field("enterprise_id", "ma_so_doanh_nghiep", "code", required=True, pattern="^[0-9]{10}$"),
        Field("enterprise_name", "ten_doanh_nghiep", "text", required=True),
        Field("legal_form", "loai_hinh", "text"),
        Field("address", "dia_chi", "text"),
        Field("commune_code", "ma_xa", "code", zero_pad=5),
        Field("registered_on", "ngay_dang_ky", "date"),
        Field("status", "tinh_trang", "text", required=True),
        # VND, up to tens of billions: beyond the framework's `int` (integer), so kept as
        # checked digits and cast to bigint in staging
        Field("charter_capital_vnd", "von_dieu_le", "code", pattern="^[0-9]+$"),
        Field("representative_name", "nguoi_dai_dien", "text"),
        Field("updated_at", "updated_at", "timestamp", required=True),  # local time, like every raw timestamp
    ),
    primary_key=("enterprise_id",),
    replication_key="updated_at",
)

STREAMS = {ENTERPRISES.name: ENTERPRISES}
