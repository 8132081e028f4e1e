-- One row per local day (Asia/Ho_Chi_Minh) and source system: what its load batches read,
-- loaded and quarantined (audit.load_batches; a day is the day the batch started).
with

batches as (
    select * from {{ source('audit', 'load_batches') }}
),

dated as (
    select
        source_system as source_name,
        rows_extracted,
        rows_loaded,
        rows_quarantined,
        (started_at at time zone 'Asia/Ho_Chi_Minh')::date as load_on
    from batches
),

final as (
    select
        load_on,
        source_name,
        sum(rows_extracted)::bigint as rows_read,
        sum(rows_loaded)::bigint as rows_loaded,
        sum(rows_quarantined)::bigint as rows_quarantined
    from dated
    group by load_on, source_name
)

select * from final
