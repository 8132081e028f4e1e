-- Dossiers still in progress at var('as_of') and already late, with their working days late:
-- a small table rebuilt at every run, so that the incremental fct_dossiers keeps no "now".
with

timeliness as (
    select * from {{ ref('int_d766__dossier_timeliness') }}
    where ended_at is null and not is_on_time
),

days as (
    select * from {{ ref('dim_date') }}
),

final as (
    select
        timeliness.dossier_id,
        timeliness.due_at,
        timeliness.due_on_after_pauses,
        timeliness.supplement_requests,
        {{ as_of_date() }} as as_of_on,
        today.working_day_number - due_day.working_day_number as working_days_late
    from timeliness
    inner join days as today on {{ as_of_date() }} = today.date_day
    left join days as due_day on timeliness.due_on_after_pauses = due_day.date_day
)

select * from final
