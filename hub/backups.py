"""`hub backup`: base backups, their list, and point-in-time restore of the embedded server; and the
start-up stage of `hub up` that archives the embedded server's WAL and takes its first base backup."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from foundation import backup, databases, recovery
from foundation.backup import BackupError
from foundation.settings import Settings, get_settings
from hub.console import stage

backup_app = typer.Typer(
    help="Base backups and archived WAL of the warehouse's server; restore to a moment in time.",
    no_args_is_help=True,
)


def up_stage(settings: Settings) -> None:
    """`hub up`, embedded server only: archive its WAL (set once, kept in its configuration; a server
    started by an older version restarts once) and take a first base backup when there is none."""
    if not settings.uses_embedded_server:
        return  # a server of its own archives as its deployment sets it up (deploy/README.md, Backups)

    def run() -> tuple[None, str]:
        server = databases.embedded_server(settings)
        server.start()
        backup.enable_archiving(server, settings.backup_dir)
        found = backup.list_backups(settings.backup_dir)
        if found:
            return None, f"WAL archived; newest base backup {backup.local(found[0].ended_at)}"
        taken = backup.create(server.url(), settings.backup_dir, label="first backup, by hub up")
        return None, f"first base backup taken ({_size(taken.bytes)}) in {settings.backup_dir}"

    stage("backups", run)


REPLICATION_HINT = "(The role in WAREHOUSE_URL needs REPLICATION, and pg_hba.conf a `host replication` line.)"


def _size(count: int) -> str:
    return f"{count / 2**20:,.1f} MB" if count < 2**30 else f"{count / 2**30:,.2f} GB"


def _fail(error: BackupError) -> typer.Exit:
    typer.secho(str(error), fg="red", err=True)
    return typer.Exit(1)


@backup_app.command("create")
def create(label: str = typer.Option("hub backup", help="A note kept with the backup.")) -> None:
    """Take a base backup (pg_basebackup, compressed, verified) into <backup dir>/base/.

    The embedded server also starts archiving its WAL if it did not; a server given by WAREHOUSE_URL is
    copied over the network, and its role must be allowed to replicate."""
    settings = get_settings()
    url = settings.warehouse_url
    server = databases.embedded_server(settings) if url is None else None
    was_running = server is None or server.is_running()
    if server is not None:
        server.start()
        backup.enable_archiving(server, settings.backup_dir)
        url = server.url()
    assert url is not None
    where = databases.hide_password(url).split("@")[-1].split("/")[0]
    typer.echo(f"Backing up the server at {where} into {settings.backup_dir} ...")
    try:
        taken = backup.create(url, settings.backup_dir, label)
    except BackupError as error:
        hint = "" if server else f"\n{REPLICATION_HINT}"
        raise _fail(BackupError(f"{error}{hint}")) from None
    finally:
        if server is not None and not was_running:
            server.stop()  # as it was found
    typer.echo(f"Base backup {taken.name}: {_size(taken.bytes)}, restorable from {backup.local(taken.ended_at)}")


@backup_app.command("list")
def list_backups() -> None:
    """The base backups, newest first, and the span of time a restore can reach (province time)."""
    settings = get_settings()
    found = backup.list_backups(settings.backup_dir)
    if not found:
        typer.echo(f"No base backup in {settings.backup_dir} yet: take one with `hub backup create`.")
        return
    typer.echo(f"{'name':<18} {'size':>10}  {'started':<25} {'ended':<25} label")
    for b in found:
        started, ended = backup.local(b.started_at), backup.local(b.ended_at)
        typer.echo(f"{b.name:<18} {_size(b.bytes):>10}  {started:<25} {ended:<25} {b.label}")
    server = databases.embedded_server(settings) if settings.uses_embedded_server else None
    if server is not None and server.is_running():
        latest = "now (a restore archives the current WAL first)"
    else:
        archived = backup.latest_archived(settings.backup_dir)
        latest = f"{backup.local(archived)} (the newest archived WAL)" if archived else "the newest backup's end"
    typer.echo(f"Restorable from {backup.local(found[-1].ended_at)} to {latest}.")


@backup_app.command("prune")
def prune(keep: int = typer.Option(..., "--keep", min=1, help="How many of the newest base backups to keep.")) -> None:
    """Delete the older base backups and the archived WAL only they need.

    A restore then reaches back to the oldest backup kept, no further."""
    settings = get_settings()
    try:
        gone = backup.prune(settings.backup_dir, keep)
    except BackupError as error:
        raise _fail(error) from None
    names = ", ".join(b.name for b in gone) or "none"
    typer.echo(f"Deleted {len(gone)} base backup(s) ({names}) and the WAL before the oldest one kept.")


TO_HELP = (
    "The moment to go back to, e.g. '2026-12-07 14:05': province time (Asia/Ho_Chi_Minh) unless an offset "
    "is given ('2026-12-07T07:05Z', '...+07:00'). Without it: the latest moment the archived WAL reaches."
)


@backup_app.command("restore")
def restore(
    to: str | None = typer.Option(None, "--to", help=TO_HELP),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Restore the embedded server to a moment in time, or to the latest one the WAL reaches.

    The whole server goes back: the warehouse, and Airflow's and Superset's metadata. Stop `hub up`
    first. The current data directory is moved aside, never deleted."""
    settings = get_settings()
    if not settings.uses_embedded_server:
        typer.secho("`hub backup restore` restores the embedded server only; a server given by WAREHOUSE_URL is "
                    "restored as deploy/README.md (Backups) describes.", fg="red", err=True)  # fmt: skip
        raise typer.Exit(1)
    server = databases.embedded_server(settings)
    try:
        target = backup.parse_moment(to) if to else None
        chosen = recovery.choose(settings.backup_dir, target)
    except BackupError as error:
        raise _fail(error) from None
    moment = backup.local(target) if target else "the latest moment the WAL reaches"
    typer.echo(f"Restore the embedded server to {moment}, from base backup {chosen.name}.")
    if not yes and not typer.confirm("Its current data directory will be moved aside. Go on?"):
        typer.echo("Nothing changed.")
        raise typer.Exit(1)
    started = datetime.now(UTC)
    try:
        done = recovery.restore(server, settings.backup_dir, target, say=lambda line: typer.echo(f"  {line}"))
    except BackupError as error:
        raise _fail(error) from None
    seconds = (datetime.now(UTC) - started).total_seconds()
    typer.secho(f"Restored in {seconds:.0f} s; the server is running.", fg="green")
    if done.kept_at:
        typer.echo(f"The data as it was before is in {done.kept_at}: delete it once you are sure.")
