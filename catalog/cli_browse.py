"""`hub catalog` commands that read: load, list, show, history, export, unmapped, serve."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from catalog.cli_common import (
    ON,
    catalog_app,
    connect,
    echo_json,
    refusals,
    warehouse,
)


@catalog_app.command()
def load() -> None:
    """Load or refresh the reference data: administrative units (PyPI packages) and seed catalogs."""
    import catalog

    summary = catalog.load_all(warehouse())
    for name, count in sorted(summary.inserted.items()):
        typer.echo(f"{name:15} {count:6} new   {summary.already_known[name]:6} already known")
    typer.echo(f"{'links':15} {summary.links_inserted:6} new")


@catalog_app.command("list")
@refusals
def list_codes(
    catalog: str | None = typer.Argument(None, help="Catalog name; omit to list the catalogs."),
    query: str = typer.Option(None, "--query", "-q", help="Code prefix or name, with or without diacritics."),
    on: datetime | None = ON,
    all_versions: bool = typer.Option(False, "--all-versions", help="Every version, whatever its dates."),
    limit: int = typer.Option(100, help="At most this many codes."),
) -> None:
    """List the catalogs, or the codes of one catalog valid on a date."""
    from catalog import store

    with connect() as conn:
        if catalog is None:
            for info in store.list_catalogs(conn):
                typer.echo(f"{info.catalog:15} {info.valid_today:6}  {info.name_vi}")
            return
        store.get_catalog(conn, catalog)
        day = on.date() if on else None
        for v in store.search_codes(conn, catalog, query, day, all_versions, limit):
            period = f"{v.valid_from or '…'} → {v.valid_to or '…'}"
            typer.echo(f"{v.code:16} {v.state:10} {period:25} {v.name}")


@catalog_app.command()
@refusals
def show(catalog: str, code: str) -> None:
    """Every version of one code (JSON)."""
    from catalog import store

    with connect() as conn:
        echo_json(store.versions(conn, catalog, code))


@catalog_app.command()
@refusals
def history(catalog: str, code: str) -> None:
    """A code's full history: versions, lineage links, change log, proposals (JSON)."""
    from catalog import store

    with connect() as conn:
        echo_json(store.history(conn, catalog, code, unpublished=True))


@catalog_app.command()
@refusals
def export(
    catalog: str,
    fmt: str = typer.Option("csv", "--format", "-f", help="csv, xlsx or json."),
    on: datetime | None = ON,
    all_versions: bool = typer.Option(False, "--all-versions"),
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: standard output).")
    ] = None,
) -> None:
    """Export a catalog's codes valid on a date (or every version)."""
    from catalog import bulk_export

    with connect() as conn:
        content = bulk_export.export(conn, catalog, fmt, on.date() if on else None, all_versions)
    if output:
        output.write_bytes(content)
    else:
        typer.echo(content.decode("utf-8-sig") if fmt != "xlsx" else "use --output for xlsx", nl=False)


@catalog_app.command()
@refusals
def unmapped(source_system: str = typer.Option(None, "--source", help="Only this source system.")) -> None:
    """The queue of local codes seen in raw data that have no mapping yet."""
    from catalog import mapping

    with connect() as conn:
        for u in mapping.queue(conn, source_system):
            typer.echo(
                f"{u.source_system:14} {u.code_kind:15} {u.local_code:18} {u.row_count:7} rows  "
                f"{u.first_seen:%Y-%m-%d} … {u.last_seen:%Y-%m-%d}  {u.raw_table}.{u.code_column}"
            )


@catalog_app.command()
def serve(
    host: str = typer.Option(None, help="Default: HUB_BIND_HOST (127.0.0.1)."),
    port: int = typer.Option(None, help="Default: HUB_CATALOG_PORT (8091)."),
) -> None:
    """Serve the steward web pages and the REST API."""
    import uvicorn

    from catalog import roles
    from catalog.app import create_app
    from foundation.settings import get_settings

    settings = get_settings()
    app = create_app(roles.ensure(settings, warehouse()))  # the owner makes the role; the app connects as it
    uvicorn.run(app, host=host or settings.bind_host, port=port or settings.catalog_port)
