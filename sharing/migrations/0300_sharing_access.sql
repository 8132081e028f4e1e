-- The sharing API, part 1: who may pull what. An agency's application is a client with a key
-- (client_id) and secrets (argon2id hashes only), exchanged for short-lived bearer tokens (stored
-- as SHA-256 digests only); grants say which datasets it may pull, which rows, which personal columns.
-- Nothing here is ever deleted: revoking sets revoked_at, rotating closes the old secret.

create table sharing.clients (
    client_id text primary key check (client_id ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),  -- the access key
    application_name text not null check (btrim(application_name) <> ''),
    agency_code text not null,              -- the agency's master code (catalog `agency`)
    contact text,
    requests_per_minute integer not null default 120 check (requests_per_minute > 0),
    created_at timestamptz not null default now(),
    created_by text not null,
    revoked_at timestamptz,
    revoked_by text,
    revoke_reason text
);

-- A client's secrets: one in force, two during a rotation's grace period (the old one has expires_at).
create table sharing.client_secrets (
    secret_id bigint generated always as identity primary key,
    client_id text not null references sharing.clients,
    secret_hash text not null,              -- argon2id; the secret itself is shown once and never stored
    created_at timestamptz not null default now(),
    expires_at timestamptz                  -- null: in force; set when the secret is rotated out
);
create index client_secrets_client on sharing.client_secrets (client_id);

create table sharing.tokens (
    token_digest text primary key check (token_digest ~ '^[0-9a-f]{64}$'),  -- SHA-256 of the bearer token
    client_id text not null references sharing.clients,
    secret_id bigint not null references sharing.client_secrets,
    issued_at timestamptz not null default now(),
    expires_at timestamptz not null,
    address text,
    check (expires_at > issued_at)
);
create index tokens_expiry on sharing.tokens (expires_at);

-- One grant per client and dataset at a time. Row scope: every row, an agency subtree (catalog
-- `agency`), or an administrative-unit subtree under the structure before or after 2025-07-01.
-- Column scope: the personal columns the client may read unmasked.
create table sharing.grants (
    grant_id bigint generated always as identity primary key,
    client_id text not null references sharing.clients,
    dataset text not null check (dataset ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    scope_kind text not null default 'all' check (scope_kind in ('all', 'agency', 'admin_unit')),
    scope_catalog text check (scope_catalog in ('agency', 'province', 'district', 'commune')),
    scope_code text,
    scope_boundary text check (scope_boundary in ('pre2025', 'post2025')),
    personal_columns text[] not null default '{}',
    reason text not null check (btrim(reason) <> ''),   -- the legal basis or request it answers
    granted_by text not null,
    granted_at timestamptz not null default now(),
    revoked_at timestamptz,
    revoked_by text,
    constraint scope_complete check (
        (scope_kind = 'all' and scope_catalog is null and scope_code is null and scope_boundary is null)
        or (scope_kind = 'agency' and scope_catalog = 'agency' and scope_code is not null
            and scope_boundary is null)
        or (scope_kind = 'admin_unit' and scope_catalog in ('province', 'district', 'commune')
            and scope_code is not null and scope_boundary is not null)
    ),
    constraint district_only_before_2025 check (scope_catalog <> 'district' or scope_boundary = 'pre2025')
);
create unique index grants_one_in_force on sharing.grants (client_id, dataset) where revoked_at is null;
