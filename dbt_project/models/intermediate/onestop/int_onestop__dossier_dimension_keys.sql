-- Each dossier's keys to the versioned dimensions, taken on the day it was received (else last
-- updated): the procedure version in force that day (the agency's: int_onestop__dossiers_mapped);
-- the field (the procedure catalog's, else the source's MaLinhVuc), and the commune version
-- (admin_unit_id) with where it is reported under each structure
-- (int_catalog__commune_attribution).
-- A commune code used outside its validity (a retired pre-2025 code after 2025-07-01) takes its
-- nearest version.
with

dossiers as (
    select * from {{ ref('int_onestop__dossiers_mapped') }}
),

codes as (
    select * from {{ ref('stg_catalog__codes') }}
    where catalog_name = 'procedure'
),

communes as (
    select * from {{ ref('int_catalog__commune_attribution') }}
),

commune_versions as (
    select distinct on (dossiers.dossier_id)
        dossiers.dossier_id,
        communes.admin_unit_id,
        communes.commune_code_2025,
        communes.commune_code_pre2025
    from dossiers
    inner join communes on dossiers.commune_code = communes.commune_code
    order by
        dossiers.dossier_id asc,
        (
            dossiers.fact_on >= communes.valid_from_on
            and dossiers.fact_on < communes.valid_until_on
        ) desc,
        least(
            abs(dossiers.fact_on - greatest(communes.valid_from_on, '1900-01-01'::date)),
            abs(dossiers.fact_on - least(communes.valid_until_on, '2999-12-31'::date))
        ) asc
),

final as (
    select
        dossiers.dossier_id,
        dossiers.agency_version_id,
        procedure_versions.code_version_id as procedure_version_id,
        commune_versions.admin_unit_id,
        commune_versions.commune_code_2025,
        commune_versions.commune_code_pre2025,
        coalesce(procedure_versions.parent_code, dossiers.field_code) as field_code
    from dossiers
    left join codes as procedure_versions
        on
            dossiers.master_procedure_code = procedure_versions.code
            and procedure_versions.validity @> dossiers.fact_on
    left join commune_versions on dossiers.dossier_id = commune_versions.dossier_id
)

select * from final
