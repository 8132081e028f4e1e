{#
    A column of `relation` if the built relation has it, else a typed null: lets the scorecard
    build before the one-stop D766 fields reach fct_dossiers (they are added upstream, H1/H3).
    Introspective: models using it are not unit-tested; the rules they feed are.
#}
{% macro d766_column_or_null(relation, column, data_type) -%}
    {%- set present = [] -%}
    {%- if execute -%}
        {%- for found in adapter.get_columns_in_relation(relation) -%}
            {%- if found.name | lower == column -%}{%- do present.append(column) -%}{%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if present -%}{{ column }}::{{ data_type }}{%- else -%}null::{{ data_type }}{%- endif %} as {{ column }}
{%- endmacro %}

{# true when the built relation has the column (constant per build), for "not measured" flags #}
{% macro d766_has_column(relation, column) -%}
    {%- set present = [] -%}
    {%- if execute -%}
        {%- for found in adapter.get_columns_in_relation(relation) -%}
            {%- if found.name | lower == column -%}{%- do present.append(column) -%}{%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ 'true' if present else 'false' }}
{%- endmacro %}
