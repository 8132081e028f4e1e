"""Load one one-stop window in a process of its own, so its peak memory can be read.

Prints one JSON line: rows, seconds, peak RSS in MiB.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from ingest.framework.http_pages import PagedApi
from ingest.sources.onestop.extract_load import load_window


def _peak_rss_mib() -> float:
    """VmHWM: unlike ru_maxrss, it starts afresh at exec, so the parent's memory does not count."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def main(warehouse_url: str, api_url: str, since: str, until: str) -> None:
    started = time.perf_counter()
    result = load_window(warehouse_url, PagedApi(api_url, page_size=1000), "dossiers", since, until)
    seconds = time.perf_counter() - started
    peak_mib = _peak_rss_mib()
    print(json.dumps({"rows": result.rows_extracted, "loaded": result.rows_loaded,
                      "quarantined": result.rows_quarantined, "seconds": seconds, "peak_mib": peak_mib}))  # fmt: skip


if __name__ == "__main__":
    main(*sys.argv[1:5])
