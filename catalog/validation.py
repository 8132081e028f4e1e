"""Validating a requested change: format, uniqueness, and references that would break.

`validate()` runs when a change is proposed, again when it is approved, and again when it
is published (the catalog may have moved on in between). It returns the normalised
payload to store, or raises ValidationFailed with every problem found, one sentence each.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

import psycopg

from catalog import registry, store
from catalog.model import ACTIONS, ChangeRequest, CodeVersion, NotFound, ValidationFailed

MAX_NAME = 300
TEXT_FIELDS = ("name", "parent_code", "primary", "parent_catalog", "old_name")


def clean_text(value: object) -> str:
    """NFC and single spaces: names arrive from forms, CSV and Excel in both Unicode forms."""
    return " ".join(unicodedata.normalize("NFC", str(value or "")).split())


def has_nul(value: object) -> bool:
    """Whether a NUL character hides anywhere in a text, or in a list's or a dict's keys and values
    (PostgreSQL text cannot hold one)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    return False


def validate(conn: psycopg.Connection, request: ChangeRequest, *, proposal_id: int | None = None) -> dict[str, Any]:
    """Check `request` against the catalog as it is now; `proposal_id` is the request's own
    proposal when re-validating one (so that it does not collide with itself)."""
    if has_nul([request.catalog, request.code, request.action, request.reason, request.payload]):
        raise ValidationFailed(["ký tự NUL không được phép (text must not contain NUL characters)"])
    problems: list[str] = _shape_problems(request.payload)
    if problems:
        raise ValidationFailed(problems)
    try:
        info = store.get_catalog(conn, request.catalog)
    except NotFound as missing:
        raise ValidationFailed([str(missing)]) from missing
    if request.action not in ACTIONS:
        raise ValidationFailed([f"unknown action '{request.action}' (one of {', '.join(ACTIONS)})"])
    if not clean_text(request.reason):
        problems.append("a reason is required")
    code, when = request.code.strip(), request.effective_on
    if not re.fullmatch(info.code_pattern, code):
        problems.append(f"code '{code}' does not match the {request.catalog} format {info.code_pattern}")
    open_ids = conn.execute(
        "select proposal_id from catalog.proposals where catalog = %s and code = %s "
        "and status in ('proposed', 'approved') and proposal_id is distinct from %s",
        (request.catalog, code, proposal_id),
    ).fetchall()
    if open_ids:
        problems.append(f"{request.catalog}/{code} already has an open proposal #{open_ids[0][0]}")
    payload: dict[str, Any] = {}
    if request.action == "add":
        payload = _check_add(conn, request, code, when, problems)
    else:
        current = store.version_on(conn, request.catalog, code, when)
        if current is None:
            problems.append(f"{request.catalog}/{code} is not valid on {when}")
        elif current.valid_to is not None:
            problems.append(
                f"{request.catalog}/{code} already changes on {current.valid_to}; change its latest version"
            )
        elif current.valid_from is not None and when <= current.valid_from:
            problems.append(f"the effective date must be after {current.valid_from}, when the current version began")
        else:
            payload = _check_change(conn, request, current, when, problems)
    if problems:
        raise ValidationFailed(problems)
    return payload


def _shape_problems(payload: dict[str, Any]) -> list[str]:
    """The payload's values the checks below read must have the right types (they come from JSON too)."""
    problems = [f"{key} must be a text" for key in TEXT_FIELDS if not isinstance(payload.get(key, ""), str | None)]
    into = payload.get("into")
    if into is not None and not (
        isinstance(into, str) or (isinstance(into, list) and all(isinstance(t, str) for t in into))
    ):
        problems.append("into must be a code or a list of codes")
    attributes = payload.get("attributes")
    if attributes is not None and not (
        isinstance(attributes, dict)
        and all(isinstance(v, str | int | float | bool | None) for v in attributes.values())
    ):
        problems.append("attributes must be an object of texts, numbers or true/false values")
    return problems


