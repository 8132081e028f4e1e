-- Shared master catalogs, part 7: watched raw columns are checked, can be removed (four eyes),
-- and one bad registration never breaks the queue for everyone.

-- New registrations name a plain raw.<table> and <column> (catalog/mapping.py also checks that
-- both exist); rows registered before this migration are not re-checked, they can be removed.
alter table catalog.mapping_sources
    add constraint plain_raw_names
        check (raw_table ~ '^raw\.[a-z_][a-z0-9_]{0,62}$' and code_column ~ '^[a-z_][a-z0-9_]{0,62}$') not valid;

-- Removing a watched column: one steward proposes, a different one approves (which removes it).
create table catalog.mapping_source_removals (
    removal_id bigint generated always as identity primary key,
    source_system text not null,
    code_kind text not null references catalog.catalogs (catalog),
    raw_table text not null,
    code_column text not null,
    reason text not null check (btrim(reason) <> ''),
    status text not null default 'proposed' check (status in ('proposed', 'approved', 'rejected')),
    proposed_by text not null references catalog.stewards,
    proposed_at timestamptz not null default now(),
    reviewed_by text references catalog.stewards,
    reviewed_at timestamptz,
    review_note text,
    constraint four_eyes check (reviewed_by is null or reviewed_by <> proposed_by),
    constraint reviewed_iff_decided check ((status = 'proposed') = (reviewed_by is null)),
    constraint rejection_has_reason check (status <> 'rejected' or coalesce(btrim(review_note), '') <> '')
);
create unique index mapping_source_removals_one_open
    on catalog.mapping_source_removals (source_system, code_kind, raw_table, code_column) where status = 'proposed';

-- The change log records an approved removal as 'unwatch' (four eyes: reviewer <> author).
alter table catalog.change_log
    drop constraint change_log_action_check,
    add constraint change_log_action_check
        check (action in ('load', 'add', 'rename', 'update', 'retire', 'merge', 'split', 'map', 'unmap', 'unwatch'));

-- As in 0203, but a registered name that is not a valid relation name (or any other error
-- reading one column) gives a warning and no rows for that column instead of an error for the
-- whole queue.
create or replace function catalog.unmapped_codes(
    p_source_system text, p_code_kind text, p_raw_table text, p_code_column text
) returns table (local_code text, row_count bigint, first_seen timestamptz, last_seen timestamptz, example jsonb)
language plpgsql stable as $$
declare
    v_table regclass;
begin
    begin
        v_table := to_regclass(p_raw_table);
    exception when others then
        raise warning 'catalog.unmapped_codes: % is not a relation name (%)', p_raw_table, sqlerrm;
        return;
    end;
    if v_table is null then
        return;  -- the raw layer may register a source before its first load
    end if;
    if (select relnamespace::regnamespace::text from pg_class where oid = v_table) <> 'raw' then
        raise exception 'catalog.unmapped_codes reads raw tables only, not %', p_raw_table;
    end if;
    if (select count(*) from pg_attribute
        where attrelid = v_table and attname in (p_code_column, '_loaded_at')
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
        p_code_column, v_table
    ) using p_source_system, p_code_kind;
end $$;
