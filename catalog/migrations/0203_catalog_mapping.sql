-- Shared master catalogs, part 4: each source system's local codes mapped onto master codes,
-- and the queue of codes seen in raw data that have no mapping yet.

create table catalog.code_mappings (
    source_system text not null,
    code_kind text not null references catalog.catalogs (catalog),   -- which catalog the master code is in
    local_code text not null,
    master_code text not null,
    note text,
    mapped_by text not null references catalog.stewards,
    mapped_at timestamptz not null default now(),
    primary key (source_system, code_kind, local_code)
);
create index code_mappings_master on catalog.code_mappings (code_kind, master_code);

-- Where raw data carries local codes: one row per (source, kind, raw table, column) to watch.
create table catalog.mapping_sources (
    source_system text not null,
    code_kind text not null references catalog.catalogs (catalog),
    raw_table text not null check (raw_table like 'raw.%'),  -- e.g. raw.demo_onestop__dossiers
    code_column text not null,
    primary key (source_system, code_kind, raw_table, code_column)
);

-- Distinct local codes in one raw column that have no mapping: rows, first and last
-- seen (_loaded_at) and the latest example row. Empty when the raw table does not exist yet.
create function catalog.unmapped_codes(
    p_source_system text, p_code_kind text, p_raw_table text, p_code_column text
) returns table (local_code text, row_count bigint, first_seen timestamptz, last_seen timestamptz, example jsonb)
language plpgsql stable as $$
begin
    if to_regclass(p_raw_table) is null then
        return;  -- the raw layer may register a source before its first load
    end if;
    if (select relnamespace::regnamespace::text from pg_class where oid = to_regclass(p_raw_table)) <> 'raw' then
        raise exception 'catalog.unmapped_codes reads raw tables only, not %', p_raw_table;
    end if;
    if (select count(*) from pg_attribute
        where attrelid = to_regclass(p_raw_table) and attname in (p_code_column, '_loaded_at')
          and attnum > 0 and not attisdropped) < 2 then
        raise warning 'catalog.unmapped_codes: % has no column % or _loaded_at', p_raw_table, p_code_column;
        return;
    end if;
    return query execute format(
        $sql$
        with unmapped as (
            select btrim(r.%1$I::text) as local_code, r._loaded_at, to_jsonb(r) as example
            from %2$s as r
            where coalesce(btrim(r.%1$I::text), '') <> ''
              and not exists (
                  select 1 from catalog.code_mappings as m
                  where m.source_system = $1 and m.code_kind = $2 and m.local_code = btrim(r.%1$I::text))
        ),
        counted as (
            select u.local_code, count(*) as row_count, min(u._loaded_at) as first_seen,
                   max(u._loaded_at) as last_seen
            from unmapped as u group by u.local_code
        ),
        latest as (
            select distinct on (u.local_code) u.local_code, u.example
            from unmapped as u order by u.local_code, u._loaded_at desc
        )
        select c.local_code, c.row_count, c.first_seen, c.last_seen, l.example
        from counted as c join latest as l using (local_code)
        order by c.row_count desc, c.local_code
        $sql$,
        p_code_column, to_regclass(p_raw_table)
    ) using p_source_system, p_code_kind;
end $$;

-- The steward's queue: every registered raw column's unmapped codes.
create view catalog.unmapped_queue as
select s.source_system, s.code_kind, s.raw_table, s.code_column, q.*
from catalog.mapping_sources as s
cross join lateral catalog.unmapped_codes(s.source_system, s.code_kind, s.raw_table, s.code_column) as q;
