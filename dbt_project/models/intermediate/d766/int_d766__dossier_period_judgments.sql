{{ config(materialized='table') }}
-- Indicator 2.1 for every dossier and reporting period in which it is counted, judged at the
-- period's end (or at as_of while the period runs) by the rule in macros/d766_on_time.sql,
-- with the options of indicator 2.1 valid on the judgement day.
with

periods as (
    select * from {{ ref('int_d766__periods') }}
),

settings as (
    select * from {{ ref('int_d766__indicator_settings') }}
    where indicator_code = '2.1'
),

due as (
    select * from {{ ref('int_d766__dossier_due') }}
),

spans as (
    -- the days a dossier can be counted: from its reception to its last ending event
    select
        dossier_id,
        max(event_at) filter (where status_code in (3, 8, 9, 10))::date as last_end_on
    from {{ ref('int_d766__dossier_events') }}
    group by dossier_id
),

pairs as (
    select
        due.dossier_id,
        due.due_at,
        periods.period_id,
        periods.period_kind,
        periods.period_start_on,
        periods.period_end_on,
        periods.judged_on,
        coalesce(settings.subtract_financial_pause, false) as subtract_financial_pause,
        coalesce(settings.include_carried_over, true) as include_carried_over
    from due
    inner join spans on due.dossier_id = spans.dossier_id
    inner join periods
        on
            due.received_at::date <= periods.judged_on
            and (spans.last_end_on is null or spans.last_end_on >= periods.period_start_on)
    left join settings
        on
            periods.judged_on >= settings.valid_from_on
            and periods.judged_on < settings.valid_until_on
),

judged as (
    {{ d766_judge(
        'pairs', ref('int_d766__dossier_events'), ['period_id', 'period_kind', 'period_end_on']
    ) }}
),

final as (
    select
        dossier_id,
        period_id,
        period_kind,
        period_start_on,
        period_end_on,
        judged_on,
        received_at,
        due_at,
        judged_end_at,
        ended_at,
        result_at,
        supplement_requests,
        pause_total,
        is_on_time,
        due_at is not null as is_judgeable
    from judged
    where is_counted
)

select * from final
