"""Health-department files: xlsx and csv with Vietnamese headers, legacy encodings and the usual dirt."""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from datetime import date, datetime
from pathlib import Path

import openpyxl
from viparse.normalize.tables import convert
from viparse.normalize.tcvn3 import TCVN3
from viparse.normalize.vni import VNI

from simulators.sector.facilities import HEADERS
from simulators.sector.health import DIRT_KINDS, HealthConfig, write_health_files

MAIN = "co_so_y_te_20251231.xlsx"
EXTRA = "co_so_y_te_bo_sung.csv"


def _rows(folder: Path, name: str) -> list[list[object]]:
    if name.endswith(".xlsx"):
        sheet = openpyxl.load_workbook(folder / name).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    return list(csv.reader(io.StringIO((folder / name).read_text(encoding="utf-8-sig"))))


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    for name in ("a", "b"):
        write_health_files(tmp_path / name, HealthConfig(seed=1, size=120, dirt="all"))
    write_health_files(tmp_path / "c", HealthConfig(seed=2, size=120, dirt="all"))
    digests = [_digests(tmp_path / name / "sector_health") for name in "abc"]
    assert digests[0] == digests[1] and digests[0][MAIN] != digests[2][MAIN]


def test_clean_files_hold_every_facility_once(tmp_path: Path) -> None:
    write_health_files(tmp_path, HealthConfig(seed=1, size=200))
    folder = tmp_path / "sector_health"
    assert sorted(p.name for p in folder.iterdir()) == sorted([MAIN, EXTRA])
    main, extra = _rows(folder, MAIN), _rows(folder, EXTRA)
    assert tuple(main[0]) == tuple(extra[0]) == HEADERS
    codes = [r[0] for r in main[1:] + extra[1:]]
    assert len(codes) == len(set(codes)) == 200 and all(len(c) == 6 for c in codes)
    assert all(isinstance(r[6], datetime) and isinstance(r[5], int) for r in main[1:])
    assert all(date.fromisoformat(r[6]) and r[5].isdigit() for r in extra[1:])


def test_every_dirt_kind_is_in_the_manifest_and_in_the_files(tmp_path: Path) -> None:
    manifest = write_health_files(tmp_path, HealthConfig(seed=3, size=400, dirt="all"))
    folder = tmp_path / "sector_health"
    entries = [e.as_dict() for e in manifest]
    assert {e["kind"] for e in entries} == set(DIRT_KINDS)
    for entry in entries:
        kind, name = entry["kind"], entry["file"]
        data = (folder / name).read_bytes()
        if kind in ("nfd", "tcvn3", "vni"):
            if kind == "nfd":
                text = data.decode("utf-8")
                assert text != unicodedata.normalize("NFC", text)
            else:
                assert data.decode("utf-8", errors="replace") != data.decode("latin-1")  # not UTF-8
                text = convert(data.decode("cp1252"), TCVN3 if kind == "tcvn3" else VNI)
            rows = list(csv.reader(io.StringIO(unicodedata.normalize("NFC", text))))
            assert [r[0] for r in rows[1:]] == entry["detail"]["keys"]
            assert rows[0][0].lower() == "mã cơ sở"
            continue
        if kind == "empty":
            assert data == b""
            continue
        if kind == "truncated":
            last = data.decode("utf-8").split("\r\n")[-1]
            assert last.startswith(entry["key"]) and len(last.split(",")) < len(HEADERS)
            continue
        row = _rows(folder, name)[entry["row"]]  # header is row 0
        if kind == "leading_zeros":
            assert str(row[0]) == str(int(entry["key"])) and row[0] != entry["key"]
            assert isinstance(row[0], int) == name.endswith(".xlsx")
        elif kind == "ddmmyyyy":
            assert row[0] == entry["key"]
            datetime.strptime(row[6], "%d/%m/%Y")
        elif kind == "duplicate":
            assert row == _rows(folder, name)[entry["row"] - 1] and row[0] == entry["key"]
        elif kind == "malformed":
            assert row[0] == entry["key"] and not str(row[5]).isdigit()
