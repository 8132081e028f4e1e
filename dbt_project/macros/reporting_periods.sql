{#- The reporting periods (month, quarter, year) started by as_of, over dim_date's range, as a
    select for a CTE: period_kind, period_label ('Tháng 03/2026', 'Quý 1/2026', 'Năm 2026'),
    period_order, period_start_on, period_end_on, judged_on, is_closed.
    judged_on: the period's last day, or as_of while it runs. period_order: 1 = the latest started
    month; by judged_on desc (= period_end_on desc, a running period counted at as_of), then
    month, quarter, year. The same period has the same values wherever this is used. -#}
{% macro reporting_periods() -%}
    select
        spans.period_kind,
        case spans.period_kind
            when 'month' then 'Tháng ' || to_char(spans.period_start_on, 'MM/YYYY')
            when 'quarter'
                then 'Quý ' || extract(quarter from spans.period_start_on)::int
                || '/' || extract(year from spans.period_start_on)::int
            else 'Năm ' || extract(year from spans.period_start_on)::int
        end as period_label,
        row_number() over (
            order by
                least(spans.period_end_on, {{ as_of_date() }}) desc,
                case spans.period_kind when 'month' then 1 when 'quarter' then 2 else 3 end asc
        )::int as period_order,
        spans.period_start_on,
        spans.period_end_on,
        least(spans.period_end_on, {{ as_of_date() }}) as judged_on,
        spans.period_end_on < {{ as_of_date() }} as is_closed
    from (
        select distinct
            'month' as period_kind,
            month_start_on as period_start_on,
            (month_start_on + interval '1 month - 1 day')::date as period_end_on
        from {{ ref('dim_date') }}
        union all
        select distinct
            'quarter' as period_kind,
            quarter_start_on as period_start_on,
            (quarter_start_on + interval '3 months - 1 day')::date as period_end_on
        from {{ ref('dim_date') }}
        union all
        select distinct
            'year' as period_kind,
            year_start_on as period_start_on,
            (year_start_on + interval '1 year - 1 day')::date as period_end_on
        from {{ ref('dim_date') }}
    ) as spans
    where spans.period_start_on <= {{ as_of_date() }}
{%- endmacro %}
