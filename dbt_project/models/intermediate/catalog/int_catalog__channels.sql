-- The submission channels (KenhThucHien) as the stewards publish them in the catalog today.
with

codes as (
    select * from {{ ref('stg_catalog__codes') }}
    where catalog_name = 'channel' and is_current
),

final as (
    select
        code_version_id,
        code::smallint as channel_code,
        code_name as channel_name,
        attributes ->> 'name_en' as channel_name_en
    from codes
)

select * from final
