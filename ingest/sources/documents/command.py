"""`hub ingest documents`: read the inbox's new edXML packages, with progress output."""

from __future__ import annotations

# The command imports what it runs when it runs, so that `hub --help` stays fast.
import json
from dataclasses import asdict
from pathlib import Path

import typer


def _progress(stream: str, done: int, total: int) -> None:
    # about twenty lines per stream, whatever the number of files
    if done == total or done % max(1, total // 20) == 0:
        typer.echo(f"{stream}: {done}/{total} files", err=True)


def documents(
    stream: str = typer.Option(None, help="documents or document_events (default: both)"),
    inbox: str = typer.Option(None, help="The inbox folder holding documents/ (default: the platform's inbox)"),
) -> None:
    """Load new or changed edXML packages from <inbox>/documents/ into raw.documents__*."""
    from foundation.databases import provision
    from foundation.settings import get_settings
    from ingest.sources.documents.extract_load import load_inbox, load_stream
    from ingest.sources.documents.streams import STREAMS

    if stream is not None and stream not in STREAMS:
        raise typer.BadParameter(f"one of {', '.join(STREAMS)}", param_hint="--stream")
    folder = Path(inbox) if inbox else get_settings().inbox
    url = provision().warehouse
    loads = [load_stream(url, folder, stream, _progress)] if stream else load_inbox(url, folder, _progress)
    summary = [{"stream": load.stream, "files_read": load.files_read,
                "batch": asdict(load.batch) if load.batch else None} for load in loads]  # fmt: skip
    typer.echo(json.dumps(summary, default=str, ensure_ascii=False, indent=2))
