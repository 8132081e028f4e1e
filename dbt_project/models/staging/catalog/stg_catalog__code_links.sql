with

source as (
    select * from {{ source('catalog', 'code_links') }}
),

final as (
    select
        from_version_id as from_code_version_id,
        to_version_id as to_code_version_id,
        link_kind,
        is_primary,
        effective_on,
        legal_source,
        recorded_at,
        from_version_id || '>' || to_version_id as code_link_id
    from source
)

select * from final
