-- One row per source system and code kind with codes the stewards have not mapped: how many
-- distinct local codes (trimmed, not empty) in the watched raw columns (catalog.mapping_sources)
-- have no mapping to the master catalog (catalog.code_mappings), and how many raw rows carry one.
-- The same counts as the stewards' queue (catalog.unmapped_queue), computed without its example
-- row per code, which costs a JSON document per unmapped raw row. The watched columns are read
-- when the model compiles; a registered table or column that does not exist yet is skipped.
{%- set watched = [] -%}
{%- if execute and adapter.get_relation(
    database=target.database, schema='catalog', identifier='mapping_sources'
) -%}
    {%- set listed = run_query(
        "select s.source_system, s.code_kind, c.relname::text, a.attname::text"
        ~ " from catalog.mapping_sources as s"
        ~ " join pg_class as c on s.raw_table = 'raw.' || c.relname"
        ~ " join pg_namespace as n on c.relnamespace = n.oid and n.nspname = 'raw'"
        ~ " join pg_attribute as a on a.attrelid = c.oid and a.attname = s.code_column"
        ~ " and a.attnum > 0 and not a.attisdropped"
        ~ " order by 1, 2, 3, 4"
    ) -%}
    {%- set watched = listed.rows -%}
{%- endif %}
with

mappings as (
    select * from {{ ref('stg_catalog__code_mappings') }}
),

watched_codes as (
    {%- for source_system, code_kind, raw_table, code_column in watched %}
        select
            '{{ source_system | replace("'", "''") }}' as source_system,
            '{{ code_kind | replace("'", "''") }}' as code_kind,
            btrim({{ adapter.quote(code_column) }}::text) as local_code,
            count(*) as row_count
        from raw.{{ adapter.quote(raw_table) }}
        where coalesce(btrim({{ adapter.quote(code_column) }}::text), '') <> ''
        group by btrim({{ adapter.quote(code_column) }}::text)
        {% if not loop.last %}union all{% endif %}
    {%- else %}
        select
            null::text as source_system,
            null::text as code_kind,
            null::text as local_code,
            0::bigint as row_count
        where false
    {%- endfor %}
),

unmapped as (
    select watched_codes.*
    from watched_codes
    left join mappings
        on
            watched_codes.source_system = mappings.source_system
            and watched_codes.code_kind = mappings.catalog_name
            and watched_codes.local_code = mappings.local_code
    where mappings.local_code is null
),

final as (
    select
        source_system as source_name,
        code_kind,
        count(distinct local_code) as unmapped_codes,
        sum(row_count)::bigint as rows_affected
    from unmapped
    group by source_system, code_kind
)

select * from final
