-- The province's Decision 766 group and total scores (fct_d766_scores) per reporting period.
with

scores as (
    select * from {{ ref('fct_d766_scores') }}
    where entity_kind = 'province'
),

periods as (
    select * from {{ ref('dim_reporting_period') }}
),

final as (
    select
        periods.period_kind,
        periods.period_label,
        periods.period_order,
        periods.period_start_on,
        periods.period_end_on,
        periods.is_closed,
        scores.group_code,
        scores.group_name,
        scores.points,
        scores.measured_max_points,
        scores.not_measured_max_points,
        scores.max_points
    from scores
    inner join periods
        on
            scores.period_kind = periods.period_kind
            and scores.period_start_on = periods.period_start_on
)

select * from final
