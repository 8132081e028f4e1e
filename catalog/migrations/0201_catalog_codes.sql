-- Shared master catalogs, part 2: the catalogs, their versioned codes and the links between versions.

-- One row per catalog (administrative units, agencies, procedures, ...).
create table catalog.catalogs (
    catalog text primary key check (catalog ~ '^[a-z_]+$'),
    name_vi text not null,
    name_en text not null,
    code_pattern text not null,         -- regular expression every code must match in full
    source text not null,               -- where the codes come from: a law, a package, a seed
    is_illustrative_seed boolean not null default false  -- a small starter list stewards extend
);

insert into catalog.catalogs (catalog, name_vi, name_en, code_pattern, source, is_illustrative_seed) values
    ('province', 'Tỉnh, thành phố', 'Province', '^[0-9]{2}$',
     'GSO administrative-unit codes; PyPI vietnam-provinces (from 2025-07-01) and vietnamadminunits (before)', false),
    ('district', 'Quận, huyện (đến 30/6/2025)', 'District (until 2025-06-30)', '^[0-9]{3}$',
     'GSO administrative-unit codes; PyPI vietnamadminunits', false),
    ('commune', 'Xã, phường, đặc khu', 'Commune', '^[0-9]{5}$',
     'GSO administrative-unit codes; PyPI vietnam-provinces (from 2025-07-01) and vietnamadminunits (before)', false),
    ('agency', 'Cơ quan, đơn vị', 'Agency', '^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$',
     'Electronic identification codes, Decision 20/2020/QĐ-TTg', true),
    ('field', 'Lĩnh vực thủ tục hành chính', 'Procedure field', '^[A-Z0-9][A-Z0-9._-]{0,19}$',
     'Illustrative seed', true),
    ('procedure', 'Thủ tục hành chính', 'Administrative procedure', '^[0-9]\.[0-9]{6}$',
     'National database of administrative procedures (national codes)', true),
    ('dossier_status', 'Trạng thái hồ sơ', 'Dossier status', '^[0-9]{1,2}$',
     'National public-service portal sync (TrangThaiHoSo)', false),
    ('document_type', 'Loại văn bản', 'Document type', '^[A-Za-zĐđ]{1,6}$',
     'Decree 30/2020/NĐ-CP, appendix III (abbreviations)', false),
    ('ethnic_group', 'Dân tộc', 'Ethnic group', '^[0-9]{2}$',
     'GSO list of the 54 ethnic groups (Decision 121-TCTK/PPCĐ, 1979)', false),
    ('religion', 'Tôn giáo', 'Religion', '^[0-9]{2}$', 'Illustrative seed', true),
    ('nationality', 'Quốc tịch', 'Nationality', '^[A-Z]{2}$',
     'ISO 3166-1 (alpha-2 codes; names from Unicode CLDR)', false),
    ('gender', 'Giới tính', 'Gender', '^[0-9]$', 'ISO/IEC 5218', false);

-- One row per version of a code. A code is never deleted: a version is closed
-- (valid_to set) when it is renamed, retired, merged or split, and `state` says how.
--   draft      approved, not yet published (ignored by every "valid on" query)
--   active     in force from valid_from, open-ended
--   retired    ended on valid_to with no successor
--   superseded ended on valid_to, replaced (renamed, split, or continued by a new version)
--   merged     ended on valid_to, merged into another code (see code_links)
-- valid_from null means "in force since before the source's records begin".
create table catalog.codes (
    version_id bigint generated always as identity primary key,
    catalog text not null references catalog.catalogs,
    code text not null,
    name text not null check (btrim(name) <> ''),
    state text not null default 'active'
        check (state in ('draft', 'active', 'retired', 'superseded', 'merged')),
    valid_from date,
    valid_to date,
    parent_catalog text references catalog.catalogs,
    parent_code text,
    attributes jsonb not null default '{}',
    legal_source text,
    source text not null,               -- what recorded it: a package and version, a seed file, a proposal
    recorded_at timestamptz not null default now(),
    validity daterange generated always as (daterange(valid_from, valid_to, '[)')) stored,
    constraint period_not_empty check (valid_to is null or valid_from is null or valid_to > valid_from),
    constraint parent_complete check ((parent_catalog is null) = (parent_code is null)),
    constraint open_iff_current check ((state in ('draft', 'active')) = (valid_to is null)),
    constraint one_version_at_a_time
        exclude using gist (catalog with =, code with =, validity with &&) where (state <> 'draft')
);
create index codes_parent on catalog.codes (parent_catalog, parent_code);
create index codes_name_search on catalog.codes using gin (catalog.fold(name) gin_trgm_ops);

-- Lineage between versions: renames, the 2025 crosswalk (many-to-many), merges and splits.
create table catalog.code_links (
    from_version_id bigint not null references catalog.codes,
    to_version_id bigint not null references catalog.codes,
    link_kind text not null check (link_kind in ('renamed_to', 'superseded_by', 'merged_into', 'split_into')),
    is_primary boolean not null default true,   -- of a split's successors, the one a single-valued report uses
    effective_on date not null,
    legal_source text,
    recorded_at timestamptz not null default now(),
    primary key (from_version_id, to_version_id),
    check (from_version_id <> to_version_id)
);
create index code_links_to on catalog.code_links (to_version_id);

-- A published version only ever changes by being closed once; a draft may change until published.
create function catalog.guard_code_versions() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        raise exception 'catalog codes are never deleted (%/%): retire, merge or supersede them instead',
            old.catalog, old.code;
    end if;
    if old.state = 'draft' then
        return new;
    end if;
    if old.valid_to is not null
        or new.valid_to is null
        or new.state not in ('retired', 'superseded', 'merged')
        or (new.catalog, new.code, new.name, new.valid_from, new.parent_catalog, new.parent_code,
            new.attributes, new.legal_source, new.source)
           is distinct from
           (old.catalog, old.code, old.name, old.valid_from, old.parent_catalog, old.parent_code,
            old.attributes, old.legal_source, old.source) then
        raise exception 'published version % of %/% is immutable: it can only be closed, once',
            old.version_id, old.catalog, old.code;
    end if;
    return new;
end $$;
create trigger guard_code_versions before update or delete on catalog.codes
    for each row execute function catalog.guard_code_versions();

create function catalog.refuse_change() returns trigger
language plpgsql as $$
begin
    raise exception '%.% is append-only (% refused)', tg_table_schema, tg_table_name, tg_op;
end $$;
create trigger append_only before update or delete on catalog.code_links
    for each row execute function catalog.refuse_change();
create trigger append_only_truncate before truncate on catalog.code_links
    for each statement execute function catalog.refuse_change();
create trigger never_truncated before truncate on catalog.codes
    for each statement execute function catalog.refuse_change();
