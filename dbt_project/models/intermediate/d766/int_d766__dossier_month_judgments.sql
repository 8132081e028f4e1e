-- The contract with the simulator's oracle (simulators/onestop/oracle.py): one row per
-- dossier and calendar
-- month in which it is counted for indicator 2.1, with its judgement; not-judgeable dossiers
-- (no promised date and no legal maximum) have no row.
with

judgments as (
    select * from {{ ref('int_d766__dossier_period_judgments') }}
    where period_kind = 'month' and is_judgeable
),

final as (
    select
        dossier_id,
        period_start_on as month_start_on,
        is_on_time
    from judgments
)

select * from final
