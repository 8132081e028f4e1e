"""`hub ingest sector-health`: load every new file of the health department's inbox folder."""

from __future__ import annotations

# The command imports what it runs when it runs, so that `hub --help` stays fast.
import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer


def sector_health(
    inbox: Annotated[
        Path | None, typer.Option(help="The inbox folder holding sector_health/ (default: the hub's inbox)")
    ] = None,
) -> None:
    """Load each new xlsx/CSV file of <inbox>/sector_health/ into raw.sector_health__facilities."""
    from foundation.databases import provision
    from foundation.settings import get_settings
    from ingest.framework.batches import BatchResult
    from ingest.sources.sector_health.extract_load import FOLDER, load_inbox

    folder = inbox or get_settings().inbox

    def progress(path: Path, result: BatchResult | None) -> None:
        if result is None:
            typer.echo(f"{path.name}: already loaded, skipped", err=True)
        else:
            typer.echo(f"{path.name}: {result.rows_extracted} rows, {result.rows_loaded} loaded "
                       f"({result.rows_new_versions} new versions), {result.rows_quarantined} quarantined",
                       err=True)  # fmt: skip

    typer.echo(f"loading {folder / FOLDER} ...", err=True)
    results = load_inbox(provision().warehouse, folder, on_file=progress)
    typer.echo(json.dumps([asdict(r) for r in results], default=str, ensure_ascii=False, indent=2))
