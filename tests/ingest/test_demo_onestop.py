from __future__ import annotations

import unicodedata
from pathlib import Path

import psycopg
import pytest

from hub.pipeline import Platform
from ingest.sources.demo_onestop import generate, load


def test_generation_is_deterministic() -> None:
    assert list(generate.generate_dossiers(20, seed=1)) == list(generate.generate_dossiers(20, seed=1))
    assert list(generate.generate_dossiers(20, seed=1)) != list(generate.generate_dossiers(20, seed=2))


def test_dossier_codes_are_unique_and_vietnamese_text_is_nfc() -> None:
    dossiers = list(generate.generate_dossiers(300))
    assert len({d["MaHoSo"] for d in dossiers}) == 300
    assert all(unicodedata.is_normalized("NFC", d["ChuHoSo"]) for d in dossiers)


def test_load_twice_gives_no_duplicates(platform: Platform, tmp_path: Path) -> None:
    url = platform.databases.warehouse
    path = generate.write_csv(tmp_path / "twice.csv", count=40, seed=9)

    first = load.load_csv(url, path)
    second = load.load_csv(url, path)

    assert first.rows_loaded == second.rows_loaded == 40
    with psycopg.connect(url) as conn:
        rows, keys = conn.execute(
            'select count(*), count(distinct "MaHoSo") from raw.demo_onestop__dossiers '
            "where _source_file = 'twice.csv'"
        ).fetchone()
    assert rows == keys == 40


def test_nfd_input_is_stored_as_nfc(platform: Platform, tmp_path: Path) -> None:
    path = generate.write_csv(tmp_path / "nfd.csv", count=5, seed=3)
    path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8")

    load.load_csv(platform.databases.warehouse, path)

    with psycopg.connect(platform.databases.warehouse) as conn:
        names = [r[0] for r in conn.execute(
            "select \"ChuHoSo\" from raw.demo_onestop__dossiers where _source_file = 'nfd.csv'"
        )]  # fmt: skip
    assert names and all(unicodedata.is_normalized("NFC", n) for n in names)


def test_missing_column_names_file_row_and_field(platform: Platform, tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text("MaHoSo,SoBienNhan\nX-1,1\n", encoding="utf-8")

    with pytest.raises(ValueError, match=r"broken\.csv: row 1 \(header\) lacks the fields MaTTHC"):
        load.load_csv(platform.databases.warehouse, path)
    with psycopg.connect(platform.databases.warehouse) as conn:
        assert conn.execute("select count(*) from audit.load_batches where source_ref = 'broken.csv'").fetchone() == (
            0,
        )
