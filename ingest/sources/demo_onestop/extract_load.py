"""The demo source's one task: drop the demo file in the inbox if absent, then load it."""

from __future__ import annotations

from pathlib import Path

from ingest.framework.batches import BatchResult
from ingest.sources.demo_onestop.generate import write_csv
from ingest.sources.demo_onestop.load import load_csv

DEMO_FILE = "ho_so_mau.csv"


def extract_and_load(warehouse_url: str, inbox: Path, count: int = 300) -> BatchResult:
    path = inbox / "demo_onestop" / DEMO_FILE
    if not path.exists():
        write_csv(path, count=count)
    return load_csv(warehouse_url, path)
