-- Handling events of documents. Status names as commonly implemented for the
-- edXML status message (unverified); '00' is a TraceHeader: the organ sent it.
with

source as (
    select * from {{ source('documents', 'document_events') }}
),

final as (
    select
        document_id,
        organ_id,
        organ_name,
        status_code,
        event_at,
        description,
        staff_name,
        _loaded_at as loaded_at,
        case status_code
            when '00' then 'Đã gửi'
            when '01' then 'Đã đến'
            when '02' then 'Từ chối tiếp nhận'
            when '03' then 'Đã tiếp nhận'
            when '04' then 'Phân công'
            when '05' then 'Đang xử lý'
            when '06' then 'Hoàn thành'
        end as status_name,
        status_code = '00' as is_trace,
        md5(concat_ws('|', document_id, organ_id, status_code, event_at::text))
            as document_event_id
    from source
)

select * from final
