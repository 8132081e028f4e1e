-- One row per official document as last delivered, with the inbox file it came
-- from. The province's own agencies carry the home suffix in their code
-- (var home_agency_suffix, Đà Nẵng's H17 by default): a document they send is
-- outgoing, any other incoming.
with

source as (
    select * from {{ source('documents', 'documents') }}
),

versions as (
    select * from {{ source('documents', 'document_versions') }}
),

version_chunks as (
    select * from {{ source('documents', 'version_chunks') }}
),

final as (
    select
        source.document_id,
        source.from_organ_id,
        source.from_organ_name,
        source.to_organ_id,
        source.to_organ_name,
        source.to_organ_count,
        source.code_number,
        source.code_notation,
        source.promulgation_place,
        source.promulgated_on,
        source.document_type_code,
        source.document_type_name,
        source.subject,
        source.signer_name,
        source.signer_position,
        source.priority as priority_code,
        source.page_amount,
        source.steering_type as steering_type_code,
        source.due_on,
        source.attachment_count,
        source.sent_at,
        source.sent_by_organ_id,
        version_chunks.source_ref as file_name,
        source._loaded_at as loaded_at,
        source.from_organ_id like '%.{{ var("home_agency_suffix", "H17") }}' as is_from_province,
        coalesce(
            source.to_organ_id like '%.{{ var("home_agency_suffix", "H17") }}', false
        ) as is_to_province,
        case
            when source.from_organ_id like '%.{{ var("home_agency_suffix", "H17") }}'
                then 'outgoing'
            else 'incoming'
        end as direction
    from source
    left join versions
        on
            source.document_id = versions.document_id
            and source._record_hash = versions._record_hash
    left join version_chunks
        on versions._chunk_id = version_chunks.chunk_id
)

select * from final
