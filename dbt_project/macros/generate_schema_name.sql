{#
    Use the folder's schema name as is (staging, intermediate, marts), not <target>_<schema>.
    Write-audit-publish (warehouse/transform.py): with var `wap_build` true, the published layers
    (var `published_schemas`: what dashboards and the sharing API read) are built into
    `<schema>_build` instead; the transform audits them there and then swaps them in.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set schema = custom_schema_name if custom_schema_name is not none else target.schema -%}
    {%- if var('wap_build', false) and schema in var('published_schemas') -%}
        {{ schema }}_build
    {%- else -%}
        {{ schema }}
    {%- endif -%}
{%- endmacro %}
