-- Decision 766: time the dossier waits for the citizen's supplement does not
-- count against the agency; more than one supplement request counts as late.
with

events as (
    select * from {{ ref('stg_onestop__dossier_events') }}
),

sequenced as (
    select
        dossier_id,
        status_code,
        event_at,
        lead(event_at) over (partition by dossier_id order by event_at) as next_event_at
    from events
),

final as (
    select
        dossier_id,
        count(*) as supplement_requests,
        sum(
            coalesce(next_event_at, now() at time zone 'Asia/Ho_Chi_Minh') - event_at
        ) as supplement_wait
    from sequenced
    where status_code = 5
    group by dossier_id
)

select * from final
