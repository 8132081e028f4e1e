-- Each source table's freshness at its latest check: what stewards look at first.
with

freshness as (
    select * from {{ ref('quality_source_freshness') }}
),

latest as (
    select distinct on (source_table)
        source_table,
        source_name,
        status,
        max_loaded_at,
        warn_after,
        error_after,
        checked_at,
        round((age_seconds / 3600)::numeric, 1) as age_hours
    from freshness
    order by source_table asc, checked_at desc
)

select * from latest
