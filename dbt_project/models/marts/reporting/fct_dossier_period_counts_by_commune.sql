-- The measures of fct_dossier_period_counts per reporting period, agency, field and commune, in
-- long form: every dossier once under the boundary after 2025-07-01 and once under the one before
-- (its commune under each, as fct_dossiers attributes it), so that either boundary sums to the
-- province's total.
with

combinations as (
    select * from {{ ref('int_reporting__dossier_period_combinations') }}
),

periods as (
    select * from {{ ref('dim_reporting_period') }}
),

agencies as (
    select * from {{ ref('int_reporting__agencies') }}
),

fields as (
    select
        code as field_code,
        code_name as field_name
    from {{ ref('stg_catalog__codes') }}
    where catalog_name = 'field' and is_current
),

communes as (
    select * from {{ ref('dim_admin_unit_boundary') }}
),

by_boundary as (
    select
        'Sau 1/7/2025' as boundary,
        commune_code_2025 as admin_unit_code,
        *
    from combinations
    union all
    select
        'Trước 1/7/2025' as boundary,
        commune_code_pre2025 as admin_unit_code,
        *
    from combinations
),

counted as (
    select
        period_kind,
        period_start_on,
        agency_code,
        field_code,
        boundary,
        admin_unit_code,
        sum(received)::bigint as received,
        sum(resolved)::bigint as resolved,
        sum(judged)::bigint as judged,
        sum(on_time)::bigint as on_time,
        sum(open_at_end)::bigint as open_at_end,
        sum(overdue_at_end)::bigint as overdue_at_end,
        sum(online)::bigint as online,  -- noqa: RF04
        sum(fee_bearing)::bigint as fee_bearing,
        sum(paid_online)::bigint as paid_online,
        sum(digitised)::bigint as digitised,
        sum(synced)::bigint as synced
    from by_boundary
    group by period_kind, period_start_on, agency_code, field_code, boundary, admin_unit_code
),

named as (
    select
        counted.*,
        periods.period_label,
        periods.period_order,
        periods.period_end_on,
        coalesce(agencies.agency_name, 'Chưa có trong danh mục: ' || counted.agency_code)
            as agency_name,
        coalesce(agencies.parent_agency_code, counted.agency_code) as parent_agency_code,
        coalesce(
            agencies.parent_agency_name, 'Chưa có trong danh mục: ' || counted.agency_code
        ) as parent_agency_name,
        coalesce(fields.field_name, 'Không rõ lĩnh vực') as field_name,
        coalesce(
            communes.admin_unit_name,
            'Ngoài danh mục xã của tỉnh: ' || counted.admin_unit_code,
            'Không có xã tương ứng'
        ) as admin_unit_name,
        counted.judged - counted.on_time as late
    from counted
    inner join periods
        on
            counted.period_kind = periods.period_kind
            and counted.period_start_on = periods.period_start_on
    left join agencies on counted.agency_code = agencies.agency_code
    left join fields on counted.field_code = fields.field_code
    left join communes
        on
            counted.boundary = communes.boundary
            and counted.admin_unit_code = communes.admin_unit_code
),

final as (
    select
        period_kind,
        period_label,
        period_order,
        period_start_on,
        period_end_on,
        agency_code,
        agency_name,
        parent_agency_code,
        parent_agency_name,
        field_code,
        field_name,
        boundary,
        admin_unit_code,
        admin_unit_name,
        received,
        resolved,
        judged,
        on_time,
        late,
        open_at_end,
        overdue_at_end,
        online,  -- noqa: RF04
        fee_bearing,
        paid_online,
        digitised,
        synced
    from named
)

select * from final
