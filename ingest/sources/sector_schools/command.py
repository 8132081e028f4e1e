"""`hub ingest sector-schools`: one incremental pull of the education department's schools API."""

from __future__ import annotations

# The command imports what it runs when it runs, so that `hub --help` stays fast.
import json
from dataclasses import asdict

import typer


def sector_schools(
    api_url: str = typer.Option(None, envvar="SECTOR_SCHOOLS_API_URL", help="The schools API's base URL"),
    since: str = typer.Option(None, help="updated_since, ISO 8601 (default: the stream's watermark)"),
    limit: int = typer.Option(500, help="Records per page (the API allows 1..1000)"),
) -> None:
    """Pull the schools changed since the watermark into raw.sector_schools__schools."""
    from foundation.databases import provision
    from foundation.settings import setting
    from ingest.framework.http_cursor import CursorApi
    from ingest.sources.sector_schools.extract_load import load

    api_url = api_url or setting("SECTOR_SCHOOLS_API_URL")
    if not api_url:
        raise typer.BadParameter("give --api-url or set SECTOR_SCHOOLS_API_URL", param_hint="--api-url")
    typer.echo(f"pulling {api_url} ...", err=True)
    result = load(provision().warehouse, CursorApi(api_url, limit=limit), since, progress=True)
    typer.echo(json.dumps(asdict(result), default=str, ensure_ascii=False, indent=2))
