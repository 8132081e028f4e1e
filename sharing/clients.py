"""Agencies' applications (clients), their secrets and the bearer tokens they exchange them for.

A client is an application name with an agency code and a key (`client_id`). Its secret is
generated, shown once and stored as an argon2id hash only. OAuth2 client credentials: the key and
secret are exchanged for a short-lived bearer token, stored as a SHA-256 digest only
(`foundation.tokens`). Rotating a secret issues a new one; the old one stays valid for a grace
period, then stops (with the tokens issued from it). Revoking a client stops its secrets and tokens
at once. The stewards' side (add, rotate, revoke, list) runs as the warehouse owner (`hub sharing
client ...`) or as the stewards' app's role (its grants: admin_role.py); the API's side
(`authenticate`, `issue_token`, `client_for_token`) as `hub_sharing`.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from psycopg.rows import class_row

from foundation import tokens

CLIENT_ID = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")
AGENCY_CODE = re.compile(r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}")
TOKEN_TTL = timedelta(minutes=15)
DEFAULT_GRACE = timedelta(hours=24)
_hasher = PasswordHasher()  # argon2id
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))  # a wrong key costs as long as a wrong secret


class ClientError(ValueError):
    """A steward's request that cannot be done (unknown client, bad code, ...)."""


@dataclass(frozen=True)
class Client:
    client_id: str
    application_name: str
    agency_code: str
    contact: str | None
    requests_per_minute: int
    created_at: datetime
    revoked_at: datetime | None
    secrets_in_force: int = 0
    created_by: str = ""
    revoked_by: str | None = None
    revoke_reason: str | None = None


@dataclass(frozen=True)
class Secret:
    """A secret as the stewards see it: when it was issued and until when it works; never its hash."""

    secret_id: int
    client_id: str
    created_at: datetime
    expires_at: datetime | None


@dataclass(frozen=True)
class Issued:
    """What the steward hands to the agency, once: the key and the secret."""

    client_id: str
    secret: str
    old_secret_valid_until: datetime | None = None


@dataclass(frozen=True)
class Authenticated:
    client_id: str
    agency_code: str
    requests_per_minute: int


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def add(
    conn: psycopg.Connection,
    client_id: str,
    application_name: str,
    agency_code: str,
    by: str,
    contact: str | None = None,
    requests_per_minute: int = 120,
) -> Issued:
    """Register an agency's application; returns its key and its first secret (shown once)."""
    if not CLIENT_ID.fullmatch(client_id):
        raise ClientError(f"the client id must match {CLIENT_ID.pattern} (lowercase letters, digits, . _ -)")
    if not AGENCY_CODE.fullmatch(agency_code):
        raise ClientError(f"{agency_code} is not an agency code (Decision 20/2020/QĐ-TTg: 000.00.00.H17)")
    known = conn.execute(
        "select 1 from sharing.catalog_codes where catalog = 'agency' and code = %s", (agency_code,)
    ).fetchone()
    if not known:
        raise ClientError(f"agency {agency_code} is not in the published agency catalog")
    if not application_name.strip():
        raise ClientError("an application name is required")
    secret = new_secret()
    with conn.transaction():
        try:
            conn.execute(
                """insert into sharing.clients (client_id, application_name, agency_code, contact,
                                                requests_per_minute, created_by)
                   values (%s, %s, %s, %s, %s, %s)""",
                (client_id, " ".join(application_name.split()), agency_code, contact, requests_per_minute, by),
            )
        except psycopg.errors.UniqueViolation as exists:
            raise ClientError(f"client {client_id} already exists") from exists
        conn.execute(
            "insert into sharing.client_secrets (client_id, secret_hash) values (%s, %s)",
            (client_id, _hasher.hash(secret)),
        )
    return Issued(client_id, secret)


def rotate(conn: psycopg.Connection, client_id: str, grace: timedelta = DEFAULT_GRACE) -> Issued:
    """A new secret; the ones in force now stay valid for `grace` (zero: they stop at once)."""
    if grace < timedelta(0):
        raise ClientError("the grace period cannot be negative")
    secret = new_secret()
    with conn.transaction():
        _require_active(conn, client_id)
        until = conn.execute(
            """update sharing.client_secrets set expires_at = now() + %s
               where client_id = %s and (expires_at is null or expires_at > now() + %s)
               returning expires_at""",
            (grace, client_id, grace),
        ).fetchone()
        conn.execute(
            "insert into sharing.client_secrets (client_id, secret_hash) values (%s, %s)",
            (client_id, _hasher.hash(secret)),
        )
    return Issued(client_id, secret, until[0] if until else None)


