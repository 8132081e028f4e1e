-- One row per overdue document at as_of (fct_documents' is_overdue: handled after its due date,
-- or not handled and past due), with its number, summary and sender, its recipient agency and
-- parent in the agency catalog, and how many working days late it was handled or is at as_of
-- (dim_date's working_day_number: weekends and days off not counted).
with

documents as (
    select * from {{ ref('fct_documents') }}
),

headers as (
    select * from {{ ref('stg_documents__documents') }}
),

agency_versions as (
    select * from {{ ref('dim_agency') }}
),

days as (
    select * from {{ ref('dim_date') }}
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

overdue as (
    select
        documents.document_id,
        documents.agency_id as agency_code,
        documents.received_on,
        documents.due_on,
        documents.is_handled,
        headers.subject as document_summary,
        headers.from_organ_name as document_sender,
        headers.code_number || '/' || headers.code_notation as document_number,
        coalesce(agencies.agency_name, documents.agency_name) as agency_name,
        coalesce(agencies.parent_agency_code, documents.agency_id) as parent_agency_code,
        coalesce(agencies.parent_agency_name, documents.agency_name) as parent_agency_name,
        coalesce(documents.handled_on, {{ as_of_date() }}) as judged_on
    from documents
    left join headers on documents.document_id = headers.document_id
    left join agencies on documents.agency_id = agencies.agency_code
    where documents.is_overdue
),

counted as (
    select
        overdue.*,
        judged_days.working_day_number - due_days.working_day_number as days_overdue
    from overdue
    left join days as due_days on overdue.due_on = due_days.date_day
    left join days as judged_days on overdue.judged_on = judged_days.date_day
),

final as (
    select
        document_id,
        document_number,
        document_summary,
        document_sender,
        agency_code,
        agency_name,
        parent_agency_code,
        parent_agency_name,
        received_on,
        due_on,
        days_overdue,
        is_handled
    from counted
)

select * from final
