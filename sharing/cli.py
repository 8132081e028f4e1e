"""`hub sharing ...`: the sharing API's clients, grants, publications and audit log, by hand.

Commands run as the warehouse owner (the API itself never does). A client's secret is shown once,
when it is added or rotated: hand it to the agency over a channel you trust. Modules are imported
when a command runs, so that `hub --help` stays fast.
"""

from __future__ import annotations

import functools
import getpass
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    import psycopg

sharing_app = typer.Typer(help="The sharing API: clients, grants, publications, audit log.", no_args_is_help=True)
client_app = typer.Typer(help="Agencies' applications and their secrets.", no_args_is_help=True)
grant_app = typer.Typer(
    help="Which datasets a client may pull, which rows, which personal columns.", no_args_is_help=True
)
audit_app = typer.Typer(help="The audit log of every API request.", no_args_is_help=True)
sharing_app.add_typer(client_app, name="client")
sharing_app.add_typer(grant_app, name="grant")
sharing_app.add_typer(audit_app, name="audit")

F = TypeVar("F", bound=Callable[..., Any])
BY = typer.Option(None, "--by", envvar="HUB_OPERATOR", help="Who does it (default: your login name).")
SINCE = typer.Option(None, "--since", formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"], help="From this time (local).")
SCOPE = typer.Option(
    "all", "--scope", help="all | agency:<code> | <province|district|commune>:<code>:<pre2025|post2025>"
)


def _warehouse() -> str:
    from foundation import databases

    return databases.provision().warehouse


def _connect() -> psycopg.Connection:
    import psycopg

    return psycopg.connect(_warehouse(), autocommit=True)


def _by(value: str | None) -> str:
    return value or getpass.getuser()


def refusals(command: F) -> F:
    """A refused request as one red line and exit code 1, not a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sharing.clients import ClientError
        from sharing.grants import GrantError

        try:
            return command(*args, **kwargs)
        except (ClientError, GrantError, KeyError) as refused:
            typer.secho(str(refused).strip("'\""), fg="red", err=True)
            raise typer.Exit(1) from refused

    return wrapper  # type: ignore[return-value]


@sharing_app.command("datasets")
def datasets_list() -> None:
    """The shared datasets: id, title, key, where the rows come from."""
    from sharing import datasets

    with _connect() as conn:
        for d in datasets.all_datasets(conn):
            typer.echo(f"{d.id:32} {d.title_vi}  [{d.relation}, key {d.key}]")


@sharing_app.command("publish")
def publish() -> None:
    """Run a publication now (the transform and start-up run one too)."""
    from sharing import publication

    result = publication.publish(_warehouse(), "cli")
    typer.echo(f"publication {result.publication_id}: {result.datasets_changed} datasets changed")
    for dataset, (upserted, deleted) in sorted(result.changes.items()):
        typer.echo(f"  {dataset:32} {upserted:>8,} added or changed  {deleted:>8,} deleted")


@sharing_app.command("serve")
def serve(
    host: str = typer.Option(None, help="Default: HUB_BIND_HOST (127.0.0.1)."),
    port: int = typer.Option(None, help="Default: HUB_SHARING_PORT (8092)."),
) -> None:
    """Serve the sharing API (uvicorn), as the API's own database role."""
    import uvicorn

    from foundation.settings import get_settings

    settings = get_settings()
    uvicorn.run(
        "sharing.app:create_app", factory=True, host=host or settings.bind_host, port=port or settings.sharing_port
    )


# --- clients ---


@client_app.command("add")
@refusals
def client_add(
    client_id: str = typer.Argument(..., help="The application's key, e.g. so-y-te.his"),
    application: str = typer.Option(..., "--application", help="The application's name, as the agency calls it."),
    agency: str = typer.Option(..., "--agency", help="The agency's master code, e.g. 000.00.12.H17."),
    contact: str = typer.Option(None, "--contact", help="Who to call about it."),
    per_minute: int = typer.Option(120, "--requests-per-minute", min=1, help="Its rate limit."),
    by: str = BY,
) -> None:
    """Register an agency's application; prints its key and secret (the secret is shown once)."""
    from sharing import clients

    with _connect() as conn:
        issued = clients.add(conn, client_id, application, agency, _by(by), contact, per_minute)
    typer.echo(f"client {issued.client_id} added")
    typer.echo(f"client_id:     {issued.client_id}")
    typer.echo(f"client_secret: {issued.secret}   (shown once: hand it over safely, it is not stored)")


@client_app.command("rotate")
@refusals
def client_rotate(
    client_id: str,
    grace_hours: float = typer.Option(24, "--grace-hours", min=0, help="How long the old secret stays valid."),
) -> None:
    """Issue a new secret; the old one stays valid for the grace period, then stops."""
    from sharing import clients

    with _connect() as conn:
        issued = clients.rotate(conn, client_id, timedelta(hours=grace_hours))
    typer.echo(f"client_secret: {issued.secret}   (shown once)")
    if issued.old_secret_valid_until:
        typer.echo(f"the previous secret stops at {issued.old_secret_valid_until:%Y-%m-%d %H:%M %Z}")


@client_app.command("revoke")
@refusals
def client_revoke(
    client_id: str, reason: str = typer.Option(..., "--reason", help="Why (kept with the client)."), by: str = BY
) -> None:
    """Stop a client now: its secrets and every token already issued."""
    from sharing import clients

    with _connect() as conn:
        clients.revoke(conn, client_id, _by(by), reason)
    typer.echo(f"client {client_id} revoked")


@client_app.command("list")
def client_list() -> None:
    """Every client, with its agency, state and secrets in force."""
    from sharing import clients

    with _connect() as conn:
        for c in clients.list_clients(conn):
            state = f"revoked {c.revoked_at:%Y-%m-%d}" if c.revoked_at else f"{c.secrets_in_force} secret(s) in force"
            typer.echo(f"{c.client_id:28} {c.agency_code:16} {state:24} {c.application_name}")


# --- grants ---


@grant_app.command("add")
@refusals
def grant_add(
    client_id: str,
    dataset: str,
    scope: str = SCOPE,
    personal: str = typer.Option("", "--personal", help="Personal columns it may read unmasked, comma-separated."),
    reason: str = typer.Option(..., "--reason", help="The request or legal basis the grant answers."),
    by: str = BY,
) -> None:
    """Grant a dataset to a client (replacing its grant in force on that dataset)."""
    from sharing import datasets, grants

    with _connect() as conn:
        found = datasets.by_id(datasets.all_datasets(conn))
        if dataset not in found:
            raise KeyError(f"no dataset {dataset} (see `hub sharing datasets`)")
        columns = [c.strip() for c in personal.split(",") if c.strip()]
        granted = grants.add(conn, client_id, found[dataset], grants.Scope.parse(scope), columns, reason, _by(by))
    typer.echo(
        f"grant {granted.grant_id}: {client_id} may pull {dataset}, rows {granted.scope}, "
        f"personal columns: {', '.join(granted.personal_columns) or 'none (masked)'}"
    )


@grant_app.command("revoke")
@refusals
def grant_revoke(client_id: str, dataset: str, by: str = BY) -> None:
    """Withdraw a client's grant on a dataset."""
    from sharing import grants

    with _connect() as conn:
        grants.revoke(conn, client_id, dataset, _by(by))
    typer.echo(f"{client_id} may no longer pull {dataset}")


@grant_app.command("list")
def grant_list(
    client_id: str = typer.Option(None, "--client"),
    include_revoked: bool = typer.Option(False, "--all", help="Revoked grants too."),
) -> None:
    """The grants in force (or all of them)."""
    from sharing import grants

    with _connect() as conn:
        for g in grants.list_grants(conn, client_id, include_revoked):
            state = f"revoked {g.revoked_at:%Y-%m-%d}" if g.revoked_at else "in force"
            typer.echo(
                f"#{g.grant_id:<5} {g.client_id:28} {g.dataset:32} {g.scope!s:32} "
                f"personal: {','.join(g.personal_columns) or '-':24} {state}"
            )


# --- audit ---


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the audit log's hash chain; name the first row that does not match."""
    from sharing import audit

    with _connect() as conn:
        result = audit.verify(conn)
    if result.ok:
        typer.secho(f"audit log intact: {result.rows:,} rows, head hash {result.head_hash}", fg="green")
        typer.echo("(keep the head hash elsewhere: a log cut short at its end would verify as well)")
        return
    typer.secho(
        f"audit log BROKEN at row {result.first_broken}: {result.reason} ({result.rows - 1:,} rows before it verify)",
        fg="red",
        err=True,
    )
    raise typer.Exit(1)


@audit_app.command("list")
def audit_list(
    client_id: str = typer.Option(None, "--client"),
    since: datetime = SINCE,
    status: int = typer.Option(None, "--status"),
    limit: int = typer.Option(50, "--limit", min=1, max=10_000),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """The latest requests, newest first."""
    from sharing import audit

    with _connect() as conn:
        rows = audit.recent(conn, client_id, since.astimezone() if since else None, status, limit)
    for row in rows:
        if as_json:
            typer.echo(json.dumps(row, default=str, ensure_ascii=False))
            continue
        typer.echo(
            f"#{row['seq']:<7} {row['logged_at']:%Y-%m-%d %H:%M:%S} {row['status']:>3} "
            f"{row['client_id'] or '-':24} {row['method']:5} {row['path']:40} rows {row['row_count'] or 0:>6} "
            f"{row['duration_ms'] or 0:>5} ms {row['detail'] or ''}"
        )
