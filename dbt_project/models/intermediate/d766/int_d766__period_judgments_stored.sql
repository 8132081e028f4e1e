-- Indicator 2.1 for every dossier and reporting period in which it is counted, judged at the
-- period's end (or at as_of while the period runs) by the rule in macros/d766_on_time.sql,
-- with the options of indicator 2.1 valid on the judgement day. Stored incrementally: a run
-- judges again only what can have changed (macros/d766_rejudging.sql) and appends it; judged_on
-- is the day a row was judged, which for a running period may be before as_of when nothing of the
-- dossier changed since (int_d766__dossier_period_judgments shows the period's judgement day).
-- A full build gives the same judgements.
-- depends_on: {{ ref('stg_onestop__dossiers') }}, {{ ref('stg_onestop__dossier_events') }}
-- depends_on: {{ ref('stg_catalog__codes') }}, {{ ref('stg_catalog__code_mappings') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='sync_all_columns',
        pre_hook="{{ d766_prepare_rejudging() }}",
        indexes=[
            {'columns': ['dossier_id']},
            {'columns': ['judged_on']},
            {'columns': ['loaded_at']},
        ],
    )
}}

{% set rejudging = is_incremental() %}

with

periods as (
    select * from {{ ref('int_d766__periods') }}
),

settings as (
    select * from {{ ref('int_d766__indicator_settings') }}
    where indicator_code = '2.1'
),

{% if rejudging %}

    rejudged as (
        select * from d766_rejudged_dossiers
    ),

    due as (
        select due.*
        from {{ ref('int_d766__dossier_due') }} as due
        inner join rejudged on due.dossier_id = rejudged.dossier_id
    ),

    events as (
        {{ d766_events_with_next(
            'events.dossier_id in (select rejudged.dossier_id from d766_rejudged_dossiers as rejudged)'
        ) }}
    ),

{% else %}

    due as (
        select * from {{ ref('int_d766__dossier_due') }}
    ),

    events as (
        select * from {{ ref('int_d766__dossier_events') }}
    ),

{% endif %}

spans as (
    -- the days a dossier can be counted: from its reception to its last ending event
    select
        dossier_id,
        max(event_at) filter (where status_code in (3, 8, 9, 10))::date as last_end_on,
        max(loaded_at) as loaded_at
    from events
    group by dossier_id
),

pairs as (
    select
        due.dossier_id,
        due.due_at,
        spans.loaded_at,
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
    {% if rejudging %}
        inner join rejudged on due.dossier_id = rejudged.dossier_id
    {% endif %}
    left join settings
        on
            periods.judged_on >= settings.valid_from_on
            and periods.judged_on < settings.valid_until_on
    {% if rejudging %}
        where
            periods.period_end_on >= rejudged.from_on
            or periods.period_id in (select new.period_id from d766_rejudged_periods as new)
    {% endif %}
),

judged as (
    {{ d766_judge('pairs', 'events', ['period_id', 'period_kind', 'period_end_on', 'loaded_at']) }}
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
        due_at is not null as is_judgeable,
        loaded_at,
        {{ d766_judgment_inputs_digest() }} as inputs_digest
    from judged
    where is_counted
)

select * from final