def revoke(conn: psycopg.Connection, client_id: str, by: str, reason: str) -> None:
    """Stop the client now: its secrets and every token already issued."""
    if not reason.strip():
        raise ClientError("say why the client is revoked")
    with conn.transaction():
        _require_active(conn, client_id)
        conn.execute(
            "update sharing.clients set revoked_at = now(), revoked_by = %s, revoke_reason = %s where client_id = %s",
            (by, reason, client_id),
        )


def _require_active(conn: psycopg.Connection, client_id: str) -> None:
    row = conn.execute("select revoked_at from sharing.clients where client_id = %s", (client_id,)).fetchone()
    if row is None:
        raise ClientError(f"no client {client_id}")
    if row[0] is not None:
        raise ClientError(f"client {client_id} was revoked on {row[0]:%Y-%m-%d %H:%M}")


def list_clients(conn: psycopg.Connection) -> list[Client]:
    with conn.cursor(row_factory=class_row(Client)) as cur:
        return cur.execute(
            """select c.client_id, c.application_name, c.agency_code, c.contact, c.requests_per_minute,
                      c.created_at, c.revoked_at,
                      (select count(*) from sharing.client_secrets s
                       where s.client_id = c.client_id and (s.expires_at is null or s.expires_at > now()))
                      as secrets_in_force,
                      c.created_by, c.revoked_by, c.revoke_reason
               from sharing.clients c order by c.client_id"""
        ).fetchall()


def secrets_in_force(conn: psycopg.Connection) -> dict[str, list[Secret]]:
    """Each client's secrets that still work, oldest first (the one being rotated out has an expiry)."""
    found: dict[str, list[Secret]] = {}
    with conn.cursor(row_factory=class_row(Secret)) as cur:
        rows = cur.execute(
            """select secret_id, client_id, created_at, expires_at from sharing.client_secrets
               where expires_at is null or expires_at > now() order by client_id, secret_id"""
        ).fetchall()
    for secret in rows:
        found.setdefault(secret.client_id, []).append(secret)
    return found


def agency_names(conn: psycopg.Connection, codes: list[str]) -> dict[str, str]:
    """The published name of each agency code (its latest version), for the stewards' listing."""
    rows = conn.execute(
        """select distinct on (code) code, name from sharing.catalog_codes
           where catalog = 'agency' and code = any(%s) order by code, valid_from desc nulls last, version_id desc""",
        (codes,),
    ).fetchall()
    return dict(rows)


# --- the API's side (role hub_sharing) ---


def authenticate(conn: psycopg.Connection, client_id: str, secret: str) -> tuple[Authenticated, int] | None:
    """(the client, the secret's id) if the secret is one in force of an active client, else None.
    A wrong key takes as long as a wrong secret."""
    rows = conn.execute(
        """select s.secret_id, s.secret_hash, c.agency_code, c.requests_per_minute
           from sharing.clients c join sharing.client_secrets s using (client_id)
           where c.client_id = %s and c.revoked_at is null and (s.expires_at is null or s.expires_at > now())
           order by s.secret_id desc""",
        (client_id,),
    ).fetchall()
    for secret_id, stored, agency_code, rpm in rows or [(None, _DUMMY_HASH, None, None)]:
        try:
            _hasher.verify(stored, secret)
        except (VerificationError, InvalidHashError):
            continue
        if secret_id is not None:
            return Authenticated(client_id, agency_code, rpm), secret_id
    return None


def issue_token(
    conn: psycopg.Connection, client: Authenticated, secret_id: int, address: str | None, ttl: timedelta = TOKEN_TTL
) -> tuple[str, int]:
    """A new bearer token (only its digest is stored) and its lifetime in seconds."""
    token = tokens.new_token()
    conn.execute(
        """insert into sharing.tokens (token_digest, client_id, secret_id, expires_at, address)
           values (%s, %s, %s, now() + %s, %s)""",
        (tokens.digest(token), client.client_id, secret_id, ttl, address),
    )
    return token, int(ttl.total_seconds())


def client_for_token(conn: psycopg.Connection, token: str) -> tuple[Authenticated | None, str | None, str]:
    """(the client, if the token is valid now; the client id it names, if any; why it was refused)."""
    row = conn.execute(
        """select t.client_id, c.agency_code, c.requests_per_minute,
                  t.expires_at > now() as fresh, c.revoked_at is null as active,
                  (s.expires_at is null or s.expires_at > now()) as secret_valid
           from sharing.tokens t
           join sharing.clients c using (client_id)
           join sharing.client_secrets s on s.secret_id = t.secret_id
           where t.token_digest = %s""",
        (tokens.digest(token),),
    ).fetchone()
    if row is None:
        return None, None, "unknown token"
    client_id, agency_code, rpm, fresh, active, secret_valid = row
    if not active:
        return None, client_id, "client revoked"
    if not secret_valid:
        return None, client_id, "the secret this token was issued from was rotated out"
    if not fresh:
        return None, client_id, "token expired"
    return Authenticated(client_id, agency_code, rpm), client_id, "ok"
