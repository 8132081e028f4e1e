-- Month by month per agency and field, for the trend charts: dossiers received, resolved, and
-- judged on time and late in the month (fct_dossier_period_counts' months).
with

counts as (
    select * from {{ ref('fct_dossier_period_counts') }}
    where period_kind = 'month'
),

counted as (
    select
        period_start_on as month_start_on,
        agency_code,
        agency_name,
        parent_agency_code,
        field_code,
        field_name,
        sum(received)::bigint as received,
        sum(resolved)::bigint as resolved,
        sum(on_time)::bigint as on_time,
        sum(late)::bigint as late
    from counts
    group by period_start_on, agency_code, agency_name, parent_agency_code, field_code, field_name
),

labelled as (
    select
        *,
        extract(year from month_start_on)::int as year_number,
        extract(month from month_start_on)::int as month_number,
        'Tháng ' || to_char(month_start_on, 'MM') as month_label
    from counted
),

final as (
    select
        month_start_on,
        year_number,
        month_number,
        month_label,
        agency_code,
        agency_name,
        parent_agency_code,
        field_code,
        field_name,
        received,
        resolved,
        on_time,
        late
    from labelled
)

select * from final
