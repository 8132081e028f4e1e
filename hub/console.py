"""What a person sees on the console: one line per stage, and the log file for the rest.

Library output (Airflow, dbt, Great Expectations, uvicorn) and our own INFO logs go to
`<HUB_HOME>/logs/hub.log`; the console gets one line per stage with what it did and
how long it took, and, when a stage fails, the tail of that log.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import typer

T = TypeVar("T")
_OURS = ("hub", "foundation", "ingest", "catalog", "warehouse", "sharing", "simulators")
_log_file: Path | None = None


def log_file() -> Path | None:
    return _log_file


def configure_logging(log_dir: Path, verbose: bool = False) -> Path:
    """Everything to the log file (0600); on the console only our warnings, or everything with -v."""
    global _log_file
    log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    _log_file = log_dir / "hub.log"
    _log_file.touch(mode=0o600, exist_ok=True)
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    to_file = logging.FileHandler(_log_file, encoding="utf-8")
    to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(to_file)
    to_console = logging.StreamHandler(sys.stderr)
    to_console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    if not verbose:
        to_console.setLevel(logging.WARNING)
        to_console.addFilter(lambda record: record.name.split(".")[0] in _OURS)
    root.addHandler(to_console)
    return _log_file


def tail(lines: int = 40) -> str:
    if _log_file is None or not _log_file.exists():
        return ""
    with _log_file.open("rb") as handle:
        handle.seek(max(0, handle.seek(0, os.SEEK_END) - 64_000))
        return "\n".join(handle.read().decode("utf-8", "replace").splitlines()[-lines:])


def stage(name: str, action: Callable[[], tuple[T, str]]) -> T:
    """Run one start-up stage: `action` returns (its result, a short detail for the console)."""
    started = time.monotonic()
    try:
        result, detail = action()
    except Exception:
        typer.secho(f"  ✗ {name:<24} failed after {time.monotonic() - started:.1f} s", fg="red", err=True)
        if _log_file:
            typer.secho(f"--- last lines of {_log_file} ---\n{tail()}", err=True)
        raise
    typer.echo(f"  ✓ {name:<24} {detail}  ({time.monotonic() - started:.1f} s)")
    return result
