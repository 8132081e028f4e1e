-- Unchanged repeats: loaded records that an earlier batch already stored (same key and
-- record hash). A batch now reconciles as extracted = new versions + unchanged + quarantined.
alter table audit.load_batches add column rows_unchanged integer not null default 0;

-- batches loaded before this column: what they loaded and did not store was re-sent
update audit.load_batches set rows_unchanged = rows_loaded - rows_new_versions where finished_at is not null;

alter table audit.load_batches drop constraint reconciles;
alter table audit.load_batches add constraint reconciles check (
    finished_at is null
    or (rows_extracted = rows_loaded + rows_quarantined and rows_loaded = rows_new_versions + rows_unchanged)
);
