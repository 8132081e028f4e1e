-- One row per dossier (int_onestop__dossiers_enriched), merged incrementally on dossier_id.
-- An incremental run re-merges: the dossiers whose raw row or any status event was loaded since
-- the watermark (the latest loaded_at already here, minus var incremental_lookback, default
-- 3 days, for loads that committed late); the dossiers judged at as_of (not finished); those
-- with a dimension key still missing (a code a steward may since have added or mapped); and
-- those whose status or channel name the catalog has since changed. A full build gives the same.
-- When the model's columns changed, every dossier is re-merged (macro incremental_columns_changed).
-- depends_on: {{ ref('stg_onestop__dossiers') }}, {{ ref('stg_onestop__dossier_events') }}
-- depends_on: {{ ref('int_catalog__dossier_statuses') }}, {{ ref('int_catalog__channels') }}
{{
    config(
        materialized='incremental',
        unique_key='dossier_id',
        incremental_strategy='merge',
        on_schema_change='sync_all_columns',
        post_hook="{{ rank_agencies_by_dossiers(this) }}",
        indexes=[{'columns': ['dossier_id']}],
    )
}}

with

enriched as (
    select * from {{ ref('int_onestop__dossiers_enriched') }}
),

{% if is_incremental() and not incremental_columns_changed(
    ref('int_onestop__dossiers_enriched'), ['agency_rank']
) %}

    dossiers as (
        select * from {{ ref('stg_onestop__dossiers') }}
    ),

    events as (
        select * from {{ ref('stg_onestop__dossier_events') }}
    ),

    statuses as (
        select * from {{ ref('int_catalog__dossier_statuses') }}
    ),

    channels as (
        select * from {{ ref('int_catalog__channels') }}
    ),

    watermark as (
        select
            coalesce(max(loaded_at), '-infinity'::timestamptz)
            - interval '{{ var("incremental_lookback", "3 days") }}' as loaded_since
        from {{ this }}
    ),

    changed as (
        select dossiers.dossier_id from dossiers
        inner join watermark on dossiers.loaded_at > watermark.loaded_since
        union
        select events.dossier_id from events
        inner join watermark on events.loaded_at > watermark.loaded_since
        union
        select previous.dossier_id from {{ this }} as previous
        left join statuses on previous.status_code = statuses.status_code
        left join channels on previous.channel_code = channels.channel_code
        where
            not previous.is_finished
            or previous.agency_version_id is null
            or previous.procedure_version_id is null
            or (previous.admin_unit_id is null and previous.commune_code is not null)
            or previous.status_name is distinct from statuses.status_name
            or previous.channel_name is distinct from channels.channel_name
    ),

    final as (
        select
            enriched.*,
            null::bigint as agency_rank  -- set by the post-hook
        from enriched
        where enriched.dossier_id in (select changed.dossier_id from changed)
    )

{% else %}

    -- a full build, or the model's columns changed: every dossier
    -- 1 = the agency with the most dossiers: dashboards show the busiest agencies first
    agency_ranks as (
        select
            agency_code,
            row_number() over (order by count(*) desc, agency_code) as agency_rank
        from enriched
        group by agency_code
    ),

    final as (
        select
            enriched.*,
            agency_ranks.agency_rank
        from enriched
        inner join agency_ranks on enriched.agency_code = agency_ranks.agency_code
    )

{% endif %}

-- the columns: int_onestop__dossiers_enriched's columns and agency_rank
select * from final  -- noqa: AM04
