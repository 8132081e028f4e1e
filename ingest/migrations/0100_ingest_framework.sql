-- Ingestion framework: quarantine, watermarks, and what each batch did.

-- Every input row that was not loaded, with a machine-readable reason.
create table audit.quarantine (
    quarantine_id bigint generated always as identity primary key,
    batch_id uuid not null references audit.load_batches (batch_id),
    source_system text not null,
    stream text not null,
    source_ref text not null,        -- file, page or window the row came from
    row_number integer not null,     -- its position there (file line, item index)
    reason text not null,            -- malformed_record, missing_field, invalid_timestamp, duplicate_record, ...
    field text,                      -- the source field at fault, when there is one
    value text,                      -- the offending value, as received
    payload text,                    -- the whole record, as received
    quarantined_at timestamptz not null default now()
);
create index on audit.quarantine (source_system, stream, reason);
create index on audit.quarantine (batch_id);

-- How far each stream has been read; moves only when a batch commits.
create table audit.watermarks (
    source_system text not null,
    stream text not null,
    value text not null,
    batch_id uuid not null references audit.load_batches (batch_id),
    updated_at timestamptz not null default now(),
    primary key (source_system, stream)
);

alter table audit.load_batches
    add column window_start text,
    add column window_end text,
    add column rows_new_versions integer not null default 0;

-- A source that was down or a batch that failed: recorded outside the batch's transaction.
create table audit.load_failures (
    failure_id bigint generated always as identity primary key,
    source_system text not null,
    stream text not null,
    source_ref text not null,
    error text not null,
    failed_at timestamptz not null default now()
);
