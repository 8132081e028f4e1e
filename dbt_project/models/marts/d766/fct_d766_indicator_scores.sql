-- The Decision 766 scorecard, one row per unit, period and indicator (every indicator of the
-- catalog scorecard_indicator, version valid on the period's judgement day). An indicator the
-- platform cannot measure shows its maximum with is_measured false and null points, never zero.
with

periods as (
    select * from {{ ref('int_d766__periods') }}
),

settings as (
    select * from {{ ref('int_d766__indicator_settings') }}
),

measures as (
    select * from {{ ref('int_d766__measures') }}
),

units as (
    select distinct
        entity_kind,
        entity_code,
        period_id
    from measures
),

scored as (
    select
        units.entity_kind,
        units.entity_code,
        periods.period_kind,
        periods.period_start_on,
        periods.period_end_on,
        periods.judged_on,
        periods.is_closed,
        settings.indicator_code,
        settings.indicator_name,
        settings.group_code,
        settings.group_name,
        settings.max_points,
        settings.scoring,
        settings.full_at_rate,
        settings.certainty,
        settings.note,
        measures.numerator,
        measures.denominator,
        measures.rate,
        coalesce(
            settings.is_measurable_here and measures.is_data_available and measures.denominator > 0,
            false
        ) as is_measured
    from units
    inner join periods on units.period_id = periods.period_id
    inner join settings
        on
            periods.judged_on >= settings.valid_from_on
            and periods.judged_on < settings.valid_until_on
    left join measures
        on
            units.entity_kind = measures.entity_kind
            and units.entity_code = measures.entity_code
            and units.period_id = measures.period_id
            and settings.indicator_code = measures.indicator_code
),

final as (
    select
        *,
        case
            when not is_measured or scoring = 'monitoring' then null
            when scoring = 'full_at' then round(max_points * least(1, rate / full_at_rate), 4)
            else round(max_points * rate, 4)
        end as points
    from scored
)

select * from final
