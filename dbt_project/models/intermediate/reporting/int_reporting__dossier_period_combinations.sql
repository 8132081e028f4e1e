-- The dossier measures of the reporting marts per month, quarter and year and per combination of a
-- dossier's agency, procedure, field, channel and communes (both boundaries): counted once here,
-- summed by fct_dossier_period_counts (without the communes) and by
-- fct_dossier_period_counts_by_commune (without procedure and channel).
-- Received-side measures are those of int_d766__dossier_counts (int_d766__dossier_period_facts);
-- the judgement-side ones read int_d766__dossier_period_judgments (rule: macro d766_judge).
-- Both sides are counted per combination first, then added up: no row per dossier is joined twice.
{{ config(materialized='table') }}
with

periods as (
    select * from {{ ref('int_d766__periods') }}
    where period_kind in ('month', 'quarter', 'year')
),

-- the kinds filtered on period_id (int_d766__periods: '<kind>:<start>:<end>'), a filter the
-- planner pushes down into the periods of these views: no year-to-date row is ever joined
period_facts as (
    select * from {{ ref('int_d766__dossier_period_facts') }}
    where split_part(period_id, ':', 1) in ('month', 'quarter', 'year')
),

judgments as (
    select * from {{ ref('int_d766__dossier_period_judgments') }}
    where split_part(period_id, ':', 1) in ('month', 'quarter', 'year')
),

facts as (
    select * from {{ ref('int_d766__dossier_facts') }}
),

dossiers as (
    select
        dossier_id,
        field_code
    from {{ ref('fct_dossiers') }}
),

units as (
    select
        facts.dossier_id,
        facts.agency_code,
        facts.procedure_code,
        facts.channel_code,
        dossiers.field_code,
        facts.commune_code_2025,
        facts.commune_code_pre2025
    from facts
    inner join dossiers on facts.dossier_id = dossiers.dossier_id
),

received_side as (
    select
        period_facts.period_id,
        units.agency_code,
        units.procedure_code,
        units.channel_code,
        units.field_code,
        units.commune_code_2025,
        units.commune_code_pre2025,
        count(*) as received,
        0 as resolved,
        0 as judged,
        0 as on_time,
        0 as open_at_end,
        0 as overdue_at_end,
        count(*) filter (where period_facts.is_online) as online,  -- noqa: RF04
        count(*) filter (where period_facts.has_fee) as fee_bearing,
        count(*) filter (where period_facts.has_fee and period_facts.is_paid_online) as paid_online,
        count(*) filter (
            where period_facts.has_digitised_attachments
            and (
                not (period_facts.issues_document and period_facts.has_result_issued)
                or period_facts.has_electronic_result
            )
        ) as digitised,
        count(*) filter (where period_facts.is_synced) as synced
    from period_facts
    inner join units on period_facts.dossier_id = units.dossier_id
    group by
        period_facts.period_id,
        units.agency_code,
        units.procedure_code,
        units.channel_code,
        units.field_code,
        units.commune_code_2025,
        units.commune_code_pre2025
),

judged_side as (
    select
        judgments.period_id,
        units.agency_code,
        units.procedure_code,
        units.channel_code,
        units.field_code,
        units.commune_code_2025,
        units.commune_code_pre2025,
        0 as received,
        count(*) filter (
            where judgments.ended_at >= judgments.period_start_on
            and judgments.ended_at < judgments.judged_on + 1
        ) as resolved,
        count(*) filter (where judgments.is_judgeable) as judged,
        count(*) filter (where judgments.is_on_time) as on_time,
        count(*) filter (where judgments.ended_at is null) as open_at_end,
        count(*) filter (where judgments.ended_at is null and not judgments.is_on_time)
            as overdue_at_end,
        0 as online,  -- noqa: RF04
        0 as fee_bearing,
        0 as paid_online,
        0 as digitised,
        0 as synced
    from judgments
    inner join units on judgments.dossier_id = units.dossier_id
    group by
        judgments.period_id,
        units.agency_code,
        units.procedure_code,
        units.channel_code,
        units.field_code,
        units.commune_code_2025,
        units.commune_code_pre2025
),

both_sides as (
    select * from received_side
    union all
    select * from judged_side
),

final as (
    select
        periods.period_kind,
        periods.period_start_on,
        both_sides.agency_code,
        both_sides.procedure_code,
        both_sides.channel_code,
        both_sides.field_code,
        both_sides.commune_code_2025,
        both_sides.commune_code_pre2025,
        sum(both_sides.received)::bigint as received,
        sum(both_sides.resolved)::bigint as resolved,
        sum(both_sides.judged)::bigint as judged,
        sum(both_sides.on_time)::bigint as on_time,
        sum(both_sides.open_at_end)::bigint as open_at_end,
        sum(both_sides.overdue_at_end)::bigint as overdue_at_end,
        sum(both_sides.online)::bigint as online,  -- noqa: RF04
        sum(both_sides.fee_bearing)::bigint as fee_bearing,
        sum(both_sides.paid_online)::bigint as paid_online,
        sum(both_sides.digitised)::bigint as digitised,
        sum(both_sides.synced)::bigint as synced
    from both_sides
    inner join periods on both_sides.period_id = periods.period_id
    group by
        periods.period_kind,
        periods.period_start_on,
        both_sides.agency_code,
        both_sides.procedure_code,
        both_sides.channel_code,
        both_sides.field_code,
        both_sides.commune_code_2025,
        both_sides.commune_code_pre2025
)

select * from final