def _check_name(value: object, problems: list[str]) -> str:
    name = clean_text(value)
    if not name:
        problems.append("a name is required")
    elif any(unicodedata.category(c) == "Cc" for c in name):
        problems.append("the name contains control characters")
    elif len(name) > MAX_NAME:
        problems.append(f"the name is longer than {MAX_NAME} characters")
    return name


def _check_parent(
    conn: psycopg.Connection, catalog: str, parent_code: object, when: date, problems: list[str]
) -> dict[str, Any]:
    parent = clean_text(parent_code)
    if not parent:
        return {"parent_catalog": None, "parent_code": None}
    parent_catalog = registry.parent_of(catalog)
    if parent_catalog is None:
        problems.append(f"codes of {catalog} have no parent")
    elif store.version_on(conn, parent_catalog, parent, when) is None:
        problems.append(f"parent {parent_catalog}/{parent} is not valid on {when}")
    return {"parent_catalog": parent_catalog, "parent_code": parent}


def _check_add(
    conn: psycopg.Connection, request: ChangeRequest, code: str, when: date, problems: list[str]
) -> dict[str, Any]:
    clash = conn.execute(
        "select valid_from, name from catalog.codes where catalog = %s and code = %s and state <> 'draft' "
        "and validity && daterange(%s, null) order by valid_from nulls first limit 1",
        (request.catalog, code, when),
    ).fetchone()
    if clash:
        problems.append(f"{request.catalog}/{code} already exists ({clash[1]}) on or after {when}")
    name = _check_name(request.payload.get("name"), problems)
    parent = _check_parent(conn, request.catalog, request.payload.get("parent_code"), when, problems)
    return {"name": name, **parent, "attributes": dict(request.payload.get("attributes") or {})}


def _check_change(
    conn: psycopg.Connection, request: ChangeRequest, current: CodeVersion, when: date, problems: list[str]
) -> dict[str, Any]:
    given = request.payload
    if request.action == "rename":
        name = _check_name(given.get("name"), problems)
        if name == current.name:
            problems.append(f"the new name is the same as the current one ({current.name})")
        return {"name": name, "old_name": current.name}
    if request.action == "update":
        name = _check_name(given.get("name") or current.name, problems)
        parent_code = given.get("parent_code", current.parent_code)
        parent = _check_parent(conn, request.catalog, parent_code, when, problems)
        attributes = {**current.attributes, **(given.get("attributes") or {})}
        if (name, parent["parent_code"], attributes) == (
            current.name,
            current.parent_code,
            current.attributes,
        ):
            problems.append("the update changes nothing")
        return {"name": name, **parent, "attributes": attributes}
    # retire, merge, split: the code stops being valid, so nothing may still depend on it
    broken = store.references_to(conn, request.catalog, current.code, when)
    if broken:
        problems.append(
            f"{request.catalog}/{current.code} is still referenced, re-point these first: " + "; ".join(broken)
        )
    if request.action == "retire":
        return {}
    targets = given.get("into")
    targets = [targets] if isinstance(targets, str) else list(targets or [])
    targets = [clean_text(t) for t in targets if clean_text(t)]
    if request.action == "merge" and len(targets) != 1:
        problems.append("a merge needs exactly one code to merge into")
    if request.action == "split" and len(set(targets)) < 2:
        problems.append("a split needs at least two distinct successor codes")
    for target in targets:
        if target == current.code:
            problems.append(f"{current.code} cannot be its own successor")
        elif store.version_on(conn, request.catalog, target, when) is None:
            problems.append(f"successor {request.catalog}/{target} is not valid on {when}")
    if request.action == "merge":
        return {"into": targets[0] if targets else None}
    primary = clean_text(given.get("primary")) or (targets[0] if targets else "")
    if targets and primary not in targets:
        problems.append(f"the primary successor {primary} is not one of {', '.join(targets)}")
    return {"into": targets, "primary": primary}
