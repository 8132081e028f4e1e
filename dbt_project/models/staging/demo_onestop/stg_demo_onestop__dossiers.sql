with

source as (
    select * from {{ source('demo_onestop', 'dossiers') }}
),

renamed as (
    select
        "MaHoSo" as dossier_id,
        "SoBienNhan" as receipt_number,
        "MaTTHC" as procedure_code,
        "ChuHoSo" as applicant_name,
        "DonViXuLy" as agency_code,
        "TenDonViXuLy" as agency_name,
        _batch_id as batch_id,
        _loaded_at as loaded_at,
        "LoaiDoiTuong"::smallint as applicant_type_code,
        "TrangThaiHoSo"::smallint as status_code,
        coalesce(nullif("KenhThucHien", ''), '1')::smallint as channel_code,
        to_timestamp("NgayTiepNhan", 'YYYYMMDDHH24MISS')::timestamp as received_at,
        to_timestamp("NgayHenTra", 'YYYYMMDDHH24MISS')::timestamp as due_at,
        to_timestamp(
            nullif("NgayKetThucXuLy", ''), 'YYYYMMDDHH24MISS'
        )::timestamp as finished_at
    from source
),

final as (
    -- a file may be loaded again; keep the latest version of each dossier
    select distinct on (dossier_id) *
    from renamed
    order by dossier_id asc, loaded_at desc
)

select * from final
