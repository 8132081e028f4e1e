-- Dossier statuses (TrangThaiHoSo, catalog dossier_status), one row per published version.
with

statuses as (
    select * from {{ ref('stg_catalog__codes') }}
    where catalog_name = 'dossier_status'
),

final as (
    select
        valid_from_on,
        valid_until_on,
        is_current,
        code_version_id as status_version_id,
        code::smallint as status_code,
        code_name as status_name,
        attributes ->> 'name_en' as status_name_en,
        coalesce((attributes ->> 'is_finished')::boolean, false) as is_finished
    from statuses
)

select * from final
