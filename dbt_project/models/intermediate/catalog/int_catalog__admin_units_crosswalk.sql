-- The 2025 administrative-unit crosswalk: each unit before 2025-07-01 (63 provinces, communes,
-- and the island districts that had no communes) with each unit that succeeded it.
-- Many-to-many: a divided commune has several successors (one is_primary), a new commune
-- several predecessors (one is_primary_predecessor), so a fact counts once either way.
with

codes as (
    select * from {{ ref('stg_catalog__codes') }}
    where catalog_name in ('province', 'district', 'commune')
),

links as (
    select * from {{ ref('stg_catalog__code_links') }}
    where effective_on = '2025-07-01'::date
),

old_units as (
    select
        unit.code_version_id,
        unit.catalog_name,
        unit.code,
        unit.code_name,
        unit.valid_until_on,
        case unit.catalog_name
            when 'commune' then unit.parent_code
            when 'district' then unit.code
        end as district_code,
        case unit.catalog_name
            when 'province' then unit.code
            when 'district' then unit.parent_code
            else district.parent_code
        end as province_code
    from codes as unit
    left join codes as district
        on
            unit.parent_catalog_name = 'district'
            and unit.parent_code = district.code
            and district.validity @> (unit.valid_until_on - 1)
),

new_units as (
    select
        code_version_id,
        catalog_name,
        code,
        code_name,
        valid_from_on,
        case catalog_name when 'province' then code else parent_code end as province_code
    from codes
),

provinces as (
    select * from codes
    where catalog_name = 'province'
),

joined as (
    select
        links.code_link_id as crosswalk_id,
        links.link_kind,
        links.is_primary,
        links.legal_source,
        old_units.code_version_id as old_code_version_id,
        old_units.catalog_name as old_catalog_name,
        old_units.code as old_code,
        old_units.code_name as old_name,
        old_units.district_code as old_district_code,
        old_units.province_code as old_province_code,
        old_provinces.code_name as old_province_name,
        new_units.code_version_id as new_code_version_id,
        new_units.catalog_name as new_catalog_name,
        new_units.code as new_code,
        new_units.code_name as new_name,
        new_units.province_code as new_province_code,
        new_provinces.code_name as new_province_name
    from links
    inner join old_units on links.from_code_version_id = old_units.code_version_id
    inner join new_units on links.to_code_version_id = new_units.code_version_id
    left join provinces as old_provinces
        on
            old_units.province_code = old_provinces.code
            and old_provinces.validity @> (old_units.valid_until_on - 1)
    left join provinces as new_provinces
        on
            new_units.province_code = new_provinces.code
            and new_provinces.validity @> new_units.valid_from_on
),

final as (
    select
        *,
        -- of a new unit's predecessors, the one whose code it kept, else the first by code
        row_number() over (
            partition by new_code_version_id
            order by
                (old_catalog_name = new_catalog_name and old_code = new_code) desc,
                old_code asc
        ) = 1 as is_primary_predecessor
    from joined
)

select * from final
