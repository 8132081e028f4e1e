"""Pull one window of the one-stop sync API into the raw layer.

A window is `[updated_since, updated_until)` in the source's local-time format
(yyyyMMddHHmmss). By default it starts at the stream's watermark and ends now;
any past window can be re-run and adds nothing that is already there.
"""

from __future__ import annotations

from datetime import datetime

import psycopg

from ingest.framework import landing, watermarks
from ingest.framework.batches import BatchResult
from ingest.framework.http_pages import PagedApi, fetch_pages
from ingest.framework.local_time import LOCAL
from ingest.framework.run import run_batch
from ingest.sources.onestop.streams import STREAMS

EPOCH = "20000101000000"
PATHS = {"dossiers": "/api/v1/dossiers", "dossier_events": "/api/v1/dossier-events"}


def now_local() -> str:
    return datetime.now(LOCAL).strftime("%Y%m%d%H%M%S")


def _to_source_format(watermark: str | None) -> str:
    """Watermarks are stored as ISO timestamps; the API wants yyyyMMddHHmmss."""
    if not watermark:
        return EPOCH
    return datetime.fromisoformat(watermark).strftime("%Y%m%d%H%M%S")


def load_window(
    warehouse_url: str,
    api: PagedApi,
    stream_name: str = "dossiers",
    since: str | None = None,
    until: str | None = None,
    progress: bool = False,
) -> BatchResult:
    stream = STREAMS[stream_name]
    if since is None:
        with psycopg.connect(warehouse_url) as conn:
            since = _to_source_format(watermarks.read(conn, stream))
    until = until or now_local()
    params = {"updated_since": since, "updated_until": until}
    path = PATHS[stream_name]

    # the watermark is the window's end: a record updated inside it can only arrive in a later window
    mark = datetime.strptime(until, "%Y%m%d%H%M%S").isoformat(sep=" ")
    rows = landing.pages_as_rows(stream, fetch_pages(api, path, params, progress))
    source_ref = f"{path}?updated_since={since}&updated_until={until}"
    return run_batch(warehouse_url, stream, source_ref, rows, window=(since, until), watermark=mark)
