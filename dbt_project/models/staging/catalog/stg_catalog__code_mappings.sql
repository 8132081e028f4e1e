with

source as (
    select * from {{ source('catalog', 'code_mappings') }}
),

final as (
    select
        source_system,
        code_kind as catalog_name,
        local_code,
        master_code,
        note,
        mapped_by,
        mapped_at,
        source_system || ':' || code_kind || ':' || local_code as code_mapping_id
    from source
)

select * from final
