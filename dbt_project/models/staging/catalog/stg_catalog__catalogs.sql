with

source as (
    select * from {{ source('catalog', 'catalogs') }}
),

final as (
    select
        catalog as catalog_name,
        name_vi as catalog_name_vi,
        name_en as catalog_name_en,
        code_pattern,
        source as catalog_source,
        is_illustrative_seed
    from source
)

select * from final
