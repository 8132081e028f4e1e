{#- The only "now" of any model: var as_of (a date, 'YYYY-MM-DD'), default today in Asia/Ho_Chi_Minh.
    Returns a SQL date literal. Closed periods never depend on it. -#}
{% macro as_of_date() -%}
    {%- set today = modules.datetime.datetime.now(modules.pytz.timezone('Asia/Ho_Chi_Minh')).date() -%}
    '{{ var("as_of", today.isoformat()) }}'::date
{%- endmacro %}
