with

source as (
    select * from {{ source('onestop', 'dossier_events') }}
),

final as (
    select
        dossier_id,
        status_code,
        event_at,
        note,
        _loaded_at as loaded_at
    from source
)

select * from final
