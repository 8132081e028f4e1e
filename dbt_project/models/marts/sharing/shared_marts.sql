-- One row per mart the sharing API publishes, with its row count as this
-- build made it. It reads every one of them, so it is built after them all.
-- The publication the API serves (sharing.publish) is recorded by the
-- transform's publish step, after the audit (warehouse/publish.py).
with

dossiers as (
    select count(*) as row_count from {{ ref('fct_dossiers') }}
),

dossier_applicants as (
    select count(*) as row_count from {{ ref('fct_dossier_applicants') }}
),

documents as (
    select count(*) as row_count from {{ ref('fct_documents') }}
),

sector_indicators as (
    select count(*) as row_count from {{ ref('fct_sector_indicators_by_commune') }}
),

agency_scores as (
    select count(*) as row_count from {{ ref('shared_d766_agency_scores') }}
),

commune_scores as (
    select count(*) as row_count from {{ ref('shared_d766_commune_scores') }}
),

final as (
    select
        'fct_dossiers' as mart_name,
        row_count
    from dossiers
    union all
    select
        'fct_dossier_applicants' as mart_name,
        row_count
    from dossier_applicants
    union all
    select
        'fct_documents' as mart_name,
        row_count
    from documents
    union all
    select
        'fct_sector_indicators_by_commune' as mart_name,
        row_count
    from sector_indicators
    union all
    select
        'shared_d766_agency_scores' as mart_name,
        row_count
    from agency_scores
    union all
    select
        'shared_d766_commune_scores' as mart_name,
        row_count
    from commune_scores
)

select * from final
