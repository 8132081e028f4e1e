-- Raw versions stored compactly, every version still recoverable as it arrived (see BENCHMARKS.md, storage):
-- * payloads move out of the version rows into chunks of up to 100 consecutive rows of one batch and
--   source reference, one JSON object per chunk keyed by row number. A single payload (120 to 620 bytes)
--   is below PostgreSQL's TOAST threshold and is never compressed; a chunk is, about five times;
-- * the source reference (a file name or a page address, up to ~90 bytes) is kept once per chunk;
-- * the record hash (an md5) is stored as 16 bytes (uuid) instead of 32 hex characters.
-- raw.version_payload(_chunk_id, _row_number) and raw.version_source_ref(_chunk_id) read them back.

create table raw.payload_chunks (
    chunk_id bigint generated always as identity primary key,
    versions_table text not null,          -- raw.<source>__<stream> whose rows these are
    batch_id uuid not null,
    source_ref text not null,              -- file, page or window the rows came from
    first_row_number integer not null,     -- the smallest row number in the chunk
    payloads json not null,                -- {"<row number>": payload as received, ...}
    unique (batch_id, versions_table, source_ref, first_row_number)
);

comment on table raw.payload_chunks is
'Payloads of raw versions as received, 100 rows per chunk (compressed by PostgreSQL as one value).';

create function raw.version_payload(chunk bigint, row_number integer) returns json
language sql stable strict
as $$ select payloads -> row_number::text from raw.payload_chunks where chunk_id = chunk $$;

create function raw.version_source_ref(chunk bigint) returns text
language sql stable strict
as $$ select source_ref from raw.payload_chunks where chunk_id = chunk $$;

-- Existing installs: move each version table's payloads into chunks, then drop the per-row copies.
-- dbt's staging and intermediate views read these tables; they are dropped here (a column cannot
-- change type under a view) and rebuilt by the next transform. Published marts are tables: untouched.
do $$
declare
    versions record;
    dependent record;
begin
    for dependent in
        select distinct dependent_view.oid::regclass::text as view_name
        from pg_depend d
        join pg_rewrite r on r.oid = d.objid
        join pg_class dependent_view on dependent_view.oid = r.ev_class
        join pg_class base on base.oid = d.refobjid
        join pg_namespace n on n.oid = base.relnamespace
        where n.nspname = 'raw' and dependent_view.relkind = 'v' and dependent_view.oid <> base.oid
    loop
        execute format('drop view if exists %s cascade', dependent.view_name);
    end loop;

    for versions in
        select c.table_name from information_schema.columns c
        where c.table_schema = 'raw' and c.column_name = '_payload'
    loop
        execute format($sql$
            create temp table chunked as
            select ctid as tid, _batch_id, _source_ref, _row_number, _payload,
                   (row_number() over (partition by _batch_id, _source_ref order by _row_number) - 1) / 100
                       as chunk_no
            from raw.%I $sql$, versions.table_name);
        execute format($sql$
            insert into raw.payload_chunks (versions_table, batch_id, source_ref, first_row_number, payloads)
            select %L, _batch_id, _source_ref, min(_row_number), json_object_agg(_row_number, _payload)
            from chunked group by _batch_id, _source_ref, chunk_no $sql$, 'raw.' || versions.table_name);
        execute format('alter table raw.%I add column _chunk_id bigint', versions.table_name);
        execute format($sql$
            update raw.%I v set _chunk_id = c.chunk_id
            from (select tid, _batch_id, _source_ref,
                         min(_row_number) over (partition by _batch_id, _source_ref, chunk_no) as first_row
                  from chunked) m
            join raw.payload_chunks c
                on c.batch_id = m._batch_id and c.source_ref = m._source_ref and c.first_row_number = m.first_row
                and c.versions_table = %L
            where v.ctid = m.tid $sql$, versions.table_name, 'raw.' || versions.table_name);
        execute format('alter table raw.%I alter column _chunk_id set not null, '
                       'drop column _payload, drop column _source_ref', versions.table_name);
        drop table chunked;
    end loop;

    for versions in
        select c.table_name from information_schema.columns c
        where c.table_schema = 'raw' and c.column_name = '_record_hash' and c.data_type = 'text'
    loop
        execute format('alter table raw.%I alter column _record_hash type uuid using _record_hash::uuid',
                       versions.table_name);
    end loop;
end
$$;
