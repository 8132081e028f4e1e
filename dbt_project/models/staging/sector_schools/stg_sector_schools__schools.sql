with

source as (
    select * from {{ source('sector_schools', 'schools') }}
),

final as (
    select
        school_id,
        school_name,
        school_level,
        commune_code,
        pupil_count,
        updated_at,
        _loaded_at as loaded_at
    from source
)

select * from final
