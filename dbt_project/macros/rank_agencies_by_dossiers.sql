{#- fct_dossiers' post-hook: agency_rank (1 = the agency with the most dossiers, ties by code) over
    the whole table. An incremental run merges only the dossiers that changed, which can move
    every agency's rank; this sets the ranks that moved (none after a full build). -#}
{% macro rank_agencies_by_dossiers(relation) -%}
    update {{ relation }} as fct
    set agency_rank = ranks.agency_rank
    from (
        select
            agency_code,
            row_number() over (order by count(*) desc, agency_code) as agency_rank
        from {{ relation }}
        group by agency_code
    ) as ranks
    where fct.agency_code = ranks.agency_code and fct.agency_rank is distinct from ranks.agency_rank
{%- endmacro %}
