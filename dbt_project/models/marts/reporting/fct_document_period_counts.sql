-- Documents per reporting period, agency and direction. 'Văn bản đến': the documents a province
-- agency received (every document to the province, under its recipient, fct_documents' agency);
-- 'Văn bản đi': the documents a province agency sent, under the sender, with how their recipient
-- handled them. A document between two province agencies is in both, once under each.
-- received: arrived in the period; handled: done in the period, split into handled_on_time and
-- overdue (done after the due date); overdue_open: not done nor refused at the period's judged_on
-- (its last day, or as_of while it runs) and past due then (recipients in the province only).
-- Periods and their columns are dim_reporting_period's (documents received before its first
-- period are not counted). Only the rows with a non-zero measure are kept.
with

documents as (
    select * from {{ ref('fct_documents') }}
),

agency_versions as (
    select * from {{ ref('dim_agency') }}
),

reporting_periods as (
    select * from {{ ref('dim_reporting_period') }}
),

-- a period is judged on its last day, or on as_of while it runs
periods as (
    select
        *,
        least(period_end_on, {{ as_of_date() }}) as judged_on
    from reporting_periods
),

-- each agency code's latest name, and its parent's (a top-level agency is its own parent)
latest_agencies as (
    select distinct on (agency_code)
        agency_code,
        agency_name,
        parent_agency_code
    from agency_versions
    order by agency_code asc, valid_until_on desc
),

agencies as (
    select
        latest_agencies.agency_code,
        latest_agencies.agency_name,
        coalesce(parents.agency_code, latest_agencies.agency_code) as parent_agency_code,
        coalesce(parents.agency_name, latest_agencies.agency_name) as parent_agency_name
    from latest_agencies
    left join latest_agencies as parents
        on latest_agencies.parent_agency_code = parents.agency_code
),

perspectives as (
    select
        agency_id as agency_code,
        agency_name as source_agency_name,
        received_on,
        handled_on,
        due_on,
        is_handled_on_time,
        is_overdue,
        is_refused,
        is_to_province,
        'Văn bản đến' as direction_name
    from documents
    where is_to_province
    union all
    select
        sender_agency_id as agency_code,
        sender_agency_name as source_agency_name,
        received_on,
        handled_on,
        due_on,
        is_handled_on_time,
        is_overdue,
        is_refused,
        is_to_province,
        'Văn bản đi' as direction_name
    from documents
    where direction = 'outgoing'
),

-- one edXML name per code not in the catalog
source_names as (
    select
        agency_code,
        max(source_agency_name) as source_agency_name
    from perspectives
    group by agency_code
),

sides as (
    select
        perspectives.agency_code,
        perspectives.direction_name,
        perspectives.received_on,
        perspectives.handled_on,
        perspectives.due_on,
        perspectives.is_handled_on_time,
        perspectives.is_overdue,
        perspectives.is_refused,
        perspectives.is_to_province,
        coalesce(agencies.agency_name, source_names.source_agency_name, perspectives.agency_code)
            as agency_name,
        coalesce(agencies.parent_agency_code, perspectives.agency_code) as parent_agency_code,
        coalesce(
            agencies.parent_agency_name, source_names.source_agency_name, perspectives.agency_code
        ) as parent_agency_name
    from perspectives
    left join agencies on perspectives.agency_code = agencies.agency_code
    left join source_names on perspectives.agency_code = source_names.agency_code
),

-- each document in each period it counts in: received by the period's judged_on and not
-- handled before the period started
judged as (
    select
        periods.period_kind,
        periods.period_label,
        periods.period_order,
        periods.period_start_on,
        periods.period_end_on,
        sides.agency_code,
        sides.agency_name,
        sides.parent_agency_code,
        sides.parent_agency_name,
        sides.direction_name,
        sides.is_handled_on_time,
        sides.is_overdue,
        sides.received_on >= periods.period_start_on as is_received,
        sides.handled_on between periods.period_start_on and periods.judged_on as is_handled,
        coalesce(sides.handled_on > periods.judged_on, true)
        and sides.due_on < periods.judged_on
        and sides.is_to_province
        and not sides.is_refused as is_overdue_open
    from sides
    inner join periods
        on
            sides.received_on <= periods.judged_on
            and coalesce(sides.handled_on, periods.period_start_on) >= periods.period_start_on
),

counted as (
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
        direction_name,
        count(*) filter (where is_received) as received,
        count(*) filter (where is_handled) as handled,
        count(*) filter (where is_handled and is_handled_on_time) as handled_on_time,
        count(*) filter (where is_handled and is_overdue) as overdue,
        count(*) filter (where is_overdue_open) as overdue_open
    from judged
    group by
        period_kind,
        period_label,
        period_order,
        period_start_on,
        period_end_on,
        agency_code,
        agency_name,
        parent_agency_code,
        parent_agency_name,
        direction_name
),

final as (
    select * from counted
    where received > 0 or handled > 0 or overdue_open > 0
)

select * from final
