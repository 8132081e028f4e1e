-- The sharing API, part 2: what is published, and the change log incremental pulls read.

-- The published catalogs, as the API may read them: drafts are never shared.
create view sharing.catalogs as
select catalog, name_vi, name_en, code_pattern, source, is_illustrative_seed
from catalog.catalogs;

create view sharing.catalog_codes as
select version_id, catalog, code, name, state, valid_from, valid_to, parent_catalog, parent_code,
       attributes, legal_source, source, recorded_at
from catalog.codes
where state <> 'draft';

-- The 2025 crosswalk between administrative-unit versions, codes only.
create view sharing.admin_unit_links as
select f.catalog as from_catalog, f.code as from_code, t.catalog as to_catalog, t.code as to_code,
       l.link_kind, l.is_primary, l.effective_on
from catalog.code_links as l
join catalog.codes as f on f.version_id = l.from_version_id
join catalog.codes as t on t.version_id = l.to_version_id
where f.catalog in ('province', 'district', 'commune') and f.state <> 'draft' and t.state <> 'draft';

-- Row scopes, evaluated inside the API's queries (never by filtering rows in Python).

-- Agency codes at or under p_code, by each code's latest published version.
create function sharing.agency_subtree(p_code text) returns setof text
language sql stable parallel safe as $$
    with recursive latest as (
        select distinct on (code) code, parent_code
        from sharing.catalog_codes
        where catalog = 'agency'
        order by code, valid_from desc nulls last, version_id desc
    ),
    tree as (
        select code from latest where code = p_code
        union
        select latest.code from latest join tree on latest.parent_code = tree.code
    )
    select code from tree
$$;

-- Commune codes under one administrative unit (province, district or commune) in the structure
-- before 2025-07-01 ('pre2025': the units in force on 2025-06-30) or after ('post2025'), plus the
-- communes of the other structure whose every crosswalk partner is among them, so that a mart that
-- still carries an old code (or already a new one) stays inside the scope. A code both structures use
-- is kept only when it lies inside the scope read either way: a scope never reaches outside itself.
create function sharing.communes_in_scope(p_catalog text, p_code text, p_boundary text) returns setof text
language sql stable parallel safe as $$
    with recursive units as (
        select catalog, code, parent_catalog, parent_code,
               coalesce(valid_from, '-infinity') <= date '2025-06-30'
               and coalesce(valid_to, 'infinity') > date '2025-06-30' as before_2025,
               coalesce(valid_to, 'infinity') > date '2025-07-01' as after_2025
        from sharing.catalog_codes
        where catalog in ('province', 'district', 'commune')
    ),
    structure as (
        select * from units where case p_boundary when 'pre2025' then before_2025 else after_2025 end
    ),
    tree as (
        select catalog, code from structure where catalog = p_catalog and code = p_code
        union
        select structure.catalog, structure.code
        from structure join tree on structure.parent_catalog = tree.catalog and structure.parent_code = tree.code
    ),
    own as (
        select distinct code from tree where catalog = 'commune'
    ),
    other_structure as (
        select distinct code from units
        where catalog = 'commune' and case p_boundary when 'pre2025' then after_2025 else before_2025 end
    ),
    links as (  -- older to newer
        select from_code, to_code from sharing.admin_unit_links
        where from_catalog = 'commune' and to_catalog = 'commune'
    ),
    counterparts as (
        select case when p_boundary = 'pre2025' then links.to_code else links.from_code end as code
        from links
        left join own on own.code = case when p_boundary = 'pre2025' then links.from_code else links.to_code end
        group by 1
        having bool_and(own.code is not null)
    )
    select code from own
    where code not in (select code from other_structure) or code in (select code from counterparts)
    union
    select code from counterparts
$$;

