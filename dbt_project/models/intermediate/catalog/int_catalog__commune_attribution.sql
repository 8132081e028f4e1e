-- Every commune version, before and after 2025-07-01, with where its facts are reported under
-- each structure. Under its own structure: itself. A pre-2025 commune under the 2025 boundaries:
-- its default successor (the crosswalk's is_primary link; a divided commune has several successors
-- and all its facts go to the default one). A 2025 commune under the pre-2025 boundaries: its
-- primary predecessor (is_primary_predecessor: the one whose code it kept, else the first by code;
-- when that is an island district, the district with no pre-2025 commune). One row each way, so a
-- fact counts exactly once under either structure.
-- A table (a few thousand rows): as a view, each of its data tests re-planned these joins and
-- took minutes.
{{ config(materialized='table') }}

with

units as (
    select * from {{ ref('stg_catalog__codes') }}
    where catalog_name in ('commune', 'district', 'province')
),

crosswalk as (
    select * from {{ ref('int_catalog__admin_units_crosswalk') }}
),

-- each commune version in its own structure: district (before 2025 only) and province
located as (
    select
        commune.code_version_id,
        commune.code,
        commune.code_name,
        commune.valid_from_on,
        commune.valid_until_on,
        commune.is_current,
        district.code as district_code,
        district.code_name as district_name,
        province.code as province_code,
        province.code_name as province_name,
        commune.valid_from_on >= '2025-07-01'::date as is_2025_structure
    from units as commune
    left join units as district
        on
            commune.parent_catalog_name = 'district'
            and commune.parent_code = district.code
            and district.catalog_name = 'district'
            and district.validity @> (commune.valid_until_on - 1)
    left join units as province
        on
            coalesce(district.parent_code, commune.parent_code) = province.code
            and province.catalog_name = 'province'
            and province.validity @> greatest(commune.valid_from_on, commune.valid_until_on - 1)
    where commune.catalog_name = 'commune'
),

-- the other structure's unit for each version: default successor or primary predecessor
counterparts as (
    select
        old_code_version_id as code_version_id,
        new_code_version_id as counterpart_id,
        old_district_code as district_code,
        old_province_code as province_code,
        old_province_name as province_name
    from crosswalk
    where is_primary and old_catalog_name = 'commune'
    union all
    select
        new_code_version_id as code_version_id,
        case when old_catalog_name = 'commune' then old_code_version_id end as counterpart_id,
        old_district_code as district_code,
        old_province_code as province_code,
        old_province_name as province_name
    from crosswalk
    where is_primary_predecessor and new_catalog_name = 'commune'
),

successor_counts as (
    select
        old_code_version_id as code_version_id,
        count(*) as successor_count
    from crosswalk
    group by old_code_version_id
),

final as (
    select
        own.code_version_id as admin_unit_id,
        own.code as commune_code,
        own.code_name as commune_name,
        own.valid_from_on,
        own.valid_until_on,
        own.is_current,
        own.is_2025_structure,
        coalesce(successor_counts.successor_count, 0) > 1 as is_divided,
        case when own.is_2025_structure then other.code else own.code end as commune_code_pre2025,
        case when own.is_2025_structure then other.code_name else own.code_name end
            as commune_name_pre2025,
        case
            when own.is_2025_structure
                then coalesce(other.district_code, counterparts.district_code)
            else own.district_code
        end as district_code_pre2025,
        case when own.is_2025_structure then other.district_name else own.district_name end
            as district_name_pre2025,
        case
            when own.is_2025_structure
                then coalesce(other.province_code, counterparts.province_code)
            else own.province_code
        end as province_code_pre2025,
        case
            when own.is_2025_structure
                then coalesce(other.province_name, counterparts.province_name)
            else own.province_name
        end as province_name_pre2025,
        case when own.is_2025_structure then own.code else other.code end as commune_code_2025,
        case when own.is_2025_structure then own.code_name else other.code_name end
            as commune_name_2025,
        case when own.is_2025_structure then own.province_code else other.province_code end
            as province_code_2025,
        case when own.is_2025_structure then own.province_name else other.province_name end
            as province_name_2025
    from located as own
    left join counterparts on own.code_version_id = counterparts.code_version_id
    left join located as other on counterparts.counterpart_id = other.code_version_id
    left join successor_counts on own.code_version_id = successor_counts.code_version_id
)

select * from final
