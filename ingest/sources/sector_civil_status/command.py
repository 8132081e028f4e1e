"""`hub ingest sector-civil-status`: one incremental pull of the civil-status register's API."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer


def sector_civil_status(
    api_url: str = typer.Option(
        None, envvar="SECTOR_CIVIL_STATUS_API_URL", help="The civil-status register API's base URL"
    ),
    since: str = typer.Option(None, help="updated_since, ISO 8601 with offset (default: the stream's watermark)"),
    page_size: int = typer.Option(1000, help="Records per page (the API allows 1..1000)"),
) -> None:
    """Pull the civil-status registrations (births, deaths, marriages) changed since the watermark
    into raw.sector_civil_status__registrations."""
    from foundation.databases import provision
    from foundation.settings import setting
    from ingest.framework.http_pages import PagedApi
    from ingest.sources.sector_civil_status.extract_load import load

    api_url = api_url or setting("SECTOR_CIVIL_STATUS_API_URL")
    if not api_url:
        raise typer.BadParameter("give --api-url or set SECTOR_CIVIL_STATUS_API_URL", param_hint="--api-url")
    typer.echo(f"pulling {api_url} ...", err=True)
    result = load(provision().warehouse, PagedApi(api_url, page_size=page_size), since, progress=True)
    typer.echo(json.dumps(asdict(result), default=str, ensure_ascii=False, indent=2))
