-- The communes of the province under each boundary, for the dashboards' commune filter and the
-- long-form (*_by_commune) marts: after 2025-07-01 the province's communes; before it the
-- communes whose facts are reported in one of them (dim_admin_unit), with their own province.
with

admin_units as (
    select * from {{ ref('dim_admin_unit') }}
),

after_2025 as (
    select distinct on (commune_code)
        'Sau 1/7/2025' as boundary,
        commune_code as admin_unit_code,
        commune_name as admin_unit_name,
        province_name_2025 as province_name
    from admin_units
    where is_2025_structure and province_code_2025 = '{{ var("province_code", "48") }}'
    order by commune_code asc, valid_until_on desc
),

before_2025 as (
    select distinct on (commune_code)
        'Trước 1/7/2025' as boundary,
        commune_code as admin_unit_code,
        commune_name as admin_unit_name,
        province_name_pre2025 as province_name
    from admin_units
    where not is_2025_structure and province_code_2025 = '{{ var("province_code", "48") }}'
    order by commune_code asc, valid_until_on desc
),

final as (
    select * from after_2025
    union all
    select * from before_2025
)

select * from final
