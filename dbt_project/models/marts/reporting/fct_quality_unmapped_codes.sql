-- One row per source system and code kind in the stewards' unmapped-codes queue
-- (catalog.unmapped_queue): how many distinct local codes have no mapping to the master
-- catalog, and how many raw rows carry one. A kind watched in several raw columns is summed.
with

queue as (
    select * from {{ source('catalog_stewardship', 'unmapped_queue') }}
),

final as (
    select
        source_system as source_name,
        code_kind,
        count(distinct local_code) as unmapped_codes,
        sum(row_count)::bigint as rows_affected
    from queue
    group by source_system, code_kind
)

select * from final
