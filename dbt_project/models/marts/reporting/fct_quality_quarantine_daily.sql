-- One row per local day (Asia/Ho_Chi_Minh), source system and reason: the input rows quarantined
-- (audit.quarantine), dated by their load batch's start, as fct_quality_loads_daily.
with

quarantine as (
    select * from {{ source('audit', 'quarantine') }}
),

batches as (
    select * from {{ source('audit', 'load_batches') }}
),

dated as (
    select
        quarantine.source_system as source_name,
        quarantine.reason,
        (batches.started_at at time zone 'Asia/Ho_Chi_Minh')::date as load_on
    from quarantine
    inner join batches on quarantine.batch_id = batches.batch_id
),

final as (
    select
        load_on,
        source_name,
        reason,
        count(*) as rows_quarantined
    from dated
    group by load_on, source_name, reason
)

select * from final
