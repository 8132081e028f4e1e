-- One row per document, judged from where it is handled: its first recipient.
-- Received when the recipient's status 01 (arrived) came, else when it was sent;
-- handled at status 06 (done). Overdue: handled after the due date, or not
-- handled and the due date is before as_of (var; default today, local time).
-- No due date: never overdue. A document sent outside the province is not the
-- province's to handle. loaded_at: the latest raw load of the document or of any
-- of its events (fct_documents' incremental watermark).
with

documents as (
    select * from {{ ref('stg_documents__documents') }}
),

events as (
    select * from {{ ref('stg_documents__document_events') }}
),

event_loads as (
    select
        document_id,
        max(loaded_at) as loaded_at
    from events
    group by document_id
),

handling as (
    select
        documents.document_id,
        min(events.event_at) filter (where events.status_code = '01') as arrived_at,
        min(events.event_at) filter (where events.status_code = '02') as refused_at,
        min(events.event_at) filter (where events.status_code = '06') as handled_at
    from documents
    inner join events
        on
            documents.document_id = events.document_id
            and documents.to_organ_id = events.organ_id
    group by documents.document_id
),

judged as (
    select
        documents.document_id,
        documents.to_organ_id as agency_id,
        documents.from_organ_id as sender_agency_id,
        documents.from_organ_name as sender_agency_name,
        documents.direction,
        documents.is_to_province,
        documents.document_type_name,
        documents.priority_code,
        documents.subject,
        documents.promulgated_on,
        documents.due_on,
        handling.handled_at,
        coalesce(documents.to_organ_name, documents.to_organ_id) as agency_name,
        coalesce(handling.arrived_at, documents.sent_at) as received_at,
        handling.handled_at is not null as is_handled,
        handling.refused_at is not null as is_refused,
        documents.due_on is not null as has_due_date,
        coalesce(
            documents.is_to_province
            and handling.refused_at is null
            and documents.due_on < coalesce(handling.handled_at::date, {{ as_of_date() }}),
            false
        ) as is_overdue,
        greatest(documents.loaded_at, event_loads.loaded_at) as loaded_at
    from documents
    left join handling on documents.document_id = handling.document_id
    left join event_loads on documents.document_id = event_loads.document_id
),

final as (
    select
        *,
        received_at::date as received_on,
        handled_at::date as handled_on,
        is_handled and not is_overdue as is_handled_on_time,
        case
            when not is_to_province then 'Gửi ra ngoài tỉnh'
            when is_refused then 'Từ chối tiếp nhận'
            when is_overdue then 'Quá hạn'
            when is_handled then 'Đúng hạn'
            else 'Đang xử lý, còn hạn'
        end as timeliness
    from judged
)

select * from final
