with

dossiers as (
    select * from {{ ref('stg_demo_onestop__dossiers') }}
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
        dossiers.procedure_code,
        dossiers.agency_code,
        dossiers.agency_name,
        dossiers.channel_code,
        channels.channel_name,
        dossiers.status_code,
        statuses.status_name,
        dossiers.received_at,
        dossiers.due_at,
        dossiers.finished_at,
        dossiers.received_at::date as received_on,
        timeliness.timeliness,
        timeliness.is_on_time
    from dossiers
    inner join timeliness on dossiers.dossier_id = timeliness.dossier_id
    inner join statuses on dossiers.status_code = statuses.status_code
    left join channels on dossiers.channel_code = channels.channel_code
)

select * from final
