-- Each status event of each dossier, keyed by (dossier_id, event_at, status_code) as the raw
-- layer is; the status name is in dim_dossier_status (a rename must not rewrite history rows).
with

events as (
    select * from {{ ref('stg_onestop__dossier_events') }}
),

final as (
    select
        dossier_id,
        event_at,
        status_code,
        note,
        loaded_at,
        event_at::date as event_on,
        dossier_id || '|' || to_char(event_at, 'YYYY-MM-DD"T"HH24:MI:SS.US') || '|' || status_code
            as dossier_event_id
    from events
)

select * from final