-- The datasets the registry (sharing/datasets.py) declares, as the publication step needs them.
create table sharing.datasets (
    dataset text primary key check (dataset ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    relation text not null,                 -- schema.name the rows are read from
    key_column text not null,               -- unique, never null: the stable order key
    part_column text,                       -- one catalog of sharing.catalog_codes: catalog = part_value
    part_value text,
    tracked_columns text[] not null default '{}',  -- kept per key: scope, filter and validity columns
    published_relation oid,                 -- the relation's oid at the last publication (dbt rebuilds change it)
    declared_at timestamptz not null default now(),
    withdrawn_at timestamptz,
    check ((part_column is null) = (part_value is null))
);

create table sharing.publications (
    publication_id bigint generated always as identity primary key,
    published_at timestamptz not null unique,   -- strictly increasing: publications are serialised
    trigger text not null,                      -- start-up, transform, cli, test
    datasets_changed integer not null default 0
);

-- The publications that changed a dataset: its snapshot is the latest of them.
create table sharing.dataset_publications (
    dataset text not null references sharing.datasets,
    publication_id bigint not null references sharing.publications,
    row_count bigint not null,
    upserted bigint not null,
    deleted bigint not null,
    primary key (dataset, publication_id)
);

-- Each key's state at the last publication: the row's hash and its tracked columns.
create table sharing.row_states (
    dataset text not null references sharing.datasets,
    key text not null,
    row_hash text not null,
    tracked jsonb not null,
    publication_id bigint not null references sharing.publications,
    primary key (dataset, key)
);

-- Every change a publication found: a key added or changed (upsert) or gone (delete), with its
-- tracked columns before and after, so that a pull can tell a client which rows left its scope.
create table sharing.changes (
    dataset text not null references sharing.datasets,
    publication_id bigint not null references sharing.publications,
    key text not null,
    op text not null check (op in ('upsert', 'delete')),
    changed_at timestamptz not null,
    before jsonb,                           -- null: a new key
    after jsonb,                            -- null: deleted
    primary key (dataset, publication_id, key),
    check ((op = 'delete') = (after is null))
);
create index changes_since on sharing.changes (dataset, changed_at);

-- One publication: compare every declared dataset's rows, by hash, with the previous publication and
-- record what changed. Run after each transform (the post-hook of dbt model `shared_marts`), at
-- start-up and by `hub sharing publish`. Returns the publication's id.
create function sharing.publish(p_trigger text) returns bigint
language plpgsql
set timezone to 'UTC'   -- rows hash alike whatever the session's time zone
as $$
declare
    d sharing.datasets;
    rel regclass;
    v_pub bigint;
    v_at timestamptz;
    v_tracked text;
    v_where text;
    n_rows bigint;
    n_up bigint;
    n_del bigint;
    n_changed integer := 0;
    duplicate text;
begin
    perform pg_advisory_xact_lock(740767);  -- one publication at a time
    v_at := greatest(clock_timestamp(),
                     (select max(published_at) + interval '1 microsecond' from sharing.publications));
    insert into sharing.publications (published_at, trigger) values (v_at, p_trigger)
    returning publication_id into v_pub;
    create temp table if not exists sharing_current (key text, row_hash text, tracked jsonb) on commit drop;
    for d in select * from sharing.datasets where withdrawn_at is null order by dataset loop
        rel := to_regclass(d.relation);
        continue when rel is null;  -- not built yet
        truncate sharing_current;
        select coalesce('jsonb_build_object(' || string_agg(format('%L, r.%I', c, c), ', ') || ')', '''{}''::jsonb')
        into v_tracked from unnest(d.tracked_columns) as c;
        v_where := case when d.part_column is null then '' else format('where r.%I = $1', d.part_column) end;
        execute format('insert into sharing_current select r.%I::text, md5(row_to_json(r)::text), %s from %s as r %s',
                       d.key_column, v_tracked, rel, v_where)
        using d.part_value;
        get diagnostics n_rows = row_count;
        select key into duplicate from sharing_current group by key having count(*) > 1 or key is null limit 1;
        if found then
            raise exception 'dataset %: key column % of % is not unique and not null (key %)',
                d.dataset, d.key_column, d.relation, duplicate;
        end if;
        insert into sharing.changes (dataset, publication_id, key, op, changed_at, before, after)
        select d.dataset, v_pub, c.key, 'upsert', v_at, s.tracked, c.tracked
        from sharing_current as c
        left join sharing.row_states as s on s.dataset = d.dataset and s.key = c.key
        where s.key is null or s.row_hash <> c.row_hash;
        get diagnostics n_up = row_count;
        insert into sharing.changes (dataset, publication_id, key, op, changed_at, before, after)
        select d.dataset, v_pub, s.key, 'delete', v_at, s.tracked, null
        from sharing.row_states as s
        where s.dataset = d.dataset and not exists (select 1 from sharing_current as c where c.key = s.key);
        get diagnostics n_del = row_count;
        if n_up + n_del > 0
           or not exists (select 1 from sharing.dataset_publications as p where p.dataset = d.dataset) then
            delete from sharing.row_states as s
            where s.dataset = d.dataset and not exists (select 1 from sharing_current as c where c.key = s.key);
            insert into sharing.row_states as s (dataset, key, row_hash, tracked, publication_id)
            select d.dataset, c.key, c.row_hash, c.tracked, v_pub from sharing_current as c
            on conflict (dataset, key) do update
                set row_hash = excluded.row_hash, tracked = excluded.tracked, publication_id = excluded.publication_id
                where s.row_hash <> excluded.row_hash;
            insert into sharing.dataset_publications (dataset, publication_id, row_count, upserted, deleted)
            values (d.dataset, v_pub, n_rows, n_up, n_del);
            n_changed := n_changed + 1;
        end if;
        update sharing.datasets set published_relation = rel where dataset = d.dataset;
    end loop;
    update sharing.publications set datasets_changed = n_changed where publication_id = v_pub;
    return v_pub;
end $$;
revoke execute on function sharing.publish(text) from public;

-- A dbt model the API reads (outside `marts`) calls this in its post-hook: dbt rebuilds the table,
-- which drops earlier grants.
create function sharing.grant_read_to_api(p_relation regclass) returns void
language plpgsql as $$
begin
    if p_relation is not null and exists (select 1 from pg_roles where rolname = 'hub_sharing') then
        execute format('grant select on %s to hub_sharing', p_relation);
    end if;
end $$;
revoke execute on function sharing.grant_read_to_api(regclass) from public;
