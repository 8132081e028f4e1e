-- One row per commune code that any sector reports: operating enterprises,
-- health facilities and their beds, schools and their pupils.
-- Codes are as the sectors report them (a pre-2025 code is its own row until
-- mapped); records without a commune code are not counted.
with

enterprises as (
    select * from {{ ref('stg_sector_business__enterprises') }}
),

facilities as (
    select * from {{ ref('stg_sector_health__facilities') }}
),

schools as (
    select * from {{ ref('stg_sector_schools__schools') }}
),

enterprises_by_commune as (
    select
        commune_code,
        count(*) filter (where is_active) as active_enterprise_count,
        count(*) as enterprise_count
    from enterprises
    where commune_code is not null
    group by commune_code
),

facilities_by_commune as (
    select
        commune_code,
        count(*) as health_facility_count,
        coalesce(sum(bed_count), 0) as health_facility_bed_count
    from facilities
    where commune_code is not null
    group by commune_code
),

schools_by_commune as (
    select
        commune_code,
        count(*) as school_count,
        coalesce(sum(pupil_count), 0) as pupil_count
    from schools
    where commune_code is not null
    group by commune_code
),

communes as (
    select commune_code from enterprises_by_commune
    union
    select commune_code from facilities_by_commune
    union
    select commune_code from schools_by_commune
),

final as (
    select
        communes.commune_code,
        coalesce(enterprises_by_commune.active_enterprise_count, 0) as active_enterprise_count,
        coalesce(enterprises_by_commune.enterprise_count, 0) as enterprise_count,
        coalesce(facilities_by_commune.health_facility_count, 0) as health_facility_count,
        coalesce(facilities_by_commune.health_facility_bed_count, 0) as health_facility_bed_count,
        coalesce(schools_by_commune.school_count, 0) as school_count,
        coalesce(schools_by_commune.pupil_count, 0) as pupil_count
    from communes
    left join enterprises_by_commune on communes.commune_code = enterprises_by_commune.commune_code
    left join facilities_by_commune on communes.commune_code = facilities_by_commune.commune_code
    left join schools_by_commune on communes.commune_code = schools_by_commune.commune_code
)

select * from final
