-- Indicator 2.1 (dossiers counted in the period, carried-over included by default) and 2.2
-- (average processing days of dossiers received in the period and ended by its judgement day,
-- pauses subtracted) per unit and period.
with

judgments as (
    select * from {{ ref('int_d766__dossier_period_judgments') }}
),

entities as (
    select * from {{ ref('int_d766__dossier_entities') }}
),

final as (
    select
        entities.entity_kind,
        entities.entity_code,
        judgments.period_id,
        count(*) filter (where judgments.is_judgeable) as judged,
        count(*) filter (where judgments.is_on_time) as on_time,
        count(*) filter (where not judgments.is_judgeable) as not_judgeable,
        count(*) filter (
            where judgments.received_at >= judgments.period_start_on
            and judgments.ended_at is not null
        ) as completed,
        round(sum(
            extract(epoch from judgments.ended_at - judgments.received_at - judgments.pause_total)
            / 86400
        ) filter (
            where judgments.received_at >= judgments.period_start_on
            and judgments.ended_at is not null
        ), 6) as processing_days
    from judgments
    inner join entities on judgments.dossier_id = entities.dossier_id
    group by entities.entity_kind, entities.entity_code, judgments.period_id
)

select * from final
