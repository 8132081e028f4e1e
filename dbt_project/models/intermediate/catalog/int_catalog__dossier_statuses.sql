-- The dossier statuses (TrangThaiHoSo) as the stewards publish them in the catalog today:
-- a published rename reaches the marts at their next build. A status without is_finished
-- counts as not finished.
with

codes as (
    select * from {{ ref('stg_catalog__codes') }}
    where catalog_name = 'dossier_status' and is_current
),

final as (
    select
        code_version_id,
        code::smallint as status_code,
        code_name as status_name,
        attributes ->> 'name_en' as status_name_en,
        coalesce((attributes ->> 'is_finished')::boolean, false) as is_finished
    from codes
)

select * from final
