with

source as (
    select * from {{ source('onestop', 'dossiers') }}
),

final as (
    select
        dossier_id,
        receipt_number,
        procedure_code,
        field_code,
        applicant_name,
        address,
        commune_code,
        agency_code,
        received_at,
        due_at,
        finished_at,
        status_code,
        updated_at,
        _loaded_at as loaded_at,
        applicant_type as applicant_type_code,
        coalesce(channel_code, 1) as channel_code
    from source
)

select * from final
