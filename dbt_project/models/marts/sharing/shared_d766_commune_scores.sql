-- The Decision 766 scorecard by commune, for the sharing API: one row per
-- period, boundary (after or before 2025-07-01), commune and indicator group
-- (and the total), keyed by one text column because every pull is ordered by a
-- single key.
with

scores as (
    select * from {{ ref('fct_d766_commune_scores') }}
),

final as (
    -- the columns named, not scores.*: period_order counts back from today, and would
    -- make every row a change for incremental pulls each month
    select
        scores.period_kind,
        scores.period_label,
        scores.period_start_on,
        scores.period_end_on,
        scores.is_closed,
        scores.boundary,
        scores.admin_unit_code,
        scores.admin_unit_name,
        scores.group_code,
        scores.group_name,
        scores.points,
        scores.measured_max_points,
        scores.not_measured_max_points,
        scores.max_points,
        scores.score_rank,
        scores.period_kind
        || ':' || scores.period_start_on::text
        || ':' || scores.boundary
        || ':' || scores.admin_unit_code
        || ':' || scores.group_code as score_id
    from scores
)

select * from final
