-- The reporting periods (month, quarter, year, year to date) that have started by var('as_of').
-- A period is judged on its last day, or on as_of while it is running (judged_on).
with

days as (
    select * from {{ ref('dim_date') }}
),

as_of as (
    select {{ as_of_date() }} as as_of_on
),

spans as (
    select distinct
        'month' as period_kind,
        month_start_on as period_start_on,
        (month_start_on + interval '1 month - 1 day')::date as period_end_on
    from days
    union all
    select distinct
        'quarter' as period_kind,
        quarter_start_on as period_start_on,
        (quarter_start_on + interval '3 months - 1 day')::date as period_end_on
    from days
    union all
    select distinct
        'year' as period_kind,
        make_date(year_number, 1, 1) as period_start_on,
        make_date(year_number, 12, 31) as period_end_on
    from days
    union all
    -- year to date: from 1 January to the end of each month
    select distinct
        'year_to_date' as period_kind,
        make_date(year_number, 1, 1) as period_start_on,
        (month_start_on + interval '1 month - 1 day')::date as period_end_on
    from days
),

final as (
    select
        spans.period_kind,
        spans.period_start_on,
        spans.period_end_on,
        least(spans.period_end_on, as_of.as_of_on) as judged_on,
        spans.period_end_on < as_of.as_of_on as is_closed,
        spans.period_kind || ':' || spans.period_start_on || ':' || spans.period_end_on as period_id
    from spans
    cross join as_of
    -- a year to date exists from its last month's first day on
    where date_trunc('month', spans.period_end_on) <= as_of.as_of_on
)

select * from final
