-- Per dossier, what the Decision 766 indicators other than 2.1 read (from fct_dossiers), with
-- its procedure's catalog attributes valid on the day it was received. A field the source never
-- fills leaves its indicators not measured (int_d766__measures).
-- A table: the scorecard's counts read it several times in one build.
{{ config(materialized='table') }}
with

dossiers as (
    select
        dossier_id,
        procedure_code,
        agency_code,
        channel_code,
        commune_code_2025,
        commune_code_pre2025,
        online_level_code,
        is_paid_online,
        fee_total_vnd,
        has_digitised_attachments,
        has_electronic_result,
        reuses_digitised_data,
        synced_at,
        satisfaction_rating
    from {{ ref('fct_dossiers') }}
),

due as (
    select * from {{ ref('int_d766__dossier_due') }}
),

procedures as (
    select * from {{ ref('stg_catalog__codes') }}
    where catalog_name = 'procedure'
),

final as (
    select
        dossiers.*,
        due.received_at,
        due.received_at::date as received_on,
        procedures.code as catalog_procedure_code,
        procedures.attributes ->> 'online_level' as procedure_online_level,
        (procedures.attributes ->> 'fee_vnd')::bigint > 0 as procedure_has_fee,
        -- unknown: taken as issuing a document (most procedures end with a licence or certificate)
        coalesce((procedures.attributes ->> 'issues_document')::boolean, true) as issues_document
    from dossiers
    inner join due on dossiers.dossier_id = due.dossier_id
    left join procedures
        on
            dossiers.procedure_code in (procedures.code, procedures.attributes ->> 'province_code')
            and due.received_at::date >= procedures.valid_from_on
            and due.received_at::date < procedures.valid_until_on
)

select * from final
