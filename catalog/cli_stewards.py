"""`hub catalog steward ...`: steward accounts. There is no default password."""

from __future__ import annotations

import typer

from catalog.cli_common import (
    connect,
    refusals,
    steward_app,
)


@steward_app.command("add")
@refusals
def steward_add(
    username: str,
    full_name: str = typer.Option(..., "--full-name", help="As shown in the change log."),
    generate: bool = typer.Option(False, "--generate-password", help="Generate a password and show it once."),
) -> None:
    """Add a steward; prompts for the password (twice) unless --generate-password."""
    from catalog import users

    if generate:
        password = users.generate_password()
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with connect() as conn:
        users.add_steward(conn, username, full_name, password)
    typer.echo(f"steward {username} added")
    if generate:
        typer.echo(f"password (shown once, store it safely): {password}")


@steward_app.command("password")
@refusals
def steward_password(
    username: str,
    generate: bool = typer.Option(False, "--generate-password", help="Generate a password and show it once."),
) -> None:
    """Set a steward's password; every session of that steward ends (whoever knew the old one is logged out)."""
    from catalog import users

    if generate:
        password = users.generate_password()
    else:
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    with connect() as conn:
        users.set_password(conn, username, password)
    typer.echo(f"password of {username} changed; their sessions have ended")
    if generate:
        typer.echo(f"password (shown once, store it safely): {password}")


@steward_app.command("list")
def steward_list() -> None:
    """List the stewards."""
    from catalog import users

    with connect() as conn:
        for s in users.list_stewards(conn):
            typer.echo(f"{s.username:24} {'active' if s.is_active else 'inactive':9} {s.full_name}")


@steward_app.command("deactivate")
def steward_deactivate(username: str) -> None:
    """Stop a steward from logging in or changing anything, ending their sessions (history keeps the name)."""
    from catalog import users

    with connect() as conn:
        users.set_active(conn, username, False)
    typer.echo(f"steward {username} deactivated")
