-- Indicator 2.1 (dossiers counted in the period, carried-over included by default) and 2.2
-- (average processing days of dossiers received in the period and ended by its judgement day,
-- pauses subtracted) per unit and period. Counted first per period and combination of a dossier's
-- units (int_d766__dossier_entities' agency and communes: a few thousand combinations), then per
-- unit: four times fewer rows to aggregate than joining each judgement to each of its units.
with

judgments as (
    select * from {{ ref('int_d766__dossier_period_judgments') }}
),

facts as (
    select * from {{ ref('int_d766__dossier_facts') }}
),

combinations as (
    select
        judgments.period_id,
        facts.agency_code,
        facts.commune_code_2025,
        facts.commune_code_pre2025,
        count(*) filter (where judgments.is_judgeable) as judged,
        count(*) filter (where judgments.is_on_time) as on_time,
        count(*) filter (where not judgments.is_judgeable) as not_judgeable,
        count(*) filter (
            where judgments.received_at >= judgments.period_start_on
            and judgments.ended_at is not null
        ) as completed,
        sum(
            extract(epoch from judgments.ended_at - judgments.received_at - judgments.pause_total)
            / 86400
        ) filter (
            where judgments.received_at >= judgments.period_start_on
            and judgments.ended_at is not null
        ) as processing_days
    from judgments
    inner join facts on judgments.dossier_id = facts.dossier_id
    group by
        judgments.period_id, facts.agency_code, facts.commune_code_2025, facts.commune_code_pre2025
),

units as (
    {{ d766_units_of_combinations('combinations') }}
),

final as (
    select
        entity_kind,
        entity_code,
        period_id,
        sum(judged)::bigint as judged,
        sum(on_time)::bigint as on_time,
        sum(not_judgeable)::bigint as not_judgeable,
        sum(completed)::bigint as completed,
        round(sum(processing_days), 6) as processing_days
    from units
    group by entity_kind, entity_code, period_id
)

select * from final
