-- The procedure-based Decision 766 indicators per unit and period, over the unit's procedures:
-- those with at least one dossier received there in the period (3.1 online, 3.2 used online,
-- 3.5 fee-bearing with a non-zero fee synced / with an online payment), per the procedure catalog.
with

facts as (
    select * from {{ ref('int_d766__dossier_period_facts') }}
),

entities as (
    select * from {{ ref('int_d766__dossier_entities') }}
),

procedures as (
    select
        entities.entity_kind,
        entities.entity_code,
        facts.period_id,
        facts.procedure_code,
        bool_or(facts.is_procedure_online) as is_online_service,
        bool_or(facts.procedure_has_fee) as is_fee_bearing,
        bool_or(facts.is_online) as has_online_dossier,
        bool_or(facts.has_fee) as has_fee_synced,
        bool_or(facts.has_fee and facts.is_paid_online) as has_online_payment
    from facts
    inner join entities on facts.dossier_id = entities.dossier_id
    group by entities.entity_kind, entities.entity_code, facts.period_id, facts.procedure_code
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
