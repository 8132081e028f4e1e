"""What a source system is: its streams, how one stream is loaded, its command and address.

Each source package declares one `Source` (in its `source.py`); `sources/registry.py`
lists them. The DAGs, the Airflow Assets, the pipeline's order, the `hub ingest`
commands, the raw tables and the code columns stewards map are all derived from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from foundation.settings import setting
from ingest.framework.stream import Stream


@dataclass(frozen=True)
class LoadContext:
    """What one load of one stream gets from the platform."""

    warehouse_url: str
    address: str | None  # the source's address (its `address_variable`), None for inbox sources
    inbox: Path  # the folder source files are dropped into
    until: datetime  # end of the run's window (Airflow's data interval end; now, by hand)

    def require_address(self, variable: str) -> str:
        if not self.address:
            raise RuntimeError(f"{variable} is not set (README: Configuration)")
        return self.address


# (context, stream name) -> the counts a DAG task returns (see BatchResult.counts)
Loader = Callable[[LoadContext, str], dict[str, int]]


@dataclass(frozen=True)
class Source:
    name: str  # the source_system: raw tables raw.<name>__<stream>, DAG ingest_<name>
    description: str  # the DAG's documentation and the command's help, in a few lines
    streams: tuple[Stream, ...]
    load: Loader
    command: Callable[..., None]  # the `hub ingest <cli_name>` command (typer signature)
    address_variable: str | None = None  # environment variable of its address; None: files in the inbox
    schedule: str = "@hourly"

    def __post_init__(self) -> None:
        strays = [s.qualified_name for s in self.streams if s.source_system != self.name]
        if strays:
            raise ValueError(f"source {self.name}: streams {strays} belong to another source system")

    @property
    def dag_id(self) -> str:
        return f"ingest_{self.name}"

    @property
    def cli_name(self) -> str:
        return self.name.replace("_", "-")

    def address(self) -> str | None:
        return setting(self.address_variable) if self.address_variable else None

    def stream(self, name: str) -> Stream:
        found = [s for s in self.streams if s.name == name]
        if not found:
            raise KeyError(f"source {self.name} has no stream {name!r}; it has {[s.name for s in self.streams]}")
        return found[0]
