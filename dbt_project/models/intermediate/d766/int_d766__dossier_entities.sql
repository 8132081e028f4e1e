-- The units a dossier is scored for: the province (every dossier), its handling agency, and its
-- commune under the post-2025 and under the pre-2025 boundaries (as fct_dossiers attributes a
-- divided commune's dossier: one successor, see dim_admin_unit).
-- A table: the scorecard's counts read it several times in one build.
{{ config(materialized='table') }}
with

facts as (
    select * from {{ ref('int_d766__dossier_facts') }}
),

units as (
    select
        dossier_id,
        'province' as entity_kind,
        '{{ var("province_code", "48") }}' as entity_code
    from facts
    union all
    select
        dossier_id,
        'agency' as entity_kind,
        agency_code as entity_code
    from facts
    union all
    select
        dossier_id,
        'commune_2025' as entity_kind,
        commune_code_2025 as entity_code
    from facts
    union all
    select
        dossier_id,
        'commune_pre2025' as entity_kind,
        commune_code_pre2025 as entity_code
    from facts
),

final as (
    select * from units
    where entity_code is not null
)

select * from final
