"""The dataset registry: one declaration per shared dataset, the one source of truth about it.

A declaration says what the dataset is (titles and descriptions in Vietnamese and English, owner
agency, update frequency, licence), where its rows come from (a relation the API's role may read),
its key (unique, never null: the stable order of every pull) and its data dictionary: every column
with its type and a Vietnamese description, which columns hold personal data (masked unless a grant
names them), which may be filtered on, and which carry the agency or commune a row scope reads.

Every published catalog is a dataset too (`catalog-<name>`), derived from the warehouse's list of
catalogs by `catalog_dataset`: its rows are the published code versions (drafts never), every
version or those valid on a date (`?on=`). Everything else is derived from these declarations: the
listing, the HTML page, the DCAT catalog, the publication step's `sharing.datasets` rows, the
queries. Adding a dataset is one declaration in `INTEGRATED` (and a grant for whoever may pull it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import psycopg

SqlType = Literal["text", "bigint", "integer", "numeric", "boolean", "date", "timestamp", "timestamptz", "jsonb"]
Frequency = Literal["continuous", "daily", "weekly", "irregular"]
_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,62}")
_COLUMN = re.compile(r"[a-z_][a-z0-9_]{0,62}")


@dataclass(frozen=True)
class Column:
    name: str
    type: SqlType
    description_vi: str
    personal: bool = False  # personal data: masked ("***") unless the client's grant names the column
    filterable: bool = False  # `filter[name]=value` is allowed

    def __post_init__(self) -> None:
        if not _COLUMN.fullmatch(self.name):
            raise ValueError(f"column name {self.name!r} must be a lowercase SQL identifier")
        if self.personal and (self.filterable or self.type != "text"):
            raise ValueError(f"personal column {self.name} must be text and not filterable")


@dataclass(frozen=True)
class Licence:
    id: str
    uri: str
    label_vi: str
    label_en: str


LICENCES = {
    "cc-by-4.0": Licence(
        "cc-by-4.0",
        "https://creativecommons.org/licenses/by/4.0/",
        "Giấy phép Creative Commons Ghi công 4.0",
        "Creative Commons Attribution 4.0",
    ),
    "nd47-sharing": Licence(
        "nd47-sharing",
        "urn:vn:nghi-dinh:47-2020-nd-cp:chia-se-du-lieu",
        "Chia sẻ giữa cơ quan nhà nước theo Nghị định 47/2020/NĐ-CP; chỉ dùng cho mục đích được cấp quyền",
        "Sharing between state agencies under Decree 47/2020/ND-CP; for the granted purpose only",
    ),
}


@dataclass(frozen=True)
class Dataset:
    id: str
    title_vi: str
    title_en: str
    description_vi: str
    description_en: str
    relation: str  # schema.name, readable by the API's role
    key: str  # unique, never null: every pull is ordered by it
    columns: tuple[Column, ...]
    owner_agency_code: str
    owner_agency_name: str
    frequency: Frequency
    licence: str
    keywords: tuple[str, ...] = ()
    agency_column: str | None = None  # an agency-subtree grant reads it
    commune_column: str | None = None  # an administrative-unit grant reads it
    part: tuple[str, str] | None = None  # (column, value): one catalog of sharing.catalog_codes
    is_catalog: bool = False  # catalogs also answer `?on=` (versions valid on a date)

    def __post_init__(self) -> None:
        if not _ID.fullmatch(self.id):
            raise ValueError(f"dataset id {self.id!r} must be lowercase letters, digits and hyphens")
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"dataset {self.id}: a column is declared twice")
        for needed in (self.key, self.agency_column, self.commune_column, self.part and self.part[0]):
            if needed and needed not in names:
                raise ValueError(f"dataset {self.id}: {needed} is not a declared column")
        if self.column(self.key).personal:
            raise ValueError(f"dataset {self.id}: the key cannot be personal data")
        if self.licence not in LICENCES:
            raise ValueError(f"dataset {self.id}: unknown licence {self.licence}")

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def key_column(self) -> Column:
        return self.column(self.key)

    @property
    def personal_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.personal)

    @property
    def filterable_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.filterable)

    @property
    def tracked_columns(self) -> tuple[str, ...]:
        """Kept per key by the publication step: what a client's scope, filters and `on` read, so that
        an incremental pull can tell a client which of its rows left its view (tombstones)."""
        names = [self.agency_column, self.commune_column, *self.filterable_columns]
        if self.is_catalog:
            names += ["state", "valid_from", "valid_to"]
        return tuple(dict.fromkeys(n for n in names if n and n != self.key))

    @property
    def row_scopes(self) -> tuple[str, ...]:
        """The row scopes a grant on this dataset may use."""
        return ("all",) + (("agency",) if self.agency_column else ()) + (("admin_unit",) if self.commune_column else ())


def _c(name: str, type_: SqlType, description_vi: str, **flags: bool) -> Column:
    return Column(name, type_, description_vi, **flags)


DATA_CENTRE = ("000.00.10.H17", "Sở Khoa học và Công nghệ (Trung tâm dữ liệu tỉnh)")

_DOSSIER_COLUMNS = (
    _c("dossier_id", "text", "Mã hồ sơ thủ tục hành chính (duy nhất)"),
    _c("procedure_code", "text", "Mã thủ tục hành chính (mã quốc gia, danh mục procedure)", filterable=True),
    _c("agency_code", "text", "Mã cơ quan tiếp nhận, giải quyết (danh mục agency)", filterable=True),
    _c("agency_rank", "bigint", "Thứ hạng cơ quan theo số hồ sơ (1 = nhiều hồ sơ nhất)"),
    _c("channel_code", "integer", "Mã kênh thực hiện (danh mục channel)", filterable=True),
    _c("channel_name", "text", "Tên kênh thực hiện"),
    _c("status_code", "integer", "Mã trạng thái hồ sơ (danh mục dossier_status)", filterable=True),
    _c("status_name", "text", "Tên trạng thái hồ sơ"),
    _c("commune_code", "text", "Mã xã, phường nơi nộp hồ sơ (danh mục commune)", filterable=True),
    _c("received_at", "timestamp", "Thời điểm tiếp nhận (giờ Việt Nam)"),
    _c("due_at", "timestamp", "Thời điểm hẹn trả kết quả (giờ Việt Nam)"),
    _c("finished_at", "timestamp", "Thời điểm có kết quả (giờ Việt Nam)"),
    _c("timeliness", "text", "Tình trạng đúng hạn, quá hạn", filterable=True),
    _c("is_on_time", "boolean", "Giải quyết đúng hạn"),
    _c("supplement_requests", "bigint", "Số lần yêu cầu bổ sung hồ sơ"),
    _c("received_on", "date", "Ngày tiếp nhận", filterable=True),
    _c("agency_name", "text", "Tên cơ quan theo danh mục tại ngày tiếp nhận"),
)

_SCORE_COLUMNS = (
    _c("score_id", "text", "Mã dòng điểm (loại kỳ, ngày đầu kỳ, đơn vị, nhóm chỉ tiêu; duy nhất)"),
    _c("period_kind", "text", "Loại kỳ: month (tháng), quarter (quý), year (năm)", filterable=True),
    _c("period_label", "text", "Tên kỳ (Tháng 11/2026, Quý 4/2026, Năm 2026)"),
    _c("period_start_on", "date", "Ngày đầu kỳ", filterable=True),
    _c("period_end_on", "date", "Ngày cuối kỳ"),
    _c("is_closed", "boolean", "Kỳ đã kết thúc (điểm không còn thay đổi theo ngày)"),
)
_SCORE_MEASURES = (
    _c("group_code", "text", "Mã nhóm chỉ tiêu Quyết định 766 (total: tổng điểm)", filterable=True),
    _c("group_name", "text", "Tên nhóm chỉ tiêu"),
    _c("points", "numeric", "Điểm đạt được trên các chỉ tiêu đã đo"),
    _c("measured_max_points", "numeric", "Điểm tối đa của các chỉ tiêu đã đo"),
    _c("not_measured_max_points", "numeric", "Điểm tối đa của các chỉ tiêu chưa đo được (không tính là 0)"),
    _c("max_points", "numeric", "Điểm tối đa của nhóm"),
    _c("score_rank", "integer", "Thứ hạng theo tổng điểm trong kỳ (1 = cao nhất)"),
)
_SCORECARD = (
    "000.00.30.H17",
    "Trung tâm Phục vụ hành chính công thành phố",
    "daily",
    "nd47-sharing",
)

INTEGRATED: tuple[Dataset, ...] = (
    Dataset(
        "dossiers",
        "Hồ sơ thủ tục hành chính",
        "Administrative-procedure dossiers",
        "Mỗi dòng là một hồ sơ thủ tục hành chính trên hệ thống một cửa điện tử: cơ quan giải quyết, "
        "thủ tục, kênh nộp, trạng thái và tình trạng đúng hạn. Không có thông tin cá nhân.",
        "One row per administrative-procedure dossier of the one-stop system: handling agency, procedure, "
        "channel, status and timeliness. No personal data.",
        "marts.fct_dossiers",
        "dossier_id",
        _DOSSIER_COLUMNS,
        "000.00.30.H17",
        "Trung tâm Phục vụ hành chính công thành phố",
        "daily",
        "nd47-sharing",
        ("thủ tục hành chính", "một cửa", "hồ sơ"),
        agency_column="agency_code",
        commune_column="commune_code",
    ),
    Dataset(
        "dossier-applicants",
        "Hồ sơ thủ tục hành chính kèm thông tin người nộp",
        "Administrative-procedure dossiers with their applicants",
        "Như bộ dữ liệu hồ sơ, thêm số biên nhận, họ tên và địa chỉ người nộp. Họ tên và địa chỉ là dữ liệu "
        "cá nhân: chỉ trả về khi quyền khai thác ghi rõ các cột này, nếu không được che (***).",
        "As the dossiers dataset, plus the receipt number and the applicant's name and address. Name and "
        "address are personal data: returned only where the grant names those columns, masked (***) otherwise.",
        "sharing.fct_dossier_applicants",
        "dossier_id",
        (
            _c("dossier_id", "text", "Mã hồ sơ thủ tục hành chính (duy nhất)"),
            _c("procedure_code", "text", "Mã thủ tục hành chính (mã quốc gia, danh mục procedure)", filterable=True),
            _c("agency_code", "text", "Mã cơ quan tiếp nhận, giải quyết (danh mục agency)", filterable=True),
            _c("agency_name", "text", "Tên cơ quan theo danh mục tại ngày tiếp nhận"),
            _c("channel_code", "integer", "Mã kênh thực hiện (danh mục channel)", filterable=True),
            _c("status_code", "integer", "Mã trạng thái hồ sơ (danh mục dossier_status)", filterable=True),
            _c("commune_code", "text", "Mã xã, phường nơi nộp hồ sơ (danh mục commune)", filterable=True),
            _c("receipt_number", "text", "Số biên nhận hồ sơ"),
            _c("applicant_type_code", "integer", "Loại người nộp (1 cá nhân, 2 tổ chức)", filterable=True),
            _c("applicant_name", "text", "Họ và tên người nộp hồ sơ (dữ liệu cá nhân)", personal=True),
            _c("applicant_address", "text", "Địa chỉ người nộp hồ sơ (dữ liệu cá nhân)", personal=True),
            _c("received_at", "timestamp", "Thời điểm tiếp nhận (giờ Việt Nam)"),
            _c("due_at", "timestamp", "Thời điểm hẹn trả kết quả (giờ Việt Nam)"),
            _c("finished_at", "timestamp", "Thời điểm có kết quả (giờ Việt Nam)"),
            _c("timeliness", "text", "Tình trạng đúng hạn, quá hạn", filterable=True),
            _c("received_on", "date", "Ngày tiếp nhận", filterable=True),
        ),
        "000.00.30.H17",
        "Trung tâm Phục vụ hành chính công thành phố",
        "daily",
        "nd47-sharing",
        ("thủ tục hành chính", "người nộp hồ sơ", "dữ liệu cá nhân"),
        agency_column="agency_code",
        commune_column="commune_code",
    ),
    Dataset(
        "documents",
        "Văn bản đến, đi và tình hình xử lý",
        "Official documents and how they were handled",
        "Mỗi dòng là một văn bản điện tử (edXML) với cơ quan xử lý (nơi nhận đầu tiên), ngày nhận, hạn xử lý, "
        "đã xử lý chưa và có đúng hạn không.",
        "One row per electronic official document (edXML) with its handling agency (the first recipient), "
        "when it was received and is due, whether it was handled, and whether on time.",
        "marts.fct_documents",
        "document_id",
        (
            _c("document_id", "text", "Mã văn bản (cơ quan ban hành, ngày, số ký hiệu)"),
            _c("agency_id", "text", "Mã cơ quan xử lý (nơi nhận đầu tiên)", filterable=True),
            _c("sender_agency_id", "text", "Mã cơ quan ban hành", filterable=True),
            _c("sender_agency_name", "text", "Tên cơ quan ban hành"),
            _c("direction", "text", "Chiều văn bản: incoming (đến), outgoing (đi)", filterable=True),
            _c("is_to_province", "boolean", "Gửi đến cơ quan trong tỉnh"),
            _c("document_type_name", "text", "Loại văn bản", filterable=True),
            _c("priority_code", "integer", "Mức độ khẩn"),
            _c("subject", "text", "Trích yếu nội dung"),
            _c("promulgated_on", "date", "Ngày ban hành"),
            _c("due_on", "date", "Hạn xử lý"),
            _c("handled_at", "timestamp", "Thời điểm xử lý xong (giờ Việt Nam)"),
            _c("agency_name", "text", "Tên cơ quan xử lý"),
            _c("received_at", "timestamp", "Thời điểm nhận (giờ Việt Nam)"),
            _c("is_handled", "boolean", "Đã xử lý xong"),
            _c("is_refused", "boolean", "Bị từ chối tiếp nhận"),
            _c("has_due_date", "boolean", "Có hạn xử lý"),
            _c("is_overdue", "boolean", "Quá hạn"),
            _c("received_on", "date", "Ngày nhận", filterable=True),
            _c("handled_on", "date", "Ngày xử lý xong"),
            _c("is_handled_on_time", "boolean", "Xử lý đúng hạn"),
            _c("timeliness", "text", "Tình trạng xử lý hiển thị cho lãnh đạo", filterable=True),
        ),
        "000.00.01.H17",
        "Văn phòng Ủy ban nhân dân thành phố",
        "daily",
        "nd47-sharing",
        ("văn bản", "quản lý văn bản", "edXML"),
        agency_column="agency_id",
    ),
    Dataset(
        "sector-indicators-by-commune",
        "Chỉ tiêu ngành theo xã, phường",
        "Sector indicators by commune",
        "Mỗi dòng là một mã xã, phường với số doanh nghiệp đang hoạt động, cơ sở y tế và giường bệnh, "
        "trường học và học sinh, từ các hệ thống chuyên ngành. Mã xã theo báo cáo của ngành (có thể là mã "
        "trước 01/07/2025).",
        "One row per commune code with operating enterprises, health facilities and beds, schools and pupils, "
        "from the sector systems. Codes as the sectors report them (possibly from before 2025-07-01).",
        "marts.fct_sector_indicators_by_commune",
        "commune_code",
        (
            _c("commune_code", "text", "Mã xã, phường (5 chữ số)"),
            _c("active_enterprise_count", "bigint", "Số doanh nghiệp đang hoạt động"),
            _c("enterprise_count", "bigint", "Số doanh nghiệp đã đăng ký"),
            _c("health_facility_count", "bigint", "Số cơ sở y tế"),
            _c("health_facility_bed_count", "bigint", "Số giường bệnh của các cơ sở y tế"),
            _c("school_count", "bigint", "Số trường học"),
            _c("pupil_count", "bigint", "Số học sinh"),
        ),
        *DATA_CENTRE,
        "daily",
        "nd47-sharing",
        ("doanh nghiệp", "y tế", "giáo dục", "chỉ tiêu theo xã"),
        commune_column="commune_code",
    ),
    Dataset(
        "d766-agency-scores",
        "Điểm Bộ chỉ số phục vụ người dân, doanh nghiệp theo cơ quan (Quyết định 766)",
        "Decision 766 service scorecard by agency",
        "Điểm theo từng nhóm chỉ tiêu và tổng điểm của mỗi cơ quan theo Quyết định 766/QĐ-TTg, theo tháng, "
        "quý và năm, với thứ hạng trong kỳ. Chỉ tiêu chưa đo được không tính là 0: điểm tối đa của chúng "
        "ghi riêng. Kỳ chưa kết thúc thay đổi theo từng ngày.",
        "Each agency's Decision 766 scores per indicator group and in total, by month, quarter and year, with "
        "its rank in the period. Indicators not measurable here do not count as zero: their maximum points are "
        "given apart. A period not yet closed changes day by day.",
        "sharing.shared_d766_agency_scores",
        "score_id",
        (
            *_SCORE_COLUMNS,
            _c("agency_code", "text", "Mã cơ quan (danh mục agency)", filterable=True),
            _c("agency_name", "text", "Tên cơ quan"),
            _c("parent_agency_code", "text", "Mã cơ quan cấp trên", filterable=True),
            *_SCORE_MEASURES,
        ),
        *_SCORECARD,
        ("Quyết định 766", "bộ chỉ số", "chỉ đạo điều hành", "cơ quan"),
        agency_column="agency_code",
    ),
    Dataset(
        "d766-commune-scores",
        "Điểm Bộ chỉ số phục vụ người dân, doanh nghiệp theo xã, phường (Quyết định 766)",
        "Decision 766 service scorecard by commune",
        "Điểm theo từng nhóm chỉ tiêu và tổng điểm của mỗi xã, phường theo Quyết định 766/QĐ-TTg, theo tháng, "
        "quý và năm, với thứ hạng giữa các xã cùng địa giới. Mỗi kỳ có hai bộ dòng: theo địa giới sau "
        "1/7/2025 và theo địa giới trước đó (cột boundary); chọn một khi cộng điểm.",
        "Each commune's Decision 766 scores per indicator group and in total, by month, quarter and year, with "
        "its rank among the communes of the same boundary. Each period is listed twice: under the boundaries "
        "after 2025-07-01 and under those before (column boundary); pick one before adding up.",
        "sharing.shared_d766_commune_scores",
        "score_id",
        (
            *_SCORE_COLUMNS,
            _c("boundary", "text", "Địa giới: 'Sau 1/7/2025' hoặc 'Trước 1/7/2025'", filterable=True),
            _c("admin_unit_code", "text", "Mã xã, phường (5 chữ số, theo địa giới của dòng)", filterable=True),
            _c("admin_unit_name", "text", "Tên xã, phường"),
            *_SCORE_MEASURES,
        ),
        *_SCORECARD,
        ("Quyết định 766", "bộ chỉ số", "xã, phường", "địa giới hành chính"),
        commune_column="admin_unit_code",
    ),
)

CATALOG_COLUMNS = (
    _c("version_id", "bigint", "Mã phiên bản (duy nhất; mỗi lần đổi tên, giải thể, sáp nhập là một phiên bản)"),
    _c("catalog", "text", "Tên danh mục"),
    _c("code", "text", "Mã trong danh mục (mã dùng chung)", filterable=True),
    _c("name", "text", "Tên"),
    _c("state", "text", "Trạng thái: active, retired, superseded, merged", filterable=True),
    _c("valid_from", "date", "Có hiệu lực từ ngày (trống: từ trước khi có dữ liệu)"),
    _c("valid_to", "date", "Hết hiệu lực từ ngày (trống: đang có hiệu lực)"),
    _c("parent_catalog", "text", "Danh mục của mã cấp trên"),
    _c("parent_code", "text", "Mã cấp trên", filterable=True),
    _c("attributes", "jsonb", "Thuộc tính khác (loại đơn vị, cấp, ...)"),
    _c("legal_source", "text", "Căn cứ pháp lý"),
    _c("source", "text", "Nguồn ghi nhận (gói dữ liệu, tệp khởi tạo, đề xuất)"),
    _c("recorded_at", "timestamptz", "Thời điểm ghi nhận phiên bản"),
)


def catalog_dataset_id(catalog: str) -> str:
    return "catalog-" + catalog.replace("_", "-")


def catalog_dataset(catalog: str, name_vi: str, name_en: str) -> Dataset:
    """One published catalog as a dataset: its published code versions (drafts never)."""
    return Dataset(
        catalog_dataset_id(catalog),
        f"Danh mục dùng chung: {name_vi}",
        f"Shared master catalog: {name_en}",
        f"Các phiên bản mã đã công bố của danh mục «{name_vi}» (mã dùng chung, bắt buộc dùng khi chia sẻ dữ "
        "liệu). Mặc định: mọi phiên bản; tham số on=YYYY-MM-DD: các mã có hiệu lực tại ngày đó.",
        f"The published code versions of the catalog “{name_en}” (the master codes every exchange must use). "
        "By default every version; on=YYYY-MM-DD: the codes valid on that day.",
        "sharing.catalog_codes",
        "version_id",
        CATALOG_COLUMNS,
        *DATA_CENTRE,
        "irregular",
        "cc-by-4.0",
        ("danh mục dùng chung", catalog),
        part=("catalog", catalog),
        is_catalog=True,
    )


def catalog_datasets(conn: psycopg.Connection) -> list[Dataset]:
    """Every catalog of the warehouse as a dataset (from sharing.catalogs: owner or API role alike)."""
    rows = conn.execute("select catalog, name_vi, name_en from sharing.catalogs order by catalog").fetchall()
    return [catalog_dataset(*row) for row in rows]


def all_datasets(conn: psycopg.Connection) -> list[Dataset]:
    return [*INTEGRATED, *catalog_datasets(conn)]


def by_id(datasets: list[Dataset]) -> dict[str, Dataset]:
    return {d.id: d for d in datasets}
