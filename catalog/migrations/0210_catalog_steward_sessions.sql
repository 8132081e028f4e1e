-- Shared master catalogs, part 5: the stewards' login sessions, kept on the server.
-- The browser holds an opaque random token (a cookie); only its SHA-256 digest is stored
-- (foundation/tokens.py), so a reader of this table cannot log in with a row. Every request
-- looks its session up here: a session ends when its row is gone (logout; a password change
-- or a deactivation ends every session of the steward) or when it is too old (expires_at,
-- at most a working day after login) or idle too long (last_seen_at; see catalog/sessions.py).
create table catalog.steward_sessions (
    token_digest text primary key check (token_digest ~ '^[0-9a-f]{64}$'),
    username text not null references catalog.stewards on delete cascade,
    created_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    expires_at timestamptz not null,
    constraint expires_after_creation check (expires_at > created_at)
);
create index steward_sessions_username on catalog.steward_sessions (username);
