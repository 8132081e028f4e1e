-- Shared master catalogs, part 3: stewards, proposals (four-eyes review) and the append-only change log.

create table catalog.stewards (
    username text primary key check (username ~ '^[a-z0-9][a-z0-9._-]{2,39}$'),
    full_name text not null,
    password_hash text not null,        -- argon2id; there is no default password
    is_active boolean not null default true,
    created_at timestamptz not null default now()
);

-- A change to one code: proposed, reviewed by a different steward, then published.
create table catalog.proposals (
    proposal_id bigint generated always as identity primary key,
    batch_id uuid,                      -- proposals made together by one bulk import
    catalog text not null references catalog.catalogs,
    code text not null,
    action text not null check (action in ('add', 'rename', 'update', 'retire', 'merge', 'split')),
    payload jsonb not null default '{}',
    reason text not null check (btrim(reason) <> ''),
    effective_on date not null,
    status text not null default 'proposed' check (status in ('proposed', 'approved', 'rejected', 'published')),
    proposed_by text not null references catalog.stewards,
    proposed_at timestamptz not null default now(),
    reviewed_by text references catalog.stewards,
    reviewed_at timestamptz,
    review_note text,
    published_by text references catalog.stewards,
    published_at timestamptz,
    constraint four_eyes check (reviewed_by is null or reviewed_by <> proposed_by),
    constraint reviewed_iff_decided check ((status = 'proposed') = (reviewed_by is null)),
    constraint rejection_has_reason check (status <> 'rejected' or coalesce(btrim(review_note), '') <> ''),
    constraint published_iff_publisher check ((status = 'published') = (published_by is not null))
);
create index proposals_open on catalog.proposals (status) where status in ('proposed', 'approved');
create index proposals_code on catalog.proposals (catalog, code);

-- Every change to a catalog: who made it, who reviewed it, why, when. Never updated or deleted.
create table catalog.change_log (
    change_id bigint generated always as identity primary key,
    changed_at timestamptz not null default now(),
    catalog text not null references catalog.catalogs,
    code text,                          -- null for a whole-catalog load
    action text not null
        check (action in ('load', 'add', 'rename', 'update', 'retire', 'merge', 'split', 'map', 'unmap')),
    version_id bigint references catalog.codes,
    proposal_id bigint references catalog.proposals,
    author text not null,
    reviewer text,
    reason text not null,
    effective_on date,
    details jsonb not null default '{}',
    -- loads come from a published source; mappings are a steward's own work; the rest needs four eyes
    constraint four_eyes check (action in ('load', 'map', 'unmap') or (reviewer is not null and reviewer <> author))
);
create index change_log_code on catalog.change_log (catalog, code);
create trigger append_only before update or delete on catalog.change_log
    for each row execute function catalog.refuse_change();
create trigger append_only_truncate before truncate on catalog.change_log
    for each statement execute function catalog.refuse_change();
revoke update, delete, truncate on catalog.change_log from public;
