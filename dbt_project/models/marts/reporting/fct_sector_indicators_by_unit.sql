-- Sector indicators per commune, long over the two boundaries: every commune a sector reports
-- appears once under 'Sau 1/7/2025' (its 2025 commune) and once under 'Trước 1/7/2025' (its
-- pre-2025 commune; an island district where the 2025 special zone had no pre-2025 commune).
-- A record's commune code is read as the commune version in force on the record's date (the
-- register's last update; a civil-status registration's day), else its nearest version, as
-- fct_dossiers does; dim_admin_unit then says where it counts under each structure, so each
-- record counts exactly once per boundary. Records without a known commune code are not counted.
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

registrations as (
    select * from {{ ref('stg_sector_civil_status__registrations') }}
),

communes as (
    select * from {{ ref('dim_admin_unit') }}
),

districts as (
    select * from {{ ref('stg_catalog__codes') }}
    where catalog_name = 'district'
),

records as (
    select
        commune_code,
        coalesce(updated_at::date, {{ as_of_date() }}) as fact_on,
        1 as enterprise_count,
        case when is_active then 1 else 0 end as active_enterprise_count,
        0 as health_facility_count,
        0 as health_facility_bed_count,
        0 as school_count,
        0 as pupil_count,
        0 as civil_status_registration_count
    from enterprises
    union all
    select
        commune_code,
        coalesce(updated_on, {{ as_of_date() }}) as fact_on,
        0 as enterprise_count,
        0 as active_enterprise_count,
        1 as health_facility_count,
        coalesce(bed_count, 0) as health_facility_bed_count,
        0 as school_count,
        0 as pupil_count,
        0 as civil_status_registration_count
    from facilities
    union all
    select
        commune_code,
        coalesce(updated_at::date, {{ as_of_date() }}) as fact_on,
        0 as enterprise_count,
        0 as active_enterprise_count,
        0 as health_facility_count,
        0 as health_facility_bed_count,
        1 as school_count,
        coalesce(pupil_count, 0) as pupil_count,
        0 as civil_status_registration_count
    from schools
    union all
    select
        commune_code,
        coalesce(registered_on, {{ as_of_date() }}) as fact_on,
        0 as enterprise_count,
        0 as active_enterprise_count,
        0 as health_facility_count,
        0 as health_facility_bed_count,
        0 as school_count,
        0 as pupil_count,
        1 as civil_status_registration_count
    from registrations
),

record_days as (
    select distinct
        commune_code,
        fact_on
    from records
),

-- the commune version each (code, day) means: in force that day, else the nearest
located as (
    select distinct on (record_days.commune_code, record_days.fact_on)
        record_days.commune_code,
        record_days.fact_on,
        communes.commune_code_2025,
        communes.commune_name_2025,
        communes.commune_name_pre2025,
        coalesce(communes.commune_code_pre2025, communes.district_code_pre2025)
            as admin_unit_code_pre2025
    from record_days
    inner join communes on record_days.commune_code = communes.commune_code
    order by
        record_days.commune_code asc,
        record_days.fact_on asc,
        (
            record_days.fact_on >= communes.valid_from_on
            and record_days.fact_on < communes.valid_until_on
        ) desc,
        least(
            abs(record_days.fact_on - greatest(communes.valid_from_on, '1900-01-01'::date)),
            abs(record_days.fact_on - least(communes.valid_until_on, '2999-12-31'::date))
        ) asc
),

district_names as (
    select distinct on (code)
        code as district_code,
        code_name as district_name
    from districts
    order by code asc, valid_until_on desc
),

units as (
    select
        located.commune_code,
        located.fact_on,
        'Sau 1/7/2025' as boundary,
        located.commune_code_2025 as admin_unit_code,
        located.commune_name_2025 as admin_unit_name
    from located
    union all
    select
        located.commune_code,
        located.fact_on,
        'Trước 1/7/2025' as boundary,
        located.admin_unit_code_pre2025 as admin_unit_code,
        coalesce(located.commune_name_pre2025, district_names.district_name) as admin_unit_name
    from located
    left join district_names on located.admin_unit_code_pre2025 = district_names.district_code
),

final as (
    select
        units.boundary,
        units.admin_unit_code,
        max(units.admin_unit_name) as admin_unit_name,
        sum(records.enterprise_count)::bigint as enterprise_count,
        sum(records.active_enterprise_count)::bigint as active_enterprise_count,
        sum(records.health_facility_count)::bigint as health_facility_count,
        sum(records.health_facility_bed_count)::bigint as health_facility_bed_count,
        sum(records.school_count)::bigint as school_count,
        sum(records.pupil_count)::bigint as pupil_count,
        sum(records.civil_status_registration_count)::bigint as civil_status_registration_count
    from records
    inner join units
        on
            records.commune_code = units.commune_code
            and records.fact_on = units.fact_on
    group by units.boundary, units.admin_unit_code
)

select * from final
