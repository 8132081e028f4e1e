"""Health-facility files from the health department, dropped into `<inbox>/sector_health/`.

Files (each present only when its dirt is on, except the first two):

- `co_so_y_te_<yyyymmdd>.xlsx`: the main list (sheet "Danh sách"), codes as text;
- `co_so_y_te_bo_sung.csv`: more facilities, UTF-8 with a BOM, comma-separated;
- `co_so_y_te_nfd.csv` (UTF-8, NFD), `co_so_y_te_tcvn3.csv` (TCVN3 bytes), `co_so_y_te_vni.csv` (VNI bytes);
- `co_so_y_te_rong.csv` (0 bytes), `co_so_y_te_cat.csv` (cut in the middle of a row).

Record dirt in the xlsx and the UTF-8 CSV: codes that lost their leading zeros
(a numeric cell, or digits without the zeros), dates as dd/mm/yyyy text,
duplicated rows, and malformed rows (a bed count that is not a number; in CSV
also a row with a column too many).
"""

from __future__ import annotations

import csv
import io
import random
import re
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from simulators.common.dirt import Dirt, Picker
from simulators.common.manifest import Manifest
from simulators.common.text import encode_tcvn3, encode_vni, nfd
from simulators.sector.facilities import HEADERS, Facility, facilities

SOURCE, FOLDER = "sector_health", "sector_health"
RECORD_KINDS = {"leading_zeros": 0.05, "ddmmyyyy": 0.05, "duplicate": 0.02, "malformed": 0.01}
FILE_KINDS = {"nfd": 1, "tcvn3": 1, "vni": 1, "empty": 1, "truncated": 1}
DIRT_KINDS = {**RECORD_KINDS, **FILE_KINDS}
LEGACY = {"nfd": "co_so_y_te_nfd.csv", "tcvn3": "co_so_y_te_tcvn3.csv", "vni": "co_so_y_te_vni.csv"}


@dataclass(frozen=True)
class HealthConfig:
    seed: int = 115
    size: int = 300  # facilities
    as_of: date = date(2025, 12, 31)
    dirt: Dirt | str = field(default_factory=Dirt.none)

    def __post_init__(self) -> None:
        object.__setattr__(self, "dirt", Dirt.parse(self.dirt, DIRT_KINDS))


def _rows(name: str, items: list[Facility], dirt: Dirt, rng: random.Random, manifest: Manifest,
          excel: bool) -> list[list[object]]:  # fmt: skip
    picker, rows = Picker(dirt, RECORD_KINDS), []
    for item in items:
        row = item.row()
        if not excel:
            row[-1] = item.updated.isoformat()
        kind = picker.pick(rng.random())
        detail = None
        if kind == "leading_zeros":
            row[0] = int(item.code) if excel else str(int(item.code))
            field_name, detail = "Mã cơ sở", row[0]
        elif kind == "ddmmyyyy":
            row[-1] = f"{item.updated:%d/%m/%Y}"
            field_name = "Ngày cập nhật"
        elif kind == "malformed":
            row[5] = rng.choice(("khoảng 50", "N/A", "12 giường"))
            if not excel and rng.random() < 0.5:
                row.append("ghi chú thừa")
            field_name, detail = "Số giường", row[5]
        else:
            field_name = None
        rows.append(row)
        if kind == "duplicate":
            rows.append(list(row))
        if kind:
            manifest.add(SOURCE, kind, file=name, row=len(rows), key=item.code, field=field_name, detail=detail)
    return rows


def _reproducible(path: Path, as_of: date) -> None:
    """Same input, same bytes: fixed zip entry times and document properties."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    stamp = f"{as_of:%Y-%m-%d}T00:00:00Z".encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            target.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def _csv(headers: tuple[str, ...] | list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


def write_health_files(inbox: Path, config: HealthConfig | None = None, manifest_path: Path | None = None) -> Manifest:
    config = config or HealthConfig()
    dirt = config.dirt
    assert isinstance(dirt, Dirt)
    folder = inbox / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    rng, manifest = random.Random(config.seed * 17 + 1), Manifest()
    items = list(facilities(config.seed, config.size, config.as_of))
    legacy = [kind for kind in LEGACY if dirt.count(kind)]
    share = max(1, len(items) // 20)
    special = {kind: items[-(i + 1) * share : len(items) - i * share] for i, kind in enumerate(legacy)}
    rest = items[: len(items) - len(legacy) * share]
    cut = len(rest) * 7 // 10
    main = f"co_so_y_te_{config.as_of:%Y%m%d}.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append(list(HEADERS))
    for row in _rows(main, rest[:cut], dirt, rng, manifest, excel=True):
        sheet.append(row)
    for cell in sheet["G"][1:]:
        cell.number_format = "DD/MM/YYYY"
    book.save(folder / main)
    _reproducible(folder / main, config.as_of)
    extra = "co_so_y_te_bo_sung.csv"
    (folder / extra).write_bytes(b"\xef\xbb\xbf" + _csv(HEADERS, _rows(extra, rest[cut:], dirt, rng, manifest,
                                                                        excel=False)).encode())  # fmt: skip
    for kind, chunk in special.items():
        text = _csv(HEADERS, [[*f.row()[:-1], f.updated.isoformat()] for f in chunk])
        data = {"nfd": lambda t: nfd(t).encode(), "tcvn3": encode_tcvn3, "vni": encode_vni}[kind](text)
        (folder / LEGACY[kind]).write_bytes(data)
        manifest.add(SOURCE, kind, file=LEGACY[kind], detail={"rows": len(chunk), "keys": [f.code for f in chunk]})
    if dirt.count("empty"):
        (folder / "co_so_y_te_rong.csv").write_bytes(b"")
        manifest.add(SOURCE, "empty", file="co_so_y_te_rong.csv")
    if dirt.count("truncated"):
        tail = [replace(f, code=f"{config.size + i + 1:06d}")
                for i, f in enumerate(facilities(config.seed + 1, 6, config.as_of))]  # fmt: skip
        text = _csv(HEADERS, [[*f.row()[:-1], f.updated.isoformat()] for f in tail]).encode()
        cut_at = text.rindex(b"\r\n", 0, len(text) - 2) + 2 + 12  # twelve bytes into the last row
        (folder / "co_so_y_te_cat.csv").write_bytes(text[:cut_at])
        manifest.add(SOURCE, "truncated", file="co_so_y_te_cat.csv", row=len(tail), key=tail[-1].code)
    manifest.write(manifest_path or inbox / "_manifests" / f"{SOURCE}.jsonl")
    return manifest
