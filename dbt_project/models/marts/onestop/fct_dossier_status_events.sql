-- One row per status event (int_onestop__dossier_status_events), added incrementally: the
-- events loaded since the watermark (the latest loaded_at already here, minus var
-- incremental_lookback) are merged on their key, so the lookback never duplicates an event and
-- an event the source re-sent with another note is updated. Events are never removed upstream.
{{
    config(
        materialized='incremental',
        unique_key=['dossier_id', 'event_at', 'status_code'],
        incremental_strategy='merge',
        on_schema_change='sync_all_columns',
        indexes=[{'columns': ['dossier_id', 'event_at', 'status_code']}],
    )
}}

with

events as (
    select * from {{ ref('int_onestop__dossier_status_events') }}
),

final as (
    select * from events
    {% if is_incremental() and not incremental_columns_changed(
        ref('int_onestop__dossier_status_events')
    ) %}
        where loaded_at > (
            select
                coalesce(max(previous.loaded_at), '-infinity'::timestamptz)
                - interval '{{ var("incremental_lookback", "3 days") }}'
            from {{ this }} as previous
        )
    {% endif %}
)

-- the columns: the columns are int_onestop__dossier_status_events
select * from final  -- noqa: AM04
