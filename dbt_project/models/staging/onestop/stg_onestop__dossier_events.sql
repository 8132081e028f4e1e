with

source as (
    select * from {{ source('onestop', 'dossier_events') }}
),

final as (
    select
        dossier_id,
        status_code,
        event_at,
        note
    from source
)

select * from final
