{#
    The Decision 766 on-time rule (indicator 2.1), defined once (docs/warehouse/d766_on_time_rule.md):
    judges each row of `pairs` (a dossier and a period [period_start_on, judged_on]) on the
    dossier's status events known before judged_on + 1 day.

    pairs:  dossier_id, period_start_on, judged_on, due_at (null: not judgeable),
            subtract_financial_pause, include_carried_over (the options of 2.1), and any
            further `keys`, passed through
    events: dossier_id, status_code, event_at, next_event_at (the dossier's next event,
            ordered by event_at then status_code; null for its last event)
#}
{#- Change this whenever d766_judge changes: the stored judgements (int_d766__period_judgments_stored)
    fingerprint it with their other inputs, and a new value judges every dossier again. -#}
{% macro d766_rule_version() %}2026-12-01.1{% endmacro %}

{% macro d766_judge(pairs, events, keys=[]) %}
    {%- set keys = ['dossier_id', 'period_start_on', 'judged_on', 'due_at', 'subtract_financial_pause',
        'include_carried_over'] + keys -%}
    {%- set cut = "(pairs.judged_on + 1)::timestamp" -%}
    {%- set is_pause = "(events.status_code = 5 or (events.status_code = 6 and pairs.subtract_financial_pause))" -%}
    with

    known as (
        select
            {% for key in keys %}pairs.{{ key }},
            {% endfor -%}
            min(events.event_at) filter (where events.status_code = 2) as received_at,
            min(events.event_at) filter (where events.status_code = 7) as withdrawal_at,
            -- end of processing: processed wins over result returned, over refused or stopped
            coalesce(
                min(events.event_at) filter (where events.status_code = 9),
                min(events.event_at) filter (where events.status_code = 10),
                min(events.event_at) filter (where events.status_code in (3, 8))
            ) as ended_at,
            -- a result exists: processed or returned (indicator 4.1 counts these)
            coalesce(
                min(events.event_at) filter (where events.status_code = 9),
                min(events.event_at) filter (where events.status_code = 10)
            ) as result_at,
            count(*) filter (where events.status_code = 5) as supplement_requests,
            coalesce(
                sum(events.next_event_at - events.event_at)
                    filter (where {{ is_pause }} and events.next_event_at < {{ cut }}),
                interval '0'
            ) as pause_total,
            -- a pause still open at judgement (the last known event is a request)
            max(events.event_at) filter (
                where {{ is_pause }} and (events.next_event_at is null or events.next_event_at >= {{ cut }})
            ) as open_pause_at
        from {{ pairs }} as pairs
        inner join {{ events }} as events
            on pairs.dossier_id = events.dossier_id and events.event_at < {{ cut }}
        group by {% for key in keys %}pairs.{{ key }}{{ ", " if not loop.last }}{% endfor %}
    ),

    judged as (
        select
            *,
            received_at is not null
            and (withdrawal_at is null or received_at < withdrawal_at)
            and (ended_at is null or ended_at >= period_start_on::timestamp)
            and (include_carried_over or received_at >= period_start_on::timestamp) as is_counted,
            -- an outstanding request on an unfinished dossier: the request date is taken as the end
            coalesce(ended_at, open_pause_at) as judged_end_at
        from known
    )

    select
        *,
        case
            when due_at is null then null
            when supplement_requests >= 2 then false
            when judged_end_at is not null then judged_end_at - pause_total <= due_at
            else (due_at + pause_total)::date >= judged_on
        end as is_on_time
    from judged
{% endmacro %}
