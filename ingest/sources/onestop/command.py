"""`hub ingest onestop`: pull one window of one stream by hand, with progress output."""

from __future__ import annotations

# The command imports what it runs when it runs, so that `hub --help` stays fast.
import json
from dataclasses import asdict

import typer


def onestop(
    stream: str = typer.Option("dossiers", help="dossiers or dossier_events"),
    since: str = typer.Option(None, help="Window start, yyyyMMddHHmmss (default: the stream's watermark)"),
    until: str = typer.Option(None, help="Window end, yyyyMMddHHmmss (default: now, local time)"),
    api_url: str = typer.Option(None, envvar="ONESTOP_API_URL", help="The one-stop sync API's base URL"),
    page_size: int = typer.Option(1000, help="Records per page"),
) -> None:
    """Pull one window of one-stop dossiers (or events) into raw.onestop__*."""
    from foundation.databases import provision
    from ingest.framework.http_pages import PagedApi
    from ingest.sources.onestop.extract_load import load_window

    if not api_url:
        raise typer.BadParameter("give --api-url or set ONESTOP_API_URL", param_hint="--api-url")
    result = load_window(provision().warehouse, PagedApi(api_url, page_size=page_size), stream, since, until,
                         progress=True)  # fmt: skip
    typer.echo(json.dumps(asdict(result), default=str, ensure_ascii=False, indent=2))
