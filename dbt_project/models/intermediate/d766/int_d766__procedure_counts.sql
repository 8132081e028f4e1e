-- The procedure-based Decision 766 indicators per unit and period, over the unit's procedures:
-- those with at least one dossier received there in the period (3.1 online, 3.2 used online,
-- 3.5 fee-bearing with a non-zero fee synced / with an online payment), per the procedure catalog.
with

period_facts as (
    select * from {{ ref('int_d766__dossier_period_facts') }}
),

facts as (
    select * from {{ ref('int_d766__dossier_facts') }}
),

-- first per period, procedure and combination of a dossier's units (as int_d766__timeliness_counts)
combinations as (
    select
        period_facts.period_id,
        period_facts.procedure_code,
        facts.agency_code,
        facts.commune_code_2025,
        facts.commune_code_pre2025,
        bool_or(period_facts.is_procedure_online) as is_online_service,
        bool_or(period_facts.procedure_has_fee) as is_fee_bearing,
        bool_or(period_facts.is_online) as has_online_dossier,
        bool_or(period_facts.has_fee) as has_fee_synced,
        bool_or(period_facts.has_fee and period_facts.is_paid_online) as has_online_payment
    from period_facts
    inner join facts on period_facts.dossier_id = facts.dossier_id
    group by
        period_facts.period_id,
        period_facts.procedure_code,
        facts.agency_code,
        facts.commune_code_2025,
        facts.commune_code_pre2025
),

units as (
    {{ d766_units_of_combinations('combinations') }}
),

procedures as (
    select
        entity_kind,
        entity_code,
        period_id,
        procedure_code,
        bool_or(is_online_service) as is_online_service,
        bool_or(is_fee_bearing) as is_fee_bearing,
        bool_or(has_online_dossier) as has_online_dossier,
        bool_or(has_fee_synced) as has_fee_synced,
        bool_or(has_online_payment) as has_online_payment
    from units
    group by entity_kind, entity_code, period_id, procedure_code
),

final as (
    select
        entity_kind,
        entity_code,
        period_id,
        count(*) as unit_procedures,
        count(*) filter (where is_online_service) as online_services,
        count(*) filter (where is_online_service and has_online_dossier) as online_services_used,
        count(*) filter (where is_fee_bearing) as fee_bearing_procedures,
        count(*) filter (where is_fee_bearing and has_fee_synced) as fee_procedures_synced,
        count(*) filter (where is_fee_bearing and has_online_payment) as fee_procedures_paid_online
    from procedures
    group by entity_kind, entity_code, period_id
)

select * from final
