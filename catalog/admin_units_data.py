"""Reading the administrative units from the two PyPI packages (nothing is copied into the repo).

- `vietnam-provinces`: the units in force from 2025-07-01, from its bundled nested-divisions.json.
- `vietnamadminunits`: the units until 2025-06-30, from the `admin_units_legacy` table of its
  bundled SQLite file, and (see admin_units_crosswalk.py) its 2025 conversion table.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from datetime import date
from pathlib import Path

import vietnam_provinces
import vietnamadminunits

from catalog.loading import VersionRow

NEW_STRUCTURE_FROM = date(2025, 7, 1)
LEGAL_NEW = "Nghị quyết 202/2025/QH15; Quyết định 19/2025/QĐ-TTg (bảng mã đơn vị hành chính)"
LEGAL_LEGACY = "Danh mục đơn vị hành chính Việt Nam (Tổng cục Thống kê), bản trước 01/07/2025"
LEGAL_CROSSWALK = "Các nghị quyết năm 2025 về sắp xếp đơn vị hành chính; bảng chuyển đổi của vietnamadminunits"
VAM_DATA = Path(vietnamadminunits.__file__).parent / "data"


def clean(name: str) -> str:
    """NFC, single spaces: the packages carry both tone-mark styles and stray double spaces."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def fold(name: str) -> str:
    """Letters and digits only, no diacritics: 'Xã Ea H’leo' and "Xã Ea H'Leo" fold alike."""
    decomposed = unicodedata.normalize("NFD", name.lower()).replace("đ", "d")
    return "".join(ch for ch in decomposed if ch.isalnum())


def new_structure() -> list[VersionRow]:
    """The 34 provinces and 3,321 communes in force from 2025-07-01."""
    rows: list[VersionRow] = []
    for province in json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8")):
        pcode = f"{province['code']:02d}"
        attrs = {
            "division_type": province["division_type"],
            "codename": province["codename"],
            "phone_code": province.get("phone_code"),
        }
        rows.append(
            VersionRow(
                "province",
                pcode,
                clean(province["name"]),
                valid_from=NEW_STRUCTURE_FROM,
                attributes=attrs,
                legal_source=LEGAL_NEW,
            )
        )
        for ward in province["wards"]:
            rows.append(
                VersionRow(
                    "commune",
                    f"{ward['code']:05d}",
                    clean(ward["name"]),
                    valid_from=NEW_STRUCTURE_FROM,
                    parent_catalog="province",
                    parent_code=pcode,
                    legal_source=LEGAL_NEW,
                    attributes={"division_type": ward["division_type"], "codename": ward["codename"]},
                )
            )
    return rows


def legacy_rows() -> list[sqlite3.Row]:
    uri = f"file:{VAM_DATA / 'dataset.db'}?mode=ro"
    with sqlite3.connect(uri, uri=True) as db:
        db.row_factory = sqlite3.Row
        return db.execute(
            "select provinceKey, districtKey, wardKey, provinceCode, province, districtCode, district,"
            " districtType, wardCode, ward, wardType from admin_units_legacy order by wardCode"
        ).fetchall()


def legacy_versions(states: dict[tuple[str, str], str]) -> list[VersionRow]:
    rows: dict[tuple[str, str], VersionRow] = {}

    def add(catalog: str, code: str, name: str, parent: tuple[str, str] | None, division_type: str) -> None:
        if (catalog, code) not in rows:
            rows[(catalog, code)] = VersionRow(
                catalog,
                code,
                clean(name),
                states.get((catalog, code), "retired"),
                None,
                NEW_STRUCTURE_FROM,
                parent[0] if parent else None,
                parent[1] if parent else None,
                {"division_type": division_type},
                LEGAL_LEGACY,
            )

    for r in legacy_rows():
        province_type = "thành phố trung ương" if r["province"].startswith("Thành phố") else "tỉnh"
        add("province", r["provinceCode"], r["province"], None, province_type)
        add("district", r["districtCode"], r["district"], ("province", r["provinceCode"]), r["districtType"])
        if r["wardCode"]:
            add("commune", r["wardCode"], r["ward"], ("district", r["districtCode"]), r["wardType"])
    return list(rows.values())
