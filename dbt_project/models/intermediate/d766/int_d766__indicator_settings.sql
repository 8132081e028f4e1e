-- Every published version of the Decision 766 indicators' settings (catalog scorecard_indicator):
-- a period is scored with the version valid on its judgement day.
with

codes as (
    select * from {{ ref('stg_catalog__codes') }}
    where catalog_name = 'scorecard_indicator'
),

final as (
    select
        code_version_id,
        code as indicator_code,
        code_name as indicator_name,
        valid_from_on,
        valid_until_on,
        attributes ->> 'group_code' as group_code,
        attributes ->> 'group_name' as group_name,
        attributes ->> 'scoring' as scoring,
        attributes ->> 'certainty' as certainty,
        attributes ->> 'note' as note,
        coalesce((attributes ->> 'max_points')::numeric, 0) as max_points,
        (attributes ->> 'full_at_percent')::numeric / 100 as full_at_rate,
        coalesce((attributes ->> 'is_measurable_here')::boolean, false) as is_measurable_here,
        coalesce((attributes ->> 'subtract_financial_pause')::boolean, false)
            as subtract_financial_pause,
        coalesce((attributes ->> 'include_carried_over')::boolean, true) as include_carried_over
    from codes
)

select * from final
