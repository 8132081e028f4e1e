"""`simulate`: run the source-system simulators by hand (registered in `hub` as a sub-command).

Every command takes `--seed`, `--size` and `--dirt` (`none`, `all`, or `kind=rate,...`).
"""

from __future__ import annotations

# Each command imports its simulator when it runs, so that `hub --help` stays fast.
import json
import logging
from pathlib import Path

import typer

app = typer.Typer(help="Simulators of the province's source systems (deterministic, with dirt).",
                  no_args_is_help=True, add_completion=False)  # fmt: skip
onestop_app = typer.Typer(help="One-stop system: dossiers over HTTP.", no_args_is_help=True)
documents_app = typer.Typer(help="Document management: edXML files.", no_args_is_help=True)
sector_app = typer.Typer(help="Sector systems: business DB, health files, schools and civil-status APIs.",
                         no_args_is_help=True)  # fmt: skip
health_app = typer.Typer(help="Health-department facility files (xlsx, csv).", no_args_is_help=True)
business_app = typer.Typer(help="Business-registration PostgreSQL database.", no_args_is_help=True)
schools_app = typer.Typer(help="Education department's schools API.", no_args_is_help=True)
civil_status_app = typer.Typer(help="Civil-status register's API (births, deaths, marriages).",
                               no_args_is_help=True)  # fmt: skip
app.add_typer(onestop_app, name="onestop")
app.add_typer(documents_app, name="documents")
app.add_typer(sector_app, name="sector")
sector_app.add_typer(health_app, name="health")
sector_app.add_typer(business_app, name="business")
sector_app.add_typer(schools_app, name="schools")
sector_app.add_typer(civil_status_app, name="civil-status")

SEED = typer.Option(None, "--seed", help="Random seed (same seed, same output). Default: the simulator's.")
DIRT = typer.Option("none", "--dirt", help="Dirt: none | all | kind=rate,kind,... (see simulators/README.md).")
INBOX = typer.Option(Path("inbox"), "--inbox", help="The inbox folder files are dropped into.")
MANIFEST = typer.Option(None, "--manifest", help="Where to write the manifest (JSON lines).")
PORT = typer.Option(8100, "--port", help="Port on 127.0.0.1.")
EVENTS = typer.Option(None, "--events/--no-events", help="Build the status events now / never (default: when asked).")
CACHE_DIR = typer.Option(None, "--cache-dir", help="Keep the pre-built pages here between runs.")


def _seed(kwargs: dict, seed: int | None) -> dict:
    return {**kwargs, **({"seed": seed} if seed is not None else {})}


@onestop_app.command("serve")
def onestop_serve(
    seed: int | None = SEED, size: int = typer.Option(10_000, "--size", help="Dossiers received over the period."),
    dirt: str = DIRT, port: int = PORT, page_size: int = typer.Option(1000, "--page-size"),
    slow_page: int | None = typer.Option(None, "--slow-page", help="Page answered after --slow-seconds."),
    slow_seconds: float = typer.Option(30.0, "--slow-seconds"),
    slow_mode: str = typer.Option("once", "--slow-mode", help="once (per query) | always."),
    down: bool = typer.Option(False, "--down", help="Answer 503 to every API call."),
    events: bool | None = EVENTS,
    cache_dir: Path | None = CACHE_DIR,
    manifest: Path | None = MANIFEST,
) -> None:  # fmt: skip
    """Serve GET /api/v1/dossiers, /api/v1/dossiers/{MaHoSo}/events and /api/v1/dossier-events."""
    from simulators.common.serve import serve_forever
    from simulators.onestop.config import OnestopConfig
    from simulators.onestop.server import State, create_app
    from simulators.onestop.store import Store

    logging.basicConfig(level=logging.INFO)
    config = OnestopConfig(**_seed({}, seed), size=size, dirt=dirt, page_size=page_size, slow_page=slow_page,
                           slow_seconds=slow_seconds, slow_mode=slow_mode, down=down,  # type: ignore[arg-type]
                           cache_dir=cache_dir)  # fmt: skip
    store = Store(config, with_events=events)
    if manifest:
        store.manifest.write(manifest)
    typer.echo(f"{len(store.dossiers)} items ready in {store.seconds:.1f} s; http://127.0.0.1:{port}/api/v1/dossiers")
    serve_forever(create_app(State(config, store)), port)


@onestop_app.command("csv")
def onestop_csv(path: Path, seed: int | None = SEED, size: int = typer.Option(10_000, "--size"),
                dirt: str = DIRT) -> None:  # fmt: skip
    """Write the same dossiers the API serves (whole period) as a CSV file."""
    from simulators.onestop import OnestopConfig, write_csv

    write_csv(path, OnestopConfig(**_seed({}, seed), size=size, dirt=dirt))
    typer.echo(str(path))


