-- The agency tree (catalog agency), one row per published version: parent, level and validity.
-- agency_level is the catalog's level attribute, else the depth in the tree (1 = a root);
-- agency_path lists the codes from the root down, by each code's latest version.
with recursive

agencies as (
    select * from {{ ref('stg_catalog__codes') }}
    where catalog_name = 'agency'
),

latest as (
    select distinct on (code)
        code,
        parent_code
    from agencies
    order by code asc, valid_until_on desc
),

tree as (
    select
        code,
        1 as tree_depth,
        code::text as agency_path
    from latest
    where parent_code is null
    union all
    select
        child.code,
        tree.tree_depth + 1 as tree_depth,
        tree.agency_path || ' > ' || child.code as agency_path
    from latest as child
    inner join tree on child.parent_code = tree.code
    where tree.tree_depth < 20
),

final as (
    select
        agencies.code_version_id as agency_version_id,
        agencies.code as agency_code,
        agencies.code_name as agency_name,
        agencies.parent_code as parent_agency_code,
        agencies.state,
        agencies.valid_from_on,
        agencies.valid_until_on,
        agencies.is_current,
        tree.agency_path,
        coalesce((agencies.attributes ->> 'level')::int, tree.tree_depth) as agency_level
    from agencies
    left join tree on agencies.code = tree.code
)

select * from final
