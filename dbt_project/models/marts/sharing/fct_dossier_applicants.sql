-- One row per dossier with its applicant's name and address (personal data),
-- for the sharing API, which masks them unless a client's grant names them.
-- Built in schema sharing, not marts: the dashboards' account never reads it.
with

dossiers as (
    select * from {{ ref('fct_dossiers') }}
),

applicants as (
    select * from {{ ref('stg_onestop__dossiers') }}
),

final as (
    select
        dossiers.dossier_id,
        dossiers.procedure_code,
        dossiers.agency_code,
        dossiers.agency_name,
        dossiers.channel_code,
        dossiers.status_code,
        dossiers.commune_code,
        applicants.receipt_number,
        applicants.applicant_type_code,
        applicants.applicant_name,
        applicants.address as applicant_address,
        dossiers.received_at,
        dossiers.due_at,
        dossiers.finished_at,
        dossiers.timeliness,
        dossiers.received_on
    from dossiers
    inner join applicants on dossiers.dossier_id = applicants.dossier_id
)

select * from final
