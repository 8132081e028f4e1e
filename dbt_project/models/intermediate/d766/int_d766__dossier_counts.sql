-- Numerators and denominators of the dossier-based Decision 766 indicators, per unit and period
-- (dossiers received in the period). Composite rates (3.3, 5.4) are formed in the scores mart.
with

facts as (
    select * from {{ ref('int_d766__dossier_period_facts') }}
),

entities as (
    select * from {{ ref('int_d766__dossier_entities') }}
),

joined as (
    select
        facts.*,
        entities.entity_kind,
        entities.entity_code
    from facts
    inner join entities on facts.dossier_id = entities.dossier_id
),

counted as (
    select
        entity_kind,
        entity_code,
        period_id,
        count(*) as received,
        count(*) filter (where is_synced) as synced,
        count(*) filter (
            where is_online
            and (not issues_document or not has_result_issued or has_electronic_result)
        ) as online_with_result,
        count(*) filter (where has_fee) as fee_bearing,
        count(*) filter (where has_fee and is_paid_online) as paid_online,
        count(*) filter (where issues_document and has_result_issued) as results_due,
        count(*) filter (where issues_document and has_result_issued and has_electronic_result)
            as electronic_results,
        count(*) filter (
            where has_digitised_attachments
            and (not (issues_document and has_result_issued) or has_electronic_result)
        ) as digitised,
        count(*) filter (where reuses_digitised_data) as reusing,
        count(*) filter (where is_rated_dissatisfied) as dissatisfied
    from joined
    group by entity_kind, entity_code, period_id
)

select * from counted
