-- When each dossier is due: its promised date (NgayHenTra), else the N-th working day after the
-- day it was received (that day not counted), at the time it was received, N = the procedure's
-- legal maximum (procedure catalog, max_processing_days, version valid on that day).
-- Neither: due_at is null and the dossier cannot be judged on time.
with

dossiers as (
    select * from {{ ref('int_onestop__dossiers_mapped') }}
),

received as (
    select
        dossier_id,
        min(event_at) as received_at
    from {{ ref('stg_onestop__dossier_events') }}
    where status_code = 2
    group by dossier_id
),

procedures as (
    select * from {{ ref('stg_catalog__codes') }}
    where catalog_name = 'procedure'
),

days as (
    select * from {{ ref('dim_date') }}
),

legal_days as (
    select
        dossiers.dossier_id,
        dossiers.due_at as promised_at,
        received.received_at,
        -- the national code, or the province's instance code (1.001612.000.00.00.H17)
        max((procedures.attributes ->> 'max_processing_days')::int) as max_processing_days
    from dossiers
    left join received on dossiers.dossier_id = received.dossier_id
    left join procedures
        on
            dossiers.master_procedure_code in (
                procedures.code, procedures.attributes ->> 'province_code'
            )
            and received.received_at::date >= procedures.valid_from_on
            and received.received_at::date < procedures.valid_until_on
    group by dossiers.dossier_id, dossiers.due_at, received.received_at
),

computed as (
    select
        legal_days.dossier_id,
        due_day.date_day + legal_days.received_at::time as computed_due_at
    from legal_days
    inner join days as received_day on legal_days.received_at::date = received_day.date_day
    inner join days as due_day
        on
            due_day.working_day_number
            = received_day.working_day_number + legal_days.max_processing_days
            and due_day.is_working_day
    where legal_days.promised_at is null
),

final as (
    select
        legal_days.dossier_id,
        legal_days.received_at,
        legal_days.promised_at,
        legal_days.max_processing_days,
        coalesce(legal_days.promised_at, computed.computed_due_at) as due_at
    from legal_days
    left join computed on legal_days.dossier_id = computed.dossier_id
)

select * from final
