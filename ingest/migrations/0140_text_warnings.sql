-- Texts loaded as they came that a steward should look at: e.g. `suspect_encoding`,
-- a text that may be legacy TCVN3/VNI but that no table reads as Vietnamese for sure.
-- Written in the batch's own transaction, for the rows the batch loaded.
create table audit.text_warnings (
    warning_id bigint generated always as identity primary key,
    batch_id uuid not null references audit.load_batches (batch_id),
    source_system text not null,
    stream text not null,
    source_ref text not null,        -- file, page or window the row came from
    row_number integer not null,     -- its position there
    field text not null,             -- the source field
    value text not null,             -- its text, as loaded (unchanged)
    warning text not null,           -- suspect_encoding, ...
    detail text,                     -- e.g. how each legacy table would read it
    warned_at timestamptz not null default now()
);
create index on audit.text_warnings (source_system, stream, warning);
create index on audit.text_warnings (batch_id);
