-- Each agency's Decision 766 group and total scores (fct_d766_scores) per reporting period, with
-- its rank among the agencies by total score in the period (1 = best; on the group rows too).
with

scores as (
    select * from {{ ref('fct_d766_scores') }}
    where entity_kind = 'agency'
),

periods as (
    select * from {{ ref('dim_reporting_period') }}
),

agencies as (
    select * from {{ ref('int_reporting__agencies') }}
),

ranks as (
    select
        period_kind,
        period_start_on,
        entity_code,
        rank() over (
            partition by period_kind, period_start_on order by points desc nulls last
        )::int as score_rank
    from scores
    where group_code = 'total'
),

named as (
    select
        periods.period_kind,
        periods.period_label,
        periods.period_order,
        periods.period_start_on,
        periods.period_end_on,
        periods.is_closed,
        scores.entity_code as agency_code,
        scores.group_code,
        scores.group_name,
        scores.points,
        scores.measured_max_points,
        scores.not_measured_max_points,
        scores.max_points,
        ranks.score_rank,
        coalesce(agencies.agency_name, 'Chưa có trong danh mục: ' || scores.entity_code)
            as agency_name,
        coalesce(agencies.parent_agency_code, scores.entity_code) as parent_agency_code,
        coalesce(
            agencies.parent_agency_name, 'Chưa có trong danh mục: ' || scores.entity_code
        ) as parent_agency_name
    from scores
    inner join periods
        on
            scores.period_kind = periods.period_kind
            and scores.period_start_on = periods.period_start_on
    left join ranks
        on
            scores.period_kind = ranks.period_kind
            and scores.period_start_on = ranks.period_start_on
            and scores.entity_code = ranks.entity_code
    left join agencies on scores.entity_code = agencies.agency_code
),

final as (
    select
        period_kind,
        period_label,
        period_order,
        period_start_on,
        period_end_on,
        is_closed,
        agency_code,
        agency_name,
        parent_agency_code,
        parent_agency_name,
        group_code,
        group_name,
        points,
        measured_max_points,
        not_measured_max_points,
        max_points,
        score_rank
    from named
)

select * from final
