"""`hub ingest sector-business`: one incremental pull of the business register, by hand."""

from __future__ import annotations

# The command imports what it runs when it runs, so that `hub --help` stays fast.
import json
from dataclasses import asdict

import typer


def sector_business(
    db_url: str = typer.Option(None, envvar="SECTOR_BUSINESS_DB_URL", help="The business-register database's URL"),
    since: str = typer.Option(None, help="Start, local time 'yyyy-mm-dd hh:mm:ss' (default: watermark - lookback)"),
    lookback_days: float = typer.Option(7.0, help="Re-read this many days before the watermark (late rows)"),
    full: bool = typer.Option(False, "--full", help="Re-read the whole table (catches rows later than the lookback)"),
) -> None:
    """Pull the enterprises changed since the watermark into raw.sector_business__enterprises."""
    from datetime import timedelta

    from foundation.databases import provision
    from foundation.settings import setting
    from ingest.sources.sector_business.extract_load import load

    db_url = db_url or setting("SECTOR_BUSINESS_DB_URL")
    if not db_url:
        raise typer.BadParameter("give --db-url or set SECTOR_BUSINESS_DB_URL", param_hint="--db-url")
    typer.echo("pulling the business register ...", err=True)
    result = load(provision().warehouse, db_url, since, full=full, lookback=timedelta(days=lookback_days))
    typer.echo(json.dumps(asdict(result), default=str, ensure_ascii=False, indent=2))
