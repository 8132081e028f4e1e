-- One row per dossier with everything fct_dossiers shows except agency_rank (a ranking over all
-- dossiers, which the mart computes): codes, catalog names, timeliness, keys to the dimensions,
-- the one-stop Decision 766 fields, and loaded_at, the latest raw load of the dossier or of any
-- of its status events (the mart's incremental watermark).
with

dossiers as (
    select * from {{ ref('int_onestop__dossiers_mapped') }}
),

source_fields as (
    select * from {{ ref('stg_onestop__dossiers') }}
),

events as (
    select * from {{ ref('stg_onestop__dossier_events') }}
),

keys as (
    select * from {{ ref('int_onestop__dossier_dimension_keys') }}
),

timeliness as (
    -- the Decision 766 rule (macros/d766_on_time.sql), judged on all events known at var as_of
    select * from {{ ref('int_d766__dossier_timeliness') }}
),

statuses as (
    select * from {{ ref('int_catalog__dossier_statuses') }}
),

channels as (
    select * from {{ ref('int_catalog__channels') }}
),

event_loads as (
    select
        dossier_id,
        max(loaded_at) as loaded_at
    from events
    group by dossier_id
),

final as (
    select
        dossiers.dossier_id,
        dossiers.master_procedure_code as procedure_code,
        dossiers.master_agency_code as agency_code,
        dossiers.channel_code,
        channels.channel_name,
        dossiers.status_code,
        statuses.status_name,
        dossiers.commune_code,
        dossiers.received_at,
        dossiers.due_at,
        dossiers.finished_at,
        timeliness.timeliness,
        timeliness.is_on_time,
        timeliness.supplement_requests,
        timeliness.is_finished,
        keys.field_code,
        keys.admin_unit_id,
        keys.commune_code_2025,
        keys.commune_code_pre2025,
        dossiers.agency_version_id,
        keys.procedure_version_id,
        source_fields.online_level_code,
        source_fields.is_paid_online,
        source_fields.fee_total_vnd,
        source_fields.has_digitised_attachments,
        source_fields.has_electronic_result,
        source_fields.reuses_digitised_data,
        source_fields.synced_at,
        source_fields.satisfaction_rating,
        dossiers.updated_at,
        dossiers.received_at::date as received_on,
        dossiers.due_at::date as due_on,
        dossiers.finished_at::date as finished_on,
        coalesce(dossiers.agency_name, 'Chưa có trong danh mục: ' || dossiers.master_agency_code)
            as agency_name,
        greatest(dossiers.loaded_at, event_loads.loaded_at) as loaded_at
    from dossiers
    inner join source_fields on dossiers.dossier_id = source_fields.dossier_id
    inner join timeliness on dossiers.dossier_id = timeliness.dossier_id
    inner join keys on dossiers.dossier_id = keys.dossier_id
    left join event_loads on dossiers.dossier_id = event_loads.dossier_id
    left join statuses on dossiers.status_code = statuses.status_code
    left join channels on dossiers.channel_code = channels.channel_code
)

select * from final
