-- Group and total Decision 766 scores per unit and period: points of the measured indicators,
-- the maximum they could reach, and the maximum of those not measured (shown apart, not as 0).
with

indicators as (
    select * from {{ ref('fct_d766_indicator_scores') }}
),

grouped as (
    select
        entity_kind,
        entity_code,
        period_kind,
        period_start_on,
        period_end_on,
        judged_on,
        is_closed,
        coalesce(group_code, 'total') as group_code,
        case when grouping(group_code) = 0 then max(group_name) else 'Tổng điểm' end as group_name,
        sum(points) as points,
        coalesce(sum(max_points) filter (where is_measured and scoring <> 'monitoring'), 0)
            as measured_max_points,
        coalesce(sum(max_points) filter (where not is_measured), 0) as not_measured_max_points,
        sum(max_points) as max_points
    from indicators
    group by
        grouping sets (
            (
                entity_kind,
                entity_code,
                period_kind,
                period_start_on,
                period_end_on,
                judged_on,
                is_closed,
                group_code
            ),
            (
                entity_kind,
                entity_code,
                period_kind,
                period_start_on,
                period_end_on,
                judged_on,
                is_closed
            )
        )
)

select * from grouped
