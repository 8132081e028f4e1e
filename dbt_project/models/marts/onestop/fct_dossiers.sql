with

dossiers as (
    select * from {{ ref('int_onestop__dossiers_mapped') }}
),

timeliness as (
    select * from {{ ref('int_onestop__dossier_timeliness') }}
),

statuses as (
    select * from {{ ref('onestop_statuses') }}
),

channels as (
    select * from {{ ref('onestop_channels') }}
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
        dossiers.received_at::date as received_on,
        coalesce(dossiers.agency_name, 'Chưa có trong danh mục: ' || dossiers.master_agency_code)
            as agency_name
    from dossiers
    inner join timeliness on dossiers.dossier_id = timeliness.dossier_id
    left join statuses on dossiers.status_code = statuses.status_code
    left join channels on dossiers.channel_code = channels.channel_code
)

select * from final
