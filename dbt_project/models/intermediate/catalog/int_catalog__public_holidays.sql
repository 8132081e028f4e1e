-- The days off (catalog public_holiday) as the stewards publish them. A day is off while its
-- latest published version is open-ended and active: a retired day is a working day again, a
-- renamed one takes its new name. Codes that are not a date (impossible with the catalog's
-- code pattern, but a bad day must not break the build) are left out.
with

codes as (
    select * from {{ ref('stg_catalog__codes') }}
    where catalog_name = 'public_holiday'
),

final as (
    select
        code_version_id,
        code::date as holiday_on,
        code_name as holiday_name,
        legal_source
    from codes
    where
        state = 'active'
        and valid_until_on = 'infinity'::date
        and pg_input_is_valid(code, 'date')
)

select * from final
