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
        synced_at,  -- NgayDongBo: first sync to the national portal; null: not synced
        _loaded_at as loaded_at,
        applicant_type as applicant_type_code,
        fee_total_vnd::bigint as fee_total_vnd,  -- TongPhiLePhi: digits only (checked on loading)
        satisfaction_rating::smallint as satisfaction_rating,  -- 1 rất hài lòng .. 3 không hài lòng
        coalesce(channel_code, 1) as channel_code,
        -- Decision 766 fields (MucDoDVC, DuocThanhToanTrucTuyen, ...): null where not reported
        case online_level
            when 4 then 'toan_trinh'
            when 3 then 'mot_phan'
        end as online_level_code,
        online_payment_code in (1, 2) as is_paid_online,
        digitised_attachments_flag = 1 as has_digitised_attachments,
        electronic_result_flag = 1 as has_electronic_result,
        reused_data_flag = 1 as reuses_digitised_data
    from source
)

select * from final
