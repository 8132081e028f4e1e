"""Stewards: the only people who can change a catalog. Passwords are argon2id hashes; there is
no default password: `hub catalog steward add` prompts for one or generates one and shows it once."""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from psycopg.rows import class_row

from catalog import sessions
from catalog.model import CatalogError, NotAllowed

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 12
USERNAME_PATTERN = r"[a-z0-9][a-z0-9._-]{2,39}"
_hasher = PasswordHasher()
# verified against when the username is unknown, so that a wrong name and a wrong password take as long
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class Steward:
    username: str
    full_name: str
    is_active: bool


def generate_password() -> str:
    return secrets.token_urlsafe(15)  # 20 characters, about 120 bits


def add_steward(conn: psycopg.Connection, username: str, full_name: str, password: str) -> Steward:
    if not re.fullmatch(USERNAME_PATTERN, username):
        raise CatalogError(f"username must match {USERNAME_PATTERN} (lowercase letters, digits, . _ -)")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CatalogError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if not full_name.strip():
        raise CatalogError("a full name is required")
    try:
        conn.execute(
            "insert into catalog.stewards (username, full_name, password_hash) values (%s, %s, %s)",
            (username, " ".join(full_name.split()), _hasher.hash(password)),
        )
    except psycopg.errors.UniqueViolation as exists:
        raise CatalogError(f"steward {username} already exists") from exists
    log.info("steward %s added", username)
    return Steward(username, full_name, True)


def set_password(conn: psycopg.Connection, username: str, password: str) -> None:
    """A new password; every session of the steward ends (whoever knew the old one is logged out)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise CatalogError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    with conn.transaction():
        updated = conn.execute(
            "update catalog.stewards set password_hash = %s where username = %s",
            (_hasher.hash(password), username),
        ).rowcount
        if not updated:
            raise CatalogError(f"no steward {username}")
        sessions.end_all(conn, username)


def set_active(conn: psycopg.Connection, username: str, active: bool) -> None:
    """Activate or deactivate; deactivating ends every session of the steward at once."""
    with conn.transaction():
        conn.execute("update catalog.stewards set is_active = %s where username = %s", (active, username))
        if not active:
            sessions.end_all(conn, username)


def get(conn: psycopg.Connection, username: str) -> Steward | None:
    with conn.cursor(row_factory=class_row(Steward)) as cur:
        return cur.execute(
            "select username, full_name, is_active from catalog.stewards where username = %s", (username,)
        ).fetchone()


def list_stewards(conn: psycopg.Connection) -> list[Steward]:
    with conn.cursor(row_factory=class_row(Steward)) as cur:
        return cur.execute("select username, full_name, is_active from catalog.stewards order by 1").fetchall()


def require_active(conn: psycopg.Connection, username: str) -> Steward:
    steward = get(conn, username)
    if steward is None or not steward.is_active:
        raise NotAllowed(f"{username} is not an active steward; only stewards can change the catalogs")
    return steward


def authenticate(conn: psycopg.Connection, username: str, password: str) -> Steward | None:
    """The steward if the password is right and the account active, else None."""
    row = conn.execute(
        "select password_hash, full_name, is_active from catalog.stewards where username = %s", (username,)
    ).fetchone()
    stored = row[0] if row else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row[2]:
        return None
    if _hasher.check_needs_rehash(stored):
        conn.execute(
            "update catalog.stewards set password_hash = %s where username = %s",
            (_hasher.hash(password), username),
        )
    return Steward(username, row[1], True)
