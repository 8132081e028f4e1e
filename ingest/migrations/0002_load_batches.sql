-- One row per load batch: what was extracted, loaded and quarantined.
create table audit.load_batches (
    batch_id uuid primary key,
    source_system text not null,
    stream text not null,
    source_ref text not null,               -- file name, page or window the batch came from
    started_at timestamptz not null default now(),
    finished_at timestamptz,
    rows_extracted integer not null default 0,
    rows_loaded integer not null default 0,
    rows_quarantined integer not null default 0,
    constraint reconciles check (
        finished_at is null or rows_extracted = rows_loaded + rows_quarantined
    )
);

-- Results of Great Expectations suites, one row per suite run.
create table quality.validation_runs (
    run_id bigint generated always as identity primary key,
    suite_name text not null,
    data_asset text not null,
    success boolean not null,
    evaluated_expectations integer not null,
    failed_expectations integer not null,
    result jsonb not null,
    validated_at timestamptz not null default now()
);
