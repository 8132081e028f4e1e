-- Per dossier, what the Decision 766 indicators other than 2.1 read (from fct_dossiers), with
-- its procedure's catalog attributes valid on the day it was received. Fields not yet in
-- fct_dossiers are null, and the indicators needing them show as not measured.
{%- set facts = ref('fct_dossiers') %}
with

dossiers as (
    select
        dossier_id,
        procedure_code,
        agency_code,
        channel_code,
        {{ d766_column_or_null(facts, 'commune_code_2025', 'text') }},
        {{ d766_column_or_null(facts, 'commune_code_pre2025', 'text') }},
        {{ d766_column_or_null(facts, 'online_level_code', 'text') }},
        {{ d766_column_or_null(facts, 'is_paid_online', 'boolean') }},
        {{ d766_column_or_null(facts, 'fee_total_vnd', 'bigint') }},
        {{ d766_column_or_null(facts, 'has_digitised_attachments', 'boolean') }},
        {{ d766_column_or_null(facts, 'has_electronic_result', 'boolean') }},
        {{ d766_column_or_null(facts, 'reuses_digitised_data', 'boolean') }},
        {{ d766_column_or_null(facts, 'synced_at', 'timestamp') }},
        {{ d766_column_or_null(facts, 'satisfaction_rating', 'text') }}
    from {{ facts }}
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
        {{ d766_has_column(facts, 'synced_at') }} as has_sync_data,
        {{ d766_has_column(facts, 'is_paid_online') }} as has_payment_data,
        {{ d766_has_column(facts, 'fee_total_vnd') }} as has_fee_data,
        {{ d766_has_column(facts, 'has_electronic_result') }} as has_result_data,
        {{ d766_has_column(facts, 'has_digitised_attachments') }} as has_digitisation_data,
        {{ d766_has_column(facts, 'reuses_digitised_data') }} as has_reuse_data,
        {{ d766_has_column(facts, 'satisfaction_rating') }} as has_rating_data,
        {{ d766_has_column(facts, 'online_level_code') }} as has_online_level_data,
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
