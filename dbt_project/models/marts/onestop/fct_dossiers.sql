-- Status and channel names as the stewards publish them in the shared catalogs today.
with

dossiers as (
    select * from {{ ref('int_onestop__dossiers_mapped') }}
),

timeliness as (
    select * from {{ ref('int_onestop__dossier_timeliness') }}
),

statuses as (
    select * from {{ ref('int_catalog__dossier_statuses') }}
),

channels as (
    select * from {{ ref('int_catalog__channels') }}
),

-- 1 = the agency with the most dossiers: dashboards show the busiest agencies first
agency_ranks as (
    select
        master_agency_code as agency_code,
        row_number() over (order by count(*) desc, master_agency_code) as agency_rank
    from dossiers
    group by master_agency_code
),

final as (
    select
        dossiers.dossier_id,
        dossiers.master_procedure_code as procedure_code,
        dossiers.master_agency_code as agency_code,
        agency_ranks.agency_rank,
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
    inner join agency_ranks on dossiers.master_agency_code = agency_ranks.agency_code
)

select * from final
