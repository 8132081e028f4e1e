-- Administrative procedures (catalog procedure), one row per published version, with the
-- attributes the catalog holds: field, implementing level, online level, fee, whether it issues a
-- document, and the legal maximum processing days. An attribute the catalog lacks is empty.
with

procedures as (
    select * from {{ ref('stg_catalog__codes') }}
    where catalog_name = 'procedure'
),

fields as (
    select * from {{ ref('stg_catalog__codes') }}
    where catalog_name = 'field' and is_current
),

final as (
    select
        procedures.code_version_id as procedure_version_id,
        procedures.code as procedure_code,
        procedures.code_name as procedure_name,
        procedures.parent_code as field_code,
        fields.code_name as field_name,
        procedures.state,
        procedures.valid_from_on,
        procedures.valid_until_on,
        procedures.is_current,
        procedures.attributes ->> 'province_code' as province_procedure_code,
        procedures.attributes ->> 'implementing_level' as implementing_level,
        procedures.attributes ->> 'online_level' as online_level,
        (procedures.attributes ->> 'fee_vnd')::bigint as fee_vnd,
        (procedures.attributes ->> 'issues_document')::boolean as issues_document,
        (procedures.attributes ->> 'max_processing_days')::int as max_processing_days
    from procedures
    left join fields on procedures.parent_code = fields.code
)

select * from final
