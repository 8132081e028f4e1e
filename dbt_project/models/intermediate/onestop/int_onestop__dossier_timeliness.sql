-- Decision 766: on time if processing ended on or before the promised date,
-- moved later by the time spent waiting for the citizen's supplement; more than
-- one supplement request is late; an unfinished dossier past its date is late.
-- Which statuses are finished: the dossier_status catalog's is_finished attribute.
with

dossiers as (
    select * from {{ ref('stg_onestop__dossiers') }}
),

supplements as (
    select * from {{ ref('int_onestop__dossier_supplements') }}
),

statuses as (
    select * from {{ ref('int_catalog__dossier_statuses') }}
),

adjusted as (
    select
        dossiers.dossier_id,
        dossiers.finished_at,
        coalesce(statuses.is_finished, false) as is_finished,
        coalesce(supplements.supplement_requests, 0) as supplement_requests,
        dossiers.due_at + coalesce(supplements.supplement_wait, interval '0') as adjusted_due_at
    from dossiers
    left join statuses on dossiers.status_code = statuses.status_code
    left join supplements on dossiers.dossier_id = supplements.dossier_id
),

judged as (
    select
        dossier_id,
        is_finished,
        supplement_requests,
        adjusted_due_at,
        case
            when adjusted_due_at is null then null
            when supplement_requests > 1 then false
            when is_finished then coalesce(finished_at <= adjusted_due_at, true)
            when (now() at time zone 'Asia/Ho_Chi_Minh') > adjusted_due_at then false
        end as is_on_time
    from adjusted
),

final as (
    select
        dossier_id,
        is_finished,
        supplement_requests,
        adjusted_due_at,
        is_on_time,
        case
            when is_on_time then 'Đúng hạn'
            when not is_on_time then 'Trễ hạn'
            when adjusted_due_at is null then 'Không có hạn trả'
            else 'Đang xử lý, còn hạn'
        end as timeliness
    from judged
)

select * from final
