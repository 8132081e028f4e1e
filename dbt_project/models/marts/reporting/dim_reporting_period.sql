-- The reporting periods of the dashboards: the months, quarters and years of int_d766__periods
-- that have started by var('as_of'), from the month of the first dossier received on. period_order
-- 1 = the latest started month; then by period end (latest first) and kind (month, quarter, year).
with

periods as (
    select * from {{ ref('int_d766__periods') }}
    where period_kind in ('month', 'quarter', 'year')
),

facts as (
    select * from {{ ref('int_d766__dossier_facts') }}
),

first_month as (
    select coalesce(date_trunc('month', min(received_on))::date, {{ as_of_date() }}) as first_on
    from facts
),

in_range as (
    select periods.*
    from periods
    cross join first_month
    where
        periods.period_end_on >= first_month.first_on
        and periods.period_start_on <= {{ as_of_date() }}
),

labelled as (
    select
        period_kind,
        period_start_on,
        period_end_on,
        is_closed,
        case period_kind
            when 'month' then 'Tháng ' || to_char(period_start_on, 'MM/YYYY')
            when 'quarter' then 'Quý ' || to_char(period_start_on, 'Q/YYYY')
            else 'Năm ' || to_char(period_start_on, 'YYYY')
        end as period_label,
        row_number() over (
            order by
                period_end_on desc,
                case period_kind when 'month' then 1 when 'quarter' then 2 else 3 end asc
        )::int as period_order
    from in_range
),

final as (
    select
        period_kind,
        period_label,
        period_order,
        period_start_on,
        period_end_on,
        is_closed
    from labelled
)

select * from final
