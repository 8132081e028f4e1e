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
)

select * from final
