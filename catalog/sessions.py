"""Server-side login sessions of the stewards (table catalog.steward_sessions, migration 0210).

The browser holds an opaque random token; the table holds its digest (foundation.tokens),
the steward, and when the session began, was last used and expires. Every request looks the
token up (`resume`): a session ends at logout (`end`), when the steward's password changes or
the steward is deactivated (`end_all`, called by catalog/users.py), after IDLE_TIMEOUT without
a request, and ABSOLUTE_TIMEOUT after login, whatever happens in between.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import psycopg

from foundation import tokens

log = logging.getLogger(__name__)

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=8)  # one working day


def start(conn: psycopg.Connection, username: str) -> str:
    """A new session for `username`; returns the token (shown to the browser once, never stored)."""
    token = tokens.new_token()
    with conn.transaction():
        conn.execute(  # the ones nobody can use any more
            "delete from catalog.steward_sessions where expires_at <= now() or last_seen_at <= now() - %s",
            (IDLE_TIMEOUT,),
        )
        conn.execute(
            "insert into catalog.steward_sessions (token_digest, username, expires_at) values (%s, %s, now() + %s)",
            (tokens.digest(token), username, ABSOLUTE_TIMEOUT),
        )
    log.info("session started for %s", username)
    return token


def resume(conn: psycopg.Connection, token: str) -> str | None:
    """The username of a live session with this token (an active steward), marking it used now; else None."""
    row = conn.execute(
        """update catalog.steward_sessions s set last_seen_at = now()
           from catalog.stewards w
           where s.token_digest = %s and w.username = s.username and w.is_active
             and s.expires_at > now() and s.last_seen_at > now() - %s
           returning s.username""",
        (tokens.digest(token), IDLE_TIMEOUT),
    ).fetchone()
    return row[0] if row else None


def end(conn: psycopg.Connection, token: str) -> None:
    conn.execute("delete from catalog.steward_sessions where token_digest = %s", (tokens.digest(token),))


def end_all(conn: psycopg.Connection, username: str) -> int:
    """End every session of one steward; how many there were."""
    ended = conn.execute("delete from catalog.steward_sessions where username = %s", (username,)).rowcount
    if ended:
        log.info("%d session(s) of %s ended", ended, username)
    return ended
