-- Dossier counts per reporting period, agency, procedure, field and channel: received, resolved,
-- the Decision 766 2.1 judgements of the period (carried-over dossiers included), open and
-- overdue at the judgement day, and the received dossiers' flags (int_d766__dossier_counts).
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

procedures as (
    select distinct on (procedure_code)
        procedure_code,
        procedure_name
    from {{ ref('dim_procedure') }}
    order by procedure_code asc, is_current desc, valid_until_on desc
),

fields as (
    select
        code as field_code,
        code_name as field_name
    from {{ ref('stg_catalog__codes') }}
    where catalog_name = 'field' and is_current
),

channels as (
    select distinct on (channel_code)
        channel_code,
        channel_name
    from {{ ref('dim_channel') }}
    order by channel_code asc, is_current desc, valid_until_on desc
),

counted as (
    select
        period_kind,
        period_start_on,
        agency_code,
        procedure_code,
        field_code,
        channel_code,
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
    from combinations
    group by period_kind, period_start_on, agency_code, procedure_code, field_code, channel_code
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
        coalesce(procedures.procedure_name, 'Chưa có trong danh mục: ' || counted.procedure_code)
            as procedure_name,
        coalesce(fields.field_name, 'Không rõ lĩnh vực') as field_name,
        coalesce(channels.channel_name, 'Không rõ kênh') as channel_name,
        counted.judged - counted.on_time as late
    from counted
    inner join periods
        on
            counted.period_kind = periods.period_kind
            and counted.period_start_on = periods.period_start_on
    left join agencies on counted.agency_code = agencies.agency_code
    left join procedures on counted.procedure_code = procedures.procedure_code
    left join fields on counted.field_code = fields.field_code
    left join channels on counted.channel_code = channels.channel_code
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
        procedure_code,
        procedure_name,
        field_code,
        field_name,
        channel_name,
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
