"""Load one one-stop window in a process of its own, so its peak memory can be read.

Prints one JSON line: rows, seconds, peak RSS in MiB.
"""

from __future__ import annotations

import json
import resource
import sys
import time

from ingest.framework.http_pages import PagedApi
from ingest.sources.onestop.extract_load import load_window


def main(warehouse_url: str, api_url: str, since: str, until: str) -> None:
    started = time.perf_counter()
    result = load_window(warehouse_url, PagedApi(api_url, page_size=1000), "dossiers", since, until)
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": result.rows_extracted, "loaded": result.rows_loaded,
                      "quarantined": result.rows_quarantined, "seconds": seconds, "peak_mib": peak_mib}))  # fmt: skip


if __name__ == "__main__":
    main(*sys.argv[1:5])
