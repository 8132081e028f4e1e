{#- True when an incremental model's table ({{ this }}) does not have exactly the columns of the
    relation it selects from plus `extra`: the model's definition changed since the table was
    built. The model then re-merges every row (with on_schema_change='sync_all_columns' adding and
    dropping the columns), so an upgrade needs no manual --full-refresh. -#}
{% macro incremental_columns_changed(source_relation, extra=[]) -%}
    {%- if not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set built = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- set wanted = adapter.get_columns_in_relation(source_relation) | map(attribute='name') | list -%}
    {{ return((built | sort) != ((wanted + extra) | sort)) }}
{%- endmacro %}
