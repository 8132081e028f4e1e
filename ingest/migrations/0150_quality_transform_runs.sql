-- Write-audit-publish (warehouse/transform.py): one row per transform run, what it built, audited
-- and published; each suite's result and each source's freshness tied to the run that measured them.

create table quality.transform_runs (
    transform_run_id bigint generated always as identity primary key,
    started_at timestamptz not null default now(),
    finished_at timestamptz,
    -- null while running (or killed): the next run discards the build schemas, as after a failure
    outcome text check (outcome in ('published', 'build_failed', 'audit_failed', 'publish_failed')),
    built text[] not null default '{}',        -- schema.table as dbt built it (the build schemas)
    published text[] not null default '{}',    -- schema.table as dashboards and the API read it
    sharing_publication_id bigint,             -- sharing.publish() of the same transaction
    message text                               -- why it failed: the check, the table, failing rows
);

alter table quality.validation_runs
    add column transform_run_id bigint references quality.transform_runs,
    add column validated_table text,           -- what was read: the build table during an audit
    add column critical_failures integer not null default 0,
    add column warning_failures integer not null default 0;

-- `dbt source freshness`, one row per source table and run.
create table quality.source_freshness (
    transform_run_id bigint references quality.transform_runs,
    source_name text not null,
    table_name text not null,
    status text not null,                      -- pass, warn, error, runtime error
    max_loaded_at timestamptz,
    age_seconds double precision,
    warn_after text,
    error_after text,
    checked_at timestamptz not null default now(),
    primary key (source_name, table_name, checked_at)
);
