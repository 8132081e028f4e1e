-- The province's Decision 766 scorecard per indicator (fct_d766_indicator_scores) per reporting
-- period, with a label for the indicators measured, not measurable (maximum shown, no points) and
-- only monitored.
with

indicators as (
    select * from {{ ref('fct_d766_indicator_scores') }}
    where entity_kind = 'province'
),

periods as (
    select * from {{ ref('dim_reporting_period') }}
),

named as (
    select
        periods.period_kind,
        periods.period_label,
        periods.period_order,
        periods.period_start_on,
        periods.period_end_on,
        indicators.indicator_code,
        indicators.indicator_name,
        indicators.group_code,
        indicators.group_name,
        indicators.max_points,
        indicators.points,
        indicators.numerator,
        indicators.denominator,
        indicators.rate,
        indicators.is_measured,
        indicators.certainty,
        indicators.scoring,
        case
            when indicators.scoring = 'monitoring' then 'Chỉ theo dõi'
            when indicators.is_measured then 'Đã đo'
            else 'Chưa đo được'
        end as measurement_label
    from indicators
    inner join periods
        on
            indicators.period_kind = periods.period_kind
            and indicators.period_start_on = periods.period_start_on
),

final as (
    select
        period_kind,
        period_label,
        period_order,
        period_start_on,
        period_end_on,
        indicator_code,
        indicator_name,
        group_code,
        group_name,
        max_points,
        points,
        numerator,
        denominator,
        rate,
        is_measured,
        measurement_label,
        certainty,
        scoring
    from named
)

select * from final
