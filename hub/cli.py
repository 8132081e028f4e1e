"""`hub`: the one command for everything a person does by hand."""

from __future__ import annotations

import signal
import time

import typer

from catalog.cli import catalog_app
from foundation import databases
from foundation.settings import get_settings
from hub import backups, console, pipeline, stack, startup, superset
from ingest.cli import ingest_app
from sharing.cli import sharing_app
from simulators.cli import app as simulate_app

app = typer.Typer(help="Provincial data hub: run, test and operate the shared-data platform.",
                  no_args_is_help=True, add_completion=False)  # fmt: skip
db_app = typer.Typer(help="The PostgreSQL server and its migrations.", no_args_is_help=True)
pipeline_app = typer.Typer(help="Run the data pipeline by hand.", no_args_is_help=True)
quality_app = typer.Typer(help="Data-quality checks (Great Expectations).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(pipeline_app, name="pipeline")
app.add_typer(quality_app, name="quality")
app.add_typer(ingest_app, name="ingest")
app.add_typer(catalog_app, name="catalog")
app.add_typer(simulate_app, name="simulate")
app.add_typer(sharing_app, name="sharing")
app.add_typer(backups.backup_app, name="backup")


@app.callback()
def _logging(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show every log line."),
) -> None:
    console.configure_logging(get_settings().log_dir, verbose)


def _echo_summary(warehouse_url: str) -> None:
    found = pipeline.summary(warehouse_url)
    typer.secho("\nSummary", bold=True)
    for name, value in found.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items()) or "none run yet"
        typer.echo(f"  {name:<28} {value:,}" if isinstance(value, int) else f"  {name:<28} {value}")
    typer.echo(f"  {'log':<28} {console.log_file()}")


@app.command()
def up(
    once: bool = typer.Option(False, "--once", help="Run the pipeline, print a summary and exit."),
    refresh: bool = typer.Option(False, "--refresh", help="Re-run the pipeline even if the marts exist."),
) -> None:
    """Start the platform: database, pipeline run, dashboards, then Airflow and Superset on loopback."""
    started = time.monotonic()
    typer.echo(f"Starting the provincial data hub (details in {console.log_file()})")
    backups.up_stage(get_settings())  # first: a server started by an older version restarts to archive
    platform = pipeline.prepare()
    server = databases.embedded_server() if platform.settings.uses_embedded_server else None
    ran = stack.run_pipeline_if_needed(platform, refresh=refresh or once)
    superset_env = stack.prepare_dashboards(platform)
    if once:
        _echo_summary(platform.databases.warehouse)
        return
    _stop_on_signals()
    processes = stack.start(platform, superset_env)
    try:
        stack.wait_healthy(platform, processes)
        _print_welcome(platform, ran, time.monotonic() - started)
        while (dead := stack.first_dead(processes)) is None:
            time.sleep(1)
        typer.secho(f"A service stopped ({' '.join(dead.args)}); see {platform.settings.log_dir}", fg="red", err=True)
        raise typer.Exit(1)
    except KeyboardInterrupt:
        typer.echo("\nStopping...")
    finally:
        stack.stop(processes, platform, server)


def _stop_on_signals() -> None:
    """Ctrl-C and SIGTERM (kill, systemd) both stop every service cleanly, even when the
    shell started us with SIGINT ignored (a background job)."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)


def _print_welcome(platform: pipeline.Platform, ran: bool, seconds: float) -> None:
    found = stack.urls(platform)
    secrets = platform.secrets
    typer.secho(f"\nHealthy in {seconds:.0f} s.", fg="green", bold=True)
    if not ran:
        typer.echo("Marts already built: pipeline not re-run (use --refresh, or let the scheduler run it).")
    typer.echo(f"  Airflow   {found['airflow']}   user admin, password {secrets['airflow_admin_password']}")
    typer.echo(f"  Superset  {found['superset']}/superset/dashboard/tong-quan/   "
               f"user admin, password {secrets['superset_admin_password']}")  # fmt: skip
    for username, role, _, secret in superset.USER_LOGINS:
        typer.echo(f"            user {username}, password {secrets[secret]}   ({role})")
    typer.echo(f"  Stewards  {found['catalog']}   add one with: hub catalog steward add <user> --full-name ...")
    typer.echo(f"  Sharing   {found['sharing']}/datasets   agencies' API; add one with: hub sharing client add ...")
    typer.echo(f"  Passwords are kept in {platform.settings.secrets_file}; logs in {platform.settings.log_dir}")
    typer.echo("Press Ctrl-C to stop everything.")


@app.command()
def init() -> None:
    """The platform's start-up stages without simulators or services: databases, migrations, the
    reporting role, catalogs, dbt manifest. What a production deployment's init job runs."""
    startup.platform_stages(startup.Startup(get_settings()))


@pipeline_app.command("run")
def pipeline_run() -> None:
    """Run every DAG once, in order, in-process (no scheduler needed), then print a summary."""
    platform = pipeline.prepare()
    try:
        pipeline.run_all(platform)
        _echo_summary(platform.databases.warehouse)
    finally:
        platform.demo.stop()


db_app.command("migrate", help="Same as `hub init`: databases, migrations, raw tables, roles, catalogs.")(init)


@db_app.command("start")
def db_start() -> None:
    """Start the embedded PostgreSQL server (no-op when WAREHOUSE_URL is set)."""
    dbs = databases.provision()
    typer.echo(databases.hide_password(dbs.warehouse))


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded PostgreSQL server."""
    if get_settings().uses_embedded_server:
        databases.embedded_server().stop()


@quality_app.command("check")
def quality_check() -> None:
    """Run every Great Expectations suite in expectations/ against the published warehouse; exit 1 on a
    failed critical check (warnings are listed)."""
    from warehouse.quality import run_checkpoint

    results = run_checkpoint(databases.provision().warehouse)
    for result in results:
        failed = ", ".join(f"{f.check} ({f.severity})" for f in result.details)
        mark = f"FAILED: {failed}" if failed else "passed"
        typer.echo(f"{result.suite_name}: {result.evaluated} expectations, {mark}")
    if any(r.critical for r in results):
        raise typer.Exit(1)
