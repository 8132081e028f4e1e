-- Local codes mapped onto master codes (a code with no mapping is taken as
-- master already), and each dossier's agency (version and name) as the catalog
-- had it on the day the dossier was received (fact_on; else last updated).
with

dossiers as (
    select * from {{ ref('stg_onestop__dossiers') }}
),

mappings as (
    select * from {{ ref('stg_catalog__code_mappings') }}
    where source_system = 'onestop'
),

agencies as (
    select * from {{ ref('stg_catalog__codes') }}
    where catalog_name = 'agency'
),

mapped as (
    select
        dossiers.dossier_id,
        coalesce(agency_map.master_code, dossiers.agency_code) as master_agency_code,
        coalesce(procedure_map.master_code, dossiers.procedure_code) as master_procedure_code
    from dossiers
    left join mappings as agency_map
        on
            agency_map.catalog_name = 'agency'
            and dossiers.agency_code = agency_map.local_code
    left join mappings as procedure_map
        on
            procedure_map.catalog_name = 'procedure'
            and dossiers.procedure_code = procedure_map.local_code
),

final as (
    select
        dossiers.dossier_id,
        dossiers.agency_code,
        dossiers.procedure_code,
        dossiers.commune_code,
        dossiers.channel_code,
        dossiers.status_code,
        dossiers.received_at,
        dossiers.due_at,
        dossiers.finished_at,
        dossiers.field_code,
        dossiers.updated_at,
        dossiers.loaded_at,
        mapped.master_agency_code,
        mapped.master_procedure_code,
        agencies.code_version_id as agency_version_id,
        agencies.code_name as agency_name,
        -- the day a dossier's catalog versions are taken on
        coalesce(dossiers.received_at, dossiers.updated_at)::date as fact_on
    from dossiers
    inner join mapped on dossiers.dossier_id = mapped.dossier_id
    left join agencies
        on
            mapped.master_agency_code = agencies.code
            and coalesce(dossiers.received_at, dossiers.updated_at)::date >= agencies.valid_from_on
            and coalesce(dossiers.received_at, dossiers.updated_at)::date < agencies.valid_until_on
)

select * from final
