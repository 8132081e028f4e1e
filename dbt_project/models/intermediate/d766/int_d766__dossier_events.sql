-- Each status event with the dossier's next event: a supplement request (status 5) or, as an
-- option, a financial-obligation request (status 6) is a pause that the next event closes.
with

events as (
    select * from {{ ref('stg_onestop__dossier_events') }}
),

final as (
    select
        dossier_id,
        status_code,
        event_at,
        lead(event_at) over (
            partition by dossier_id order by event_at, status_code
        ) as next_event_at
    from events
)

select * from final
