with

source as (
    select * from {{ source('sector_civil_status', 'registrations') }}
),

final as (
    select
        registration_number,
        event_kind,
        registered_on,
        event_on,
        commune_code,
        registration_office,
        full_name,
        gender_code,
        spouse_name,
        updated_at,
        _loaded_at as loaded_at
    from source
)

select * from final
