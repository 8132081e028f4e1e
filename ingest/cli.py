"""`hub ingest <source> ...`: run one source by hand, with progress output; one command per registered source."""

from __future__ import annotations

import typer

from ingest.sources.registry import SOURCES

ingest_app = typer.Typer(help="Load one source system into the raw layer.", no_args_is_help=True)

for _source in SOURCES:
    ingest_app.command(_source.cli_name)(_source.command)
