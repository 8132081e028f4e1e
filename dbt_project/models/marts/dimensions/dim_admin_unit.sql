-- Communes of both structures (before and after 2025-07-01), one row per commune version, each
-- with where its facts are reported under either structure (int_catalog__commune_attribution).
with

attribution as (
    select * from {{ ref('int_catalog__commune_attribution') }}
),

final as (
    select
        admin_unit_id,
        commune_code,
        commune_name,
        valid_from_on,
        valid_until_on,
        is_current,
        is_2025_structure,
        is_divided,
        commune_code_pre2025,
        commune_name_pre2025,
        district_code_pre2025,
        district_name_pre2025,
        province_code_pre2025,
        province_name_pre2025,
        commune_code_2025,
        commune_name_2025,
        province_code_2025,
        province_name_2025
    from attribution
)

select * from final
