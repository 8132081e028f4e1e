-- Each source table's freshness at each transform run.
with

freshness as (
    select * from {{ source('quality', 'source_freshness') }}
),

final as (
    select
        transform_run_id,
        source_name,
        table_name,
        status,
        max_loaded_at,
        age_seconds,
        warn_after,
        error_after,
        checked_at,
        source_name || '.' || table_name as source_table
    from freshness
)

select * from final
