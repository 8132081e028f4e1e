"""`hub ingest ...`: run one source for one window, by hand, with progress output."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer

from ingest.sources.documents.command import documents
from ingest.sources.sector_business.command import sector_business
from ingest.sources.sector_health.command import sector_health
from ingest.sources.sector_schools.command import sector_schools

ingest_app = typer.Typer(help="Load one source system into the raw layer.", no_args_is_help=True)


def _echo(result: object) -> None:
    typer.echo(json.dumps(asdict(result), default=str, ensure_ascii=False, indent=2))  # type: ignore[call-overload]


@ingest_app.command("onestop")
def onestop(
    stream: str = typer.Option("dossiers", help="dossiers or dossier_events"),
    since: str = typer.Option(None, help="Window start, yyyyMMddHHmmss (default: the stream's watermark)"),
    until: str = typer.Option(None, help="Window end, yyyyMMddHHmmss (default: now, local time)"),
    api_url: str = typer.Option(None, envvar="ONESTOP_API_URL", help="The one-stop sync API's base URL"),
    page_size: int = typer.Option(1000, help="Records per page"),
) -> None:
    """Pull one window of one-stop dossiers (or events) into raw.onestop__*."""
    from hub.databases import provision
    from ingest.framework.http_pages import PagedApi
    from ingest.sources.onestop.extract_load import load_window

    if not api_url:
        raise typer.BadParameter("give --api-url or set ONESTOP_API_URL", param_hint="--api-url")
    result = load_window(provision().warehouse, PagedApi(api_url, page_size=page_size), stream, since, until,
                         progress=True)  # fmt: skip
    _echo(result)


ingest_app.command("documents")(documents)
ingest_app.command("sector-business")(sector_business)
ingest_app.command("sector-health")(sector_health)
ingest_app.command("sector-schools")(sector_schools)
