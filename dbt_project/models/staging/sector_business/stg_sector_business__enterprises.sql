with

source as (
    select * from {{ source('sector_business', 'enterprises') }}
),

final as (
    select
        enterprise_id,
        enterprise_name,
        legal_form,
        address,
        commune_code,
        registered_on,
        status,
        representative_name,
        updated_at,
        _loaded_at as loaded_at,
        -- raw keeps it as checked digits: the framework's integers stop at 2^31
        charter_capital_vnd::bigint as charter_capital_vnd,
        coalesce(status = 'Đang hoạt động', false) as is_active
    from source
)

select * from final
