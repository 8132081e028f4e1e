-- One row per document (int_documents__documents_judged), merged incrementally on document_id.
-- An incremental run re-merges the documents whose raw row or any handling event was loaded
-- since the watermark (the latest loaded_at already here, minus var incremental_lookback,
-- default 3 days) and those not yet handled nor refused (judged at as_of). When the model's
-- columns changed, every document is re-merged. A full build gives the same rows.
-- depends_on: {{ ref('stg_documents__documents') }}, {{ ref('stg_documents__document_events') }}
{{
    config(
        materialized='incremental',
        unique_key='document_id',
        incremental_strategy='merge',
        on_schema_change='sync_all_columns',
    )
}}

with

judged as (
    select * from {{ ref('int_documents__documents_judged') }}
),

{% if is_incremental() and not incremental_columns_changed(
    ref('int_documents__documents_judged')
) %}

    documents as (
        select * from {{ ref('stg_documents__documents') }}
    ),

    events as (
        select * from {{ ref('stg_documents__document_events') }}
    ),

    watermark as (
        select
            coalesce(max(loaded_at), '-infinity'::timestamptz)
            - interval '{{ var("incremental_lookback", "3 days") }}' as loaded_since
        from {{ this }}
    ),

    changed as (
        select documents.document_id from documents
        inner join watermark on documents.loaded_at > watermark.loaded_since
        union
        select events.document_id from events
        inner join watermark on events.loaded_at > watermark.loaded_since
        union
        select previous.document_id from {{ this }} as previous
        where not previous.is_handled and not previous.is_refused
    ),

    final as (
        select * from judged
        where document_id in (select changed.document_id from changed)
    )

{% else %}

    final as (
        select * from judged
    )

{% endif %}

-- the columns: the columns are int_documents__documents_judged
select * from final  -- noqa: AM04
