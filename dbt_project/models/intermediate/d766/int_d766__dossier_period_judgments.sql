-- Indicator 2.1 for every dossier and reporting period in which it is counted, with the period's
-- judgement day: the stored judgements (int_d766__period_judgments_stored, incremental), whose
-- own judged_on may be an earlier day of a running period on which nothing of the dossier was
-- different.
with

stored as (
    select * from {{ ref('int_d766__period_judgments_stored') }}
),

periods as (
    select * from {{ ref('int_d766__periods') }}
),

final as (
    select
        stored.dossier_id,
        stored.period_id,
        stored.period_kind,
        stored.period_start_on,
        stored.period_end_on,
        periods.judged_on,
        stored.received_at,
        stored.due_at,
        stored.judged_end_at,
        stored.ended_at,
        stored.result_at,
        stored.supplement_requests,
        stored.pause_total,
        stored.is_on_time,
        stored.is_judgeable
    from stored
    inner join periods on stored.period_id = periods.period_id
)

select * from final
