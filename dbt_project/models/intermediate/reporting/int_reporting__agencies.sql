-- Every agency code of the catalog, by its latest version, with its parent in the catalog tree
-- (a top-level agency is its own parent): the names every reporting mart shows.
with

agencies as (
    select * from {{ ref('dim_agency') }}
),

latest as (
    select distinct on (agency_code)
        agency_code,
        agency_name,
        parent_agency_code
    from agencies
    order by agency_code asc, is_current desc, valid_until_on desc
),

final as (
    select
        latest.agency_code,
        latest.agency_name,
        coalesce(parent.agency_code, latest.agency_code) as parent_agency_code,
        coalesce(parent.agency_name, latest.agency_name) as parent_agency_name
    from latest
    left join latest as parent on latest.parent_agency_code = parent.agency_code
)

select * from final
