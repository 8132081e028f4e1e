with

source as (
    select * from {{ source('catalog', 'codes') }}
),

published as (
    -- drafts are approved changes not yet published: never visible downstream
    select * from source
    where state <> 'draft'
),

final as (
    select
        version_id as code_version_id,
        catalog as catalog_name,
        code,
        name as code_name,
        state,
        validity,
        parent_catalog as parent_catalog_name,
        parent_code,
        attributes,
        legal_source,
        source as recorded_from,
        recorded_at,
        -- unknown starts and open ends as -infinity/infinity, so that a fact joins with
        -- fact_on >= valid_from_on and fact_on < valid_until_on (or: validity @> fact_on)
        coalesce(valid_from, '-infinity'::date) as valid_from_on,
        coalesce(valid_to, 'infinity'::date) as valid_until_on,
        validity @> current_date as is_current
    from published
)

select * from final
