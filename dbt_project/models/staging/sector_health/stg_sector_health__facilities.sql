with

source as (
    select * from {{ source('sector_health', 'facilities') }}
),

final as (
    select
        facility_id,
        facility_name,
        facility_type,
        address,
        commune_code,
        bed_count,
        updated_on,
        _loaded_at as loaded_at
    from source
)

select * from final
