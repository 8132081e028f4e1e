-- Decision 766: a dossier is on time if processing ended on or before the
-- promised date; an unfinished dossier past its promised date is already late.
with

dossiers as (
    select * from {{ ref('stg_demo_onestop__dossiers') }}
),

statuses as (
    select * from {{ ref('onestop_statuses') }}
),

judged as (
    select
        dossiers.dossier_id,
        statuses.is_finished,
        case
            when statuses.is_finished then dossiers.finished_at <= dossiers.due_at
            when (now() at time zone 'Asia/Ho_Chi_Minh') > dossiers.due_at then false
        end as is_on_time
    from dossiers
    inner join statuses on dossiers.status_code = statuses.status_code
),

final as (
    select
        dossier_id,
        is_finished,
        is_on_time,
        case
            when is_on_time then 'Đúng hạn'
            when not is_on_time then 'Trễ hạn'
            else 'Đang xử lý, còn hạn'
        end as timeliness
    from judged
)

select * from final
