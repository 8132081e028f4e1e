"""What the catalog commands share: the typer apps, the warehouse connection, steward login,
and turning a refused request into a red message and exit code 1.

Commands import the heavier catalog modules (psycopg, openpyxl, argon2) when they run, so that
`hub --help` and every other hub command stay fast."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import uuid
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from catalog.model import CatalogError, ValidationFailed

if TYPE_CHECKING:
    import psycopg

catalog_app = typer.Typer(
    help="Shared master catalogs: browse, propose, review, map, import, export.",
    no_args_is_help=True,
    add_completion=False,
)
steward_app = typer.Typer(help="Steward accounts (the people who may change catalogs).", no_args_is_help=True)
catalog_app.add_typer(steward_app, name="steward")

F = TypeVar("F", bound=Callable[..., Any])
STEWARD = typer.Option(..., "--steward", "-s", envvar="HUB_STEWARD", help="Your steward username.")
ON = typer.Option(None, "--on", help="Validity date, YYYY-MM-DD (default: today).", formats=["%Y-%m-%d"])


def warehouse() -> str:
    """The warehouse's URL (starting the embedded server if used); it must be migrated (`hub db migrate`)."""
    import psycopg

    from foundation import databases

    url = databases.provision().warehouse
    with psycopg.connect(url) as conn:
        if conn.execute("select to_regclass('catalog.codes')").fetchone()[0] is None:
            raise CatalogError("the warehouse has no catalogs yet: run `hub db migrate` first")
    return url


def connect() -> psycopg.Connection:
    from catalog import store

    return store.connect(warehouse())


def authenticated(conn: psycopg.Connection, username: str) -> str:
    from catalog import users

    password = os.environ.get("HUB_STEWARD_PASSWORD") or typer.prompt(f"Password for {username}", hide_input=True)
    if users.authenticate(conn, username, password) is None:
        raise CatalogError("wrong username or password, or the account is inactive")
    return username


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, date | uuid.UUID):
        return str(value)
    raise TypeError(f"cannot print {type(value).__name__} as JSON")


def echo_json(value: Any) -> None:
    typer.echo(json.dumps(value, default=_plain, ensure_ascii=False, indent=2))


def refusals(command: F) -> F:
    """Print a refused request as one red message and exit 1, instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CatalogError as refused:
            problems = refused.problems if isinstance(refused, ValidationFailed) else [str(refused)]
            for problem in problems:
                typer.secho(problem, fg="red", err=True)
            raise typer.Exit(1) from refused

    return wrapper  # type: ignore[return-value]
