{#- The rows of `combinations` (counts per period_id, agency_code, commune_code_2025 and
    commune_code_pre2025) once for each unit they are scored for, as int_d766__dossier_entities
    lists a dossier's units: the province, the agency, the commune under either structure (a
    unit with no code: not scored). -#}
{% macro d766_units_of_combinations(combinations) %}
    select
        'province' as entity_kind,
        '{{ var("province_code", "48") }}' as entity_code,
        *
    from {{ combinations }}
    union all
    select
        'agency',
        agency_code,
        *
    from {{ combinations }}
    where agency_code is not null
    union all
    select
        'commune_2025',
        commune_code_2025,
        *
    from {{ combinations }}
    where commune_code_2025 is not null
    union all
    select
        'commune_pre2025',
        commune_code_pre2025,
        *
    from {{ combinations }}
    where commune_code_pre2025 is not null
{% endmacro %}
