"""The one-stop streams, with the national portal's sync field names.

Of the Decision 766 fields, DuocThanhToanTrucTuyen, HoSoCoThanhPhanSoHoa and DuocTaiSuDung are names
seen in vendors' sync code for the national portal; MucDoDVC, TongPhiLePhi, CoKetQuaDienTu, NgayDongBo
and MucDoHaiLong are *unverified* (see simulators/onestop/indicators.py).
"""

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
        # What the Decision 766 indicators need; empty or absent: NULL (not reported), never quarantined.
        # Codes outside their list are quarantined: invalid_integer (not a number) or invalid_code (not listed).
        Field("online_level", "MucDoDVC", "int", pattern=r"^[34]$"),  # 4 toàn trình, 3 một phần
        # paid online: 1 on the national portal, 2 through the province's payment gateway, 0 not paid online
        Field("online_payment_code", "DuocThanhToanTrucTuyen", "int", pattern=r"^[012]$"),
        Field("fee_total_vnd", "TongPhiLePhi", "code", pattern=r"^[0-9]{1,15}$"),  # VND; beyond 32 bits: text
        Field("digitised_attachments_flag", "HoSoCoThanhPhanSoHoa", "int", pattern=r"^[01]$"),
        Field("electronic_result_flag", "CoKetQuaDienTu", "int", pattern=r"^[01]$"),
        Field("reused_data_flag", "DuocTaiSuDung", "int", pattern=r"^[01]$"),
        Field("synced_at", "NgayDongBo", "timestamp"),  # first sync to the national portal
        Field("satisfaction_rating", "MucDoHaiLong", "int", pattern=r"^[123]$"),  # 3 không hài lòng
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
