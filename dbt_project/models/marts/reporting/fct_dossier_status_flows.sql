-- Status transitions of the dossiers per reporting period, agency and field: each status event
-- with the dossier's previous status ('Bắt đầu' for its first event), counted in the period the
-- event falls in (up to as_of), for the dossiers of fct_dossiers (an event of a dossier the
-- warehouse does not have has no agency). Counted per month first; quarters and years add up
-- their months.
with

events as (
    select
        dossier_id,
        event_at,
        event_on,
        status_code
    from {{ ref('fct_dossier_status_events') }}
),

dossiers as (
    select
        dossier_id,
        agency_code,
        field_code
    from {{ ref('fct_dossiers') }}
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

statuses as (
    select distinct on (status_code)
        status_code,
        status_name
    from {{ ref('dim_dossier_status') }}
    order by status_code asc, is_current desc, valid_until_on desc
),

transitions as (
    select
        dossier_id,
        event_on,
        status_code as to_status_code,
        lag(status_code) over (
            partition by dossier_id order by event_at asc, status_code asc
        ) as from_status_code
    from events
),

monthly as (
    select
        dossiers.agency_code,
        dossiers.field_code,
        transitions.from_status_code,
        transitions.to_status_code,
        date_trunc('month', transitions.event_on)::date as month_start_on,
        count(*) as transitions
    from transitions
    inner join dossiers on transitions.dossier_id = dossiers.dossier_id
    where transitions.event_on <= {{ as_of_date() }}
    group by
        dossiers.agency_code,
        dossiers.field_code,
        transitions.from_status_code,
        transitions.to_status_code,
        date_trunc('month', transitions.event_on)
),

counted as (
    select
        periods.period_kind,
        periods.period_start_on,
        monthly.agency_code,
        monthly.field_code,
        monthly.from_status_code,
        monthly.to_status_code,
        sum(monthly.transitions)::bigint as transitions
    from monthly
    inner join periods
        on monthly.month_start_on between periods.period_start_on and periods.period_end_on
    group by
        periods.period_kind,
        periods.period_start_on,
        monthly.agency_code,
        monthly.field_code,
        monthly.from_status_code,
        monthly.to_status_code
),

named as (
    select
        periods.period_kind,
        periods.period_label,
        periods.period_order,
        periods.period_start_on,
        periods.period_end_on,
        counted.agency_code,
        counted.field_code,
        counted.transitions,
        coalesce(agencies.agency_name, 'Chưa có trong danh mục: ' || counted.agency_code)
            as agency_name,
        coalesce(agencies.parent_agency_code, counted.agency_code) as parent_agency_code,
        coalesce(
            agencies.parent_agency_name, 'Chưa có trong danh mục: ' || counted.agency_code
        ) as parent_agency_name,
        coalesce(fields.field_name, 'Không rõ lĩnh vực') as field_name,
        case
            when counted.from_status_code is null then 'Bắt đầu'
            else coalesce(from_status.status_name, 'Trạng thái ' || counted.from_status_code)
        end as from_status_name,
        coalesce(to_status.status_name, 'Trạng thái ' || counted.to_status_code) as to_status_name
    from counted
    inner join periods
        on
            counted.period_kind = periods.period_kind
            and counted.period_start_on = periods.period_start_on
    left join agencies on counted.agency_code = agencies.agency_code
    left join fields on counted.field_code = fields.field_code
    left join statuses as from_status on counted.from_status_code = from_status.status_code
    left join statuses as to_status on counted.to_status_code = to_status.status_code
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
        from_status_name,
        to_status_name,
        transitions
    from named
)

select * from final