@documents_app.command("write")
def documents_write(seed: int | None = SEED, size: int = typer.Option(200, "--size", help="Documents."),
                    dirt: str = DIRT, inbox: Path = INBOX, manifest: Path | None = MANIFEST) -> None:  # fmt: skip
    """Write edXML documents and status messages into <inbox>/documents/."""
    from simulators.documents import DocumentsConfig, write_documents

    written = write_documents(inbox, DocumentsConfig(**_seed({}, seed), size=size, dirt=dirt), manifest)
    typer.echo(f"{len(written.files)} files in {written.folder}; manifest {written.manifest_path}")


@health_app.command("write")
def health_write(seed: int | None = SEED, size: int = typer.Option(300, "--size", help="Facilities."),
                 dirt: str = DIRT, inbox: Path = INBOX, manifest: Path | None = MANIFEST) -> None:  # fmt: skip
    """Write the health department's xlsx and csv files into <inbox>/sector_health/."""
    from simulators.sector.health import HealthConfig, write_health_files

    written = write_health_files(inbox, HealthConfig(**_seed({}, seed), size=size, dirt=dirt), manifest)
    typer.echo(f"{len(written)} dirt records; files in {inbox / 'sector_health'}")


def _business_url(url: str | None) -> str:
    from foundation import databases

    url = url or databases.with_database(databases.resolve().warehouse, "sector_business")
    databases.create_database_if_missing(url)
    return url


URL = typer.Option(
    None, "--url", envvar="SECTOR_BUSINESS_URL",
    help="PostgreSQL URL of the business database (default: database sector_business beside the warehouse).",
)  # fmt: skip


@business_app.command("seed")
def business_seed(seed: int | None = SEED, size: int = typer.Option(2000, "--size", help="Enterprises."),
                  dirt: str = DIRT, url: str | None = URL, manifest: Path | None = MANIFEST) -> None:  # fmt: skip
    """(Re)create table doanh_nghiep and fill it."""
    from simulators.sector.business import BusinessConfig
    from simulators.sector.business import seed as do_seed

    entries = do_seed(_business_url(url), BusinessConfig(**_seed({}, seed), size=size, dirt=dirt), manifest)
    typer.echo(f"seeded; {len(entries)} dirt records")


@business_app.command("advance")
def business_advance(days: int = typer.Option(1, "--days", help="Simulated days to live through."),
                     url: str | None = URL, manifest: Path | None = MANIFEST) -> None:  # fmt: skip
    """Change some enterprises, register new ones, and write late-arriving rows."""
    from simulators.sector.business import advance

    entries = advance(_business_url(url), days, manifest)
    typer.echo(json.dumps({"days": days, "dirt_records": len(entries)}))


@schools_app.command("serve")
def schools_serve(seed: int | None = SEED, size: int = typer.Option(300, "--size", help="Schools."),
                  dirt: str = DIRT, port: int = typer.Option(8101, "--port"),
                  slow_seconds: float = typer.Option(30.0, "--slow-seconds"),
                  down: bool = typer.Option(False, "--down")) -> None:  # fmt: skip
    """Serve GET /api/v1/schools (cursor pagination, updated_since)."""
    from simulators.common.serve import serve_forever
    from simulators.sector.schools import SchoolsConfig, create_app

    config = SchoolsConfig(**_seed({}, seed), size=size, dirt=dirt, slow_seconds=slow_seconds, down=down)
    serve_forever(create_app(config), port)


@civil_status_app.command("serve")
def civil_status_serve(seed: int | None = SEED, size: int = typer.Option(2000, "--size", help="Registrations."),
                       dirt: str = DIRT, port: int = typer.Option(8102, "--port"),
                       down: bool = typer.Option(False, "--down"),
                       manifest: Path | None = MANIFEST) -> None:  # fmt: skip
    """Serve GET /api/v1/registrations (page numbers, updated_since)."""
    from simulators.common.manifest import Manifest
    from simulators.common.serve import serve_forever
    from simulators.sector.civil_status import CivilStatusConfig, create_app

    config = CivilStatusConfig(**_seed({}, seed), size=size, dirt=dirt, down=down)
    entries = Manifest()
    api = create_app(config, entries)
    if manifest:
        entries.write(manifest)
    typer.echo(f"{len(entries)} dirt records; http://127.0.0.1:{port}/api/v1/registrations")
    serve_forever(api, port)


if __name__ == "__main__":
    app()
