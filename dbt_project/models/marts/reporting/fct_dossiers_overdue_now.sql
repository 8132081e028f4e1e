-- The dossiers still in progress and already late at var('as_of') (fct_d766_open_dossiers_overdue:
-- rule 2.1, due date plus supplement pauses), with their catalog names, in long form: each dossier
-- once under the boundary after 2025-07-01 and once under the one before.
with

overdue as (
    select * from {{ ref('fct_d766_open_dossiers_overdue') }}
),

dossiers as (
    select
        dossier_id,
        procedure_code,
        agency_code,
        field_code,
        commune_code_2025,
        commune_code_pre2025
    from {{ ref('fct_dossiers') }}
),

facts as (
    select
        dossier_id,
        received_on
    from {{ ref('int_d766__dossier_facts') }}
),

agencies as (
    select * from {{ ref('int_reporting__agencies') }}
),

procedures as (
    select distinct on (procedure_code)
        procedure_code,
        procedure_name
    from {{ ref('dim_procedure') }}
    order by procedure_code asc, is_current desc, valid_until_on desc
),

fields as (
    select
        code as field_code,
        code_name as field_name
    from {{ ref('stg_catalog__codes') }}
    where catalog_name = 'field' and is_current
),

communes as (
    select * from {{ ref('dim_admin_unit_boundary') }}
),

named as (
    select
        overdue.dossier_id,
        dossiers.procedure_code,
        coalesce(procedures.procedure_name, 'Chưa có trong danh mục: ' || dossiers.procedure_code)
            as procedure_name,
        dossiers.agency_code,
        coalesce(agencies.agency_name, 'Chưa có trong danh mục: ' || dossiers.agency_code)
            as agency_name,
        coalesce(agencies.parent_agency_code, dossiers.agency_code) as parent_agency_code,
        coalesce(
            agencies.parent_agency_name, 'Chưa có trong danh mục: ' || dossiers.agency_code
        ) as parent_agency_name,
        dossiers.field_code,
        coalesce(fields.field_name, 'Không rõ lĩnh vực') as field_name,
        facts.received_on,
        overdue.due_on_after_pauses as due_on,
        overdue.working_days_late,
        dossiers.commune_code_2025,
        dossiers.commune_code_pre2025
    from overdue
    inner join dossiers on overdue.dossier_id = dossiers.dossier_id
    left join facts on overdue.dossier_id = facts.dossier_id
    left join agencies on dossiers.agency_code = agencies.agency_code
    left join procedures on dossiers.procedure_code = procedures.procedure_code
    left join fields on dossiers.field_code = fields.field_code
),

by_boundary as (
    select
        *,
        'Sau 1/7/2025' as boundary,
        commune_code_2025 as admin_unit_code
    from named
    union all
    select
        *,
        'Trước 1/7/2025' as boundary,
        commune_code_pre2025 as admin_unit_code
    from named
),

final as (
    select
        by_boundary.dossier_id,
        by_boundary.procedure_code,
        by_boundary.procedure_name,
        by_boundary.agency_code,
        by_boundary.agency_name,
        by_boundary.parent_agency_code,
        by_boundary.parent_agency_name,
        by_boundary.field_code,
        by_boundary.field_name,
        by_boundary.received_on,
        by_boundary.due_on,
        by_boundary.working_days_late,
        by_boundary.boundary,
        by_boundary.admin_unit_code,
        coalesce(
            communes.admin_unit_name,
            'Ngoài danh mục xã của tỉnh: ' || by_boundary.admin_unit_code,
            'Không có xã tương ứng'
        ) as admin_unit_name
    from by_boundary
    left join communes
        on
            by_boundary.boundary = communes.boundary
            and by_boundary.admin_unit_code = communes.admin_unit_code
)

select * from final
