-- Each dossier judged by the Decision 766 rule on all events known at var('as_of'): the
-- timeliness columns of fct_dossiers. Labels as the dashboards read them; a dossier that has
-- not ended is "in progress, within time" until the day after its due date (moved by its
-- pauses), then late.
with

settings as (
    select * from {{ ref('int_d766__indicator_settings') }}
    where indicator_code = '2.1'
),

pairs as (
    select
        due.dossier_id,
        due.due_at,
        '-infinity'::date as period_start_on,
        {{ as_of_date() }} as judged_on,
        true as include_carried_over,
        coalesce(settings.subtract_financial_pause, false) as subtract_financial_pause
    from {{ ref('int_d766__dossier_due') }} as due
    left join settings
        on
            {{ as_of_date() }} >= settings.valid_from_on
            and {{ as_of_date() }} < settings.valid_until_on
),

judged as (
    {{ d766_judge('pairs', ref('int_d766__dossier_events')) }}
),

judgments as (
    select
        dossier_id,
        due_at,
        ended_at,
        judged_end_at,
        supplement_requests,
        pause_total,
        -- no end of processing yet: the label depends on as_of (fct_dossiers re-merges these)
        ended_at is not null as is_finished,
        (due_at + pause_total)::date as due_on_after_pauses,
        case
            when is_counted and (ended_at is not null or not is_on_time) then is_on_time
        end as is_on_time,
        case
            when not is_counted or is_on_time is null then 'Không có hạn trả'
            when ended_at is not null and is_on_time then 'Đúng hạn'
            when not is_on_time then 'Trễ hạn'
            else 'Đang xử lý, còn hạn'
        end as timeliness
    from judged
),

-- every dossier, also those with no status event yet
final as (
    select
        pairs.dossier_id,
        pairs.due_at,
        judgments.ended_at,
        judgments.judged_end_at,
        judgments.pause_total,
        judgments.due_on_after_pauses,
        judgments.is_on_time,
        coalesce(judgments.supplement_requests, 0) as supplement_requests,
        coalesce(judgments.is_finished, false) as is_finished,
        coalesce(judgments.timeliness, 'Không có hạn trả') as timeliness
    from pairs
    left join judgments on pairs.dossier_id = judgments.dossier_id
)

select * from final
