-- Numerators and denominators of the dossier-based Decision 766 indicators, per unit and period
-- (dossiers received in the period). Composite rates (3.3, 5.4) are formed in the scores mart.
-- Counted first per period and combination of a dossier's units, then per unit (as
-- int_d766__timeliness_counts).
with

period_facts as (
    select * from {{ ref('int_d766__dossier_period_facts') }}
),

facts as (
    select * from {{ ref('int_d766__dossier_facts') }}
),

combinations as (
    select
        period_facts.period_id,
        facts.agency_code,
        facts.commune_code_2025,
        facts.commune_code_pre2025,
        count(*) as received,
        count(*) filter (where period_facts.is_synced) as synced,
        count(*) filter (
            where period_facts.is_online
            and (
                not period_facts.issues_document
                or not period_facts.has_result_issued
                or period_facts.has_electronic_result
            )
        ) as online_with_result,
        count(*) filter (where period_facts.has_fee) as fee_bearing,
        count(*) filter (where period_facts.has_fee and period_facts.is_paid_online) as paid_online,
        count(*) filter (where period_facts.issues_document and period_facts.has_result_issued)
            as results_due,
        count(*) filter (
            where period_facts.issues_document
            and period_facts.has_result_issued
            and period_facts.has_electronic_result
        ) as electronic_results,
        count(*) filter (
            where period_facts.has_digitised_attachments
            and (
                not (period_facts.issues_document and period_facts.has_result_issued)
                or period_facts.has_electronic_result
            )
        ) as digitised,
        count(*) filter (where period_facts.reuses_digitised_data) as reusing,
        count(*) filter (where period_facts.is_rated_dissatisfied) as dissatisfied
    from period_facts
    inner join facts on period_facts.dossier_id = facts.dossier_id
    group by
        period_facts.period_id,
        facts.agency_code,
        facts.commune_code_2025,
        facts.commune_code_pre2025
),

units as (
    {{ d766_units_of_combinations('combinations') }}
),

counted as (
    select
        entity_kind,
        entity_code,
        period_id,
        sum(received)::bigint as received,
        sum(synced)::bigint as synced,
        sum(online_with_result)::bigint as online_with_result,
        sum(fee_bearing)::bigint as fee_bearing,
        sum(paid_online)::bigint as paid_online,
        sum(results_due)::bigint as results_due,
        sum(electronic_results)::bigint as electronic_results,
        sum(digitised)::bigint as digitised,
        sum(reusing)::bigint as reusing,
        sum(dissatisfied)::bigint as dissatisfied
    from units
    group by entity_kind, entity_code, period_id
)

select * from counted
