{#
    What an incremental run of int_d766__period_judgments_stored judges again (its pre-hook).
    A closed period's judgement of a dossier changes only when the dossier's data changes; a period
    still running at the last judgement day changes only for the dossiers with an event between that
    day and this run's as_of, and for those judged while open (their judgement moves with the day).
    Three temporary tables, dropped at commit, read by the model:
    - d766_rejudge_run: the watermark, the last judgement day (judged_until_on), as_of, and
      rejudge_all (first run, as_of moved back, or an input other than the dossiers changed:
      catalogs of procedures, holidays, indicator settings, code mappings, or the model itself);
    - d766_rejudged_periods: periods that did not exist on the last judgement day (a new month):
      every dossier is judged for them;
    - d766_rejudged_dossiers: dossiers with the first period end (from_on) judged again.
    The pre-hook then deletes exactly the rows judged again; the model appends them.
#}
{% macro d766_prepare_rejudging() %}
    {%- if is_incremental() -%}
        create temporary table d766_rejudge_run on commit drop as
        with previous as (
            select
                max(loaded_at) - interval '{{ var("incremental_lookback", "3 days") }}' as loaded_since,
                max(judged_on) as judged_until_on,
                (select stored.inputs_digest from {{ this }} as stored limit 1) as inputs_digest
            from {{ this }}
        )
        select
            previous.loaded_since,
            previous.judged_until_on,
            {{ as_of_date() }} as as_of_on,
            previous.judged_until_on is null
            or previous.judged_until_on > {{ as_of_date() }}
            or previous.inputs_digest is distinct from {{ d766_judgment_inputs_digest() }} as rejudge_all
        from previous;

        create temporary table d766_rejudged_periods on commit drop as
        select periods.period_id
        from {{ ref('int_d766__periods') }} as periods
        cross join d766_rejudge_run as run
        where date_trunc('month', periods.period_end_on) > run.judged_until_on;

        create temporary table d766_rejudged_dossiers on commit drop as
        with candidates as (
            -- every dossier: from scratch, or for a new period only
            select
                dossiers.dossier_id,
                case when run.rejudge_all then '-infinity' else 'infinity' end::date as from_on
            from {{ ref('stg_onestop__dossiers') }} as dossiers
            cross join d766_rejudge_run as run
            where run.rejudge_all or exists (select from d766_rejudged_periods)
            union all
            -- loaded since the watermark: every period
            select dossiers.dossier_id, '-infinity'::date
            from {{ ref('stg_onestop__dossiers') }} as dossiers
            inner join d766_rejudge_run as run on dossiers.loaded_at > run.loaded_since
            union all
            select events.dossier_id, '-infinity'::date
            from {{ ref('stg_onestop__dossier_events') }} as events
            inner join d766_rejudge_run as run on events.loaded_at > run.loaded_since
            union all
            -- an event that became known since the last judgement day: the periods running then
            select events.dossier_id, run.judged_until_on
            from {{ ref('stg_onestop__dossier_events') }} as events
            inner join d766_rejudge_run as run
                on
                    events.event_at >= (run.judged_until_on + 1)::timestamp
                    and events.event_at < (run.as_of_on + 1)::timestamp
            union all
            -- judged while open on an earlier day than this run's: judged again
            select stored.dossier_id, stored.period_end_on
            from {{ this }} as stored
            cross join d766_rejudge_run as run
            where
                stored.judged_end_at is null
                and stored.due_at is not null
                and stored.judged_on < least(stored.period_end_on, run.as_of_on)
        )
        select dossier_id, min(from_on) as from_on
        from candidates
        group by dossier_id;

        analyze d766_rejudged_dossiers;

        delete from {{ this }} as stored
        using d766_rejudged_dossiers as rejudged
        where stored.dossier_id = rejudged.dossier_id and stored.period_end_on >= rejudged.from_on;

        delete from {{ this }} as stored
        where stored.period_id in (select rejudged.period_id from d766_rejudged_periods as rejudged)
    {%- endif -%}
{% endmacro %}

{#- A fingerprint (bigint) of what the judgements read besides the dossiers and their events. -#}
{% macro d766_judgment_inputs_digest() -%}
    (
        select ('x' || left(md5(
            coalesce(string_agg(inputs.row_text, '|' order by inputs.row_text), '')
            || '{{ model.checksum.checksum }}' || '{{ d766_rule_version() }}'
        ), 16))::bit(64)::bigint
        from (
            select codes::text as row_text
            from {{ ref('stg_catalog__codes') }} as codes
            where codes.catalog_name in ('procedure', 'public_holiday', 'scorecard_indicator')
            union all
            select mappings::text
            from {{ ref('stg_catalog__code_mappings') }} as mappings
            where mappings.catalog_name = 'procedure'
        ) as inputs
    )
{%- endmacro %}

{#- Each status event with the dossier's next event (a pause ends at it), for the dossiers that
    `dossier_filter` (a SQL condition on events.dossier_id) keeps. -#}
{% macro d766_events_with_next(dossier_filter='true') %}
    select
        events.dossier_id,
        events.status_code,
        events.event_at,
        events.loaded_at,
        lead(events.event_at) over (
            partition by events.dossier_id order by events.event_at, events.status_code
        ) as next_event_at
    from {{ ref('stg_onestop__dossier_events') }} as events
    where {{ dossier_filter }}
{% endmacro %}
