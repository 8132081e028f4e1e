-- Each commune's Decision 766 group and total scores (fct_d766_scores) per reporting period, in
-- long form over the boundaries (commune_2025: after 2025-07-01, commune_pre2025: before), with
-- its rank among the communes of the same boundary by total score (1 = best; on group rows too).
with

scores as (
    select
        *,
        case entity_kind
            when 'commune_2025' then 'Sau 1/7/2025'
            else 'Trước 1/7/2025'
        end as boundary
    from {{ ref('fct_d766_scores') }}
    where entity_kind in ('commune_2025', 'commune_pre2025')
),

periods as (
    select * from {{ ref('dim_reporting_period') }}
),

communes as (
    select * from {{ ref('dim_admin_unit_boundary') }}
),

ranks as (
    select
        period_kind,
        period_start_on,
        boundary,
        entity_code,
        rank() over (
            partition by period_kind, period_start_on, boundary order by points desc nulls last
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
        scores.boundary,
        scores.entity_code as admin_unit_code,
        scores.group_code,
        scores.group_name,
        scores.points,
        scores.measured_max_points,
        scores.not_measured_max_points,
        scores.max_points,
        ranks.score_rank,
        coalesce(
            communes.admin_unit_name, 'Ngoài danh mục xã của tỉnh: ' || scores.entity_code
        ) as admin_unit_name
    from scores
    inner join periods
        on
            scores.period_kind = periods.period_kind
            and scores.period_start_on = periods.period_start_on
    left join ranks
        on
            scores.period_kind = ranks.period_kind
            and scores.period_start_on = ranks.period_start_on
            and scores.boundary = ranks.boundary
            and scores.entity_code = ranks.entity_code
    left join communes
        on
            scores.boundary = communes.boundary
            and scores.entity_code = communes.admin_unit_code
),

final as (
    select
        period_kind,
        period_label,
        period_order,
        period_start_on,
        period_end_on,
        is_closed,
        boundary,
        admin_unit_code,
        admin_unit_name,
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
