"""`hub catalog` commands that change something, as an authenticated steward:
propose, review, publish, withdraw, import, map."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from catalog.cli_common import (
    STEWARD,
    authenticated,
    catalog_app,
    connect,
    refusals,
)
from catalog.model import ChangeRequest


@catalog_app.command()
@refusals
def propose(
    catalog: str,
    code: str,
    action: str = typer.Argument(..., help="add, rename, update, retire, merge or split."),
    reason: str = typer.Option(..., "--reason", "-r", help="Why, with the legal basis."),
    effective_on: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="YYYY-MM-DD (default: today).")
    ] = None,
    name: str = typer.Option(None, help="add, rename, update: the (new) name."),
    parent_code: str = typer.Option(None, help="add, update: the parent code."),
    into: Annotated[
        list[str] | None, typer.Option(help="merge: the code to merge into; split: repeat per successor.")
    ] = None,
    primary: str = typer.Option(None, help="split: the primary successor (default: the first)."),
    steward: str = STEWARD,
) -> None:
    """Propose a change; another steward must review it."""
    from catalog import stewardship

    payload: dict[str, Any] = {
        k: v for k, v in (("name", name), ("parent_code", parent_code), ("primary", primary)) if v
    }
    if into:
        payload["into"] = into[0] if action == "merge" else list(into)
    with connect() as conn:
        day = effective_on.date() if effective_on else date.today()
        request = ChangeRequest(catalog, code, action, reason, day, payload)
        proposal = stewardship.propose(conn, authenticated(conn, steward), request)
    typer.echo(f"proposal #{proposal.proposal_id} recorded; another steward must review it")


@catalog_app.command()
@refusals
def review(
    proposal_id: int | None = typer.Argument(None, help="The proposal (or use --batch)."),
    decision: str = typer.Argument(..., help="approve or reject."),
    note: str = typer.Option("", help="Your comment; required to reject."),
    publish: bool = typer.Option(False, help="Publish at once when approving."),
    batch: str = typer.Option(None, help="Review every open proposal of one import batch."),
    steward: str = STEWARD,
) -> None:
    """Approve or reject a proposal (not your own)."""
    from catalog import bulk_import, stewardship

    with connect() as conn:
        reviewer = authenticated(conn, steward)
        if batch:
            done = bulk_import.review_batch(conn, uuid.UUID(batch), reviewer, decision, note, publish)
            typer.echo(f"{len(done)} proposal(s) {done[0].status}")
            return
        if decision == "approve" and publish:
            result = stewardship.approve_and_publish(conn, proposal_id, reviewer, note)
        else:
            result = stewardship.review(conn, proposal_id, reviewer, decision, note)
    typer.echo(f"proposal #{proposal_id} {result.status}")


@catalog_app.command()
@refusals
def publish(proposal_id: int, steward: str = STEWARD) -> None:
    """Publish an approved proposal on the effective date that was approved (another date needs a new proposal)."""
    from catalog import stewardship

    with connect() as conn:
        result = stewardship.publish(conn, proposal_id, authenticated(conn, steward))
    typer.echo(f"proposal #{proposal_id} published, effective {result.effective_on}")


@catalog_app.command()
@refusals
def withdraw(
    proposal_id: int,
    reason: str = typer.Option(..., "--reason", "-r", help="Why it is withdrawn."),
    steward: str = STEWARD,
) -> None:
    """Withdraw an open proposal (nothing is applied; its code is free for a new proposal)."""
    from catalog import stewardship

    with connect() as conn:
        stewardship.withdraw(conn, proposal_id, authenticated(conn, steward), reason)
    typer.echo(f"proposal #{proposal_id} withdrawn")


@catalog_app.command("import")
@refusals
def import_(
    catalog: str,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A .csv or .xlsx file.")],
    reason: str = typer.Option(..., "--reason", "-r"),
    effective_on: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Default effective date.")] = None,
    steward: str = STEWARD,
) -> None:
    """Validate a file row by row; all rows become one batch of proposals, or none do."""
    from catalog import bulk_import

    with connect() as conn:
        day = effective_on.date() if effective_on else None
        with file.open("rb") as content:
            report = bulk_import.import_file(
                conn, authenticated(conn, steward), catalog, file.name, content, reason, day
            )
    for row in report.rows:
        typer.echo(f"row {row.row_number:5} {row.code:16} {'ok' if row.ok else '; '.join(row.problems)}")
    if not report.applied:
        typer.secho(f"{len(report.failed)} row(s) failed: nothing recorded", fg="red", err=True)
        raise typer.Exit(1)
    typer.echo(f"batch {report.batch_id}: {len(report.rows)} proposal(s) waiting for review")


@catalog_app.command("map")
@refusals
def map_(
    source_system: str,
    code_kind: str,
    local_code: str,
    master_code: str,
    note: str = typer.Option("", help="Why this mapping."),
    steward: str = STEWARD,
) -> None:
    """Map a source system's local code to a master code."""
    from catalog import mapping

    with connect() as conn:
        mapping.map_code(conn, authenticated(conn, steward), source_system, code_kind, local_code, master_code, note)
    typer.echo(f"{source_system}:{code_kind}:{local_code} → {master_code}")
