"""The one-stop streams, with the national portal's sync field names."""

from __future__ import annotations

from ingest.framework.stream import Field, Stream

SOURCE_SYSTEM = "onestop"

DOSSIERS = Stream(
    source_system=SOURCE_SYSTEM,
    name="dossiers",
    fields=(
        Field("dossier_id", "MaHoSo", "code", required=True),
        Field("receipt_number", "SoBienNhan", "code"),
        Field("procedure_code", "MaTTHC", "code", required=True, catalog="procedure"),
        Field("field_code", "MaLinhVuc", "code", catalog="field"),
        Field("applicant_name", "ChuHoSo", "text"),
        Field("applicant_type", "LoaiDoiTuong", "int"),
        Field("address", "DiaChi", "text"),
        Field("commune_code", "MaXa", "code", zero_pad=5, catalog="commune"),
        Field("received_at", "NgayTiepNhan", "timestamp"),  # empty while status 1 (registered online)
        Field("due_at", "NgayHenTra", "timestamp"),
        Field("finished_at", "NgayKetThucXuLy", "timestamp"),
        Field("status_code", "TrangThaiHoSo", "int", required=True, catalog="dossier_status"),
        Field("channel_code", "KenhThucHien", "int", catalog="channel"),
        Field("agency_code", "DonViXuLy", "code", required=True, catalog="agency"),
        Field("updated_at", "NgayCapNhat", "timestamp", required=True),
    ),
    primary_key=("dossier_id",),
    replication_key="updated_at",
)

DOSSIER_EVENTS = Stream(
    source_system=SOURCE_SYSTEM,
    name="dossier_events",
    fields=(
        Field("dossier_id", "MaHoSo", "code", required=True),
        Field("status_code", "TrangThaiHoSo", "int", required=True),
        Field("event_at", "ThoiGian", "timestamp", required=True),
        Field("note", "GhiChu", "text"),
    ),
    primary_key=("dossier_id", "event_at", "status_code"),
    replication_key="event_at",
)

STREAMS = {s.name: s for s in (DOSSIERS, DOSSIER_EVENTS)}
