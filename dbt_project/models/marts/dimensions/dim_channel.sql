-- Submission channels (KenhThucHien, catalog channel), one row per published version.
with

channels as (
    select * from {{ ref('stg_catalog__codes') }}
    where catalog_name = 'channel'
),

final as (
    select
        valid_from_on,
        valid_until_on,
        is_current,
        code_version_id as channel_version_id,
        code::smallint as channel_code,
        code_name as channel_name,
        attributes ->> 'name_en' as channel_name_en
    from channels
)

select * from final
