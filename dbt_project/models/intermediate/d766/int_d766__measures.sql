-- One row per unit, period and measured indicator: numerator, denominator, rate and whether the
-- data it needs exists. 3.3 is multiplied by the sync rate (1.4); 5.4 is 100 % minus the late
-- rate (2.1) and the dissatisfied rate; 2.2's "rate" is the average processing time in days.
with

dossiers as (
    select * from {{ ref('int_d766__dossier_counts') }}
),

procedures as (
    select * from {{ ref('int_d766__procedure_counts') }}
),

timeliness as (
    select * from {{ ref('int_d766__timeliness_counts') }}
),

-- an indicator whose source field is empty on every dossier is not measured (not 0)
available as (
    select
        bool_or(synced_at is not null) as sync,
        bool_or(is_paid_online is not null and fee_total_vnd is not null) as payment,
        bool_or(has_electronic_result is not null) as result,
        bool_or(has_digitised_attachments is not null and has_electronic_result is not null)
            as digitisation,
        bool_or(reuses_digitised_data is not null) as reuse,
        bool_or(satisfaction_rating is not null) as rating,
        bool_or(procedure_online_level is not null) as online_level,
        bool_or(procedure_has_fee is not null) as fees
    from {{ ref('int_d766__dossier_facts') }}
),

units as (
    select
        dossiers.synced,
        dossiers.online_with_result,
        dossiers.fee_bearing,
        dossiers.paid_online,
        dossiers.results_due,
        dossiers.electronic_results,
        dossiers.digitised,
        dossiers.reusing,
        dossiers.dissatisfied,
        procedures.unit_procedures,
        procedures.online_services,
        procedures.online_services_used,
        procedures.fee_bearing_procedures,
        procedures.fee_procedures_synced,
        procedures.fee_procedures_paid_online,
        timeliness.on_time,
        timeliness.completed,
        timeliness.processing_days,
        coalesce(timeliness.entity_kind, dossiers.entity_kind) as entity_kind,
        coalesce(timeliness.entity_code, dossiers.entity_code) as entity_code,
        coalesce(timeliness.period_id, dossiers.period_id) as period_id,
        coalesce(dossiers.received, 0) as received,
        coalesce(timeliness.judged, 0) as judged,
        dossiers.synced::numeric / nullif(dossiers.received, 0) as sync_rate,
        timeliness.on_time::numeric / nullif(timeliness.judged, 0) as on_time_rate
    from timeliness
    full outer join dossiers
        on
            timeliness.entity_kind = dossiers.entity_kind
            and timeliness.entity_code = dossiers.entity_code
            and timeliness.period_id = dossiers.period_id
    left join procedures
        on
            dossiers.entity_kind = procedures.entity_kind
            and dossiers.entity_code = procedures.entity_code
            and dossiers.period_id = procedures.period_id
),

measures as (
    select
        units.entity_kind,
        units.entity_code,
        units.period_id,
        v.indicator_code,
        v.numerator,
        v.denominator,
        v.rate,
        v.is_data_available
    from units
    cross join available
    cross join lateral (
        values
        ('1.4', units.synced, units.received, units.sync_rate, available.sync),
        ('2.1', units.on_time, units.judged, units.on_time_rate, true),
        (
            '2.2', units.processing_days, units.completed,
            units.processing_days / nullif(units.completed, 0), true
        ),
        (
            '3.1', units.online_services, units.unit_procedures,
            units.online_services::numeric / nullif(units.unit_procedures, 0),
            available.online_level
        ),
        (
            '3.2', units.online_services_used, units.online_services,
            units.online_services_used::numeric / nullif(units.online_services, 0),
            available.online_level
        ),
        (
            '3.3', units.online_with_result, units.received,
            units.online_with_result::numeric / nullif(units.received, 0) * units.sync_rate,
            available.sync
        ),
        (
            '3.5a', units.fee_procedures_synced, units.fee_bearing_procedures,
            units.fee_procedures_synced::numeric / nullif(units.fee_bearing_procedures, 0),
            available.fees and available.payment
        ),
        (
            '3.5b', units.fee_procedures_paid_online, units.fee_bearing_procedures,
            units.fee_procedures_paid_online::numeric / nullif(units.fee_bearing_procedures, 0),
            available.fees and available.payment
        ),
        (
            '3.6', units.paid_online, units.fee_bearing,
            units.paid_online::numeric / nullif(units.fee_bearing, 0), available.payment
        ),
        (
            '4.1', units.electronic_results, units.results_due,
            units.electronic_results::numeric / nullif(units.results_due, 0), available.result
        ),
        (
            '4.2', units.digitised, units.received,
            units.digitised::numeric / nullif(units.received, 0), available.digitisation
        ),
        (
            '4.3', units.reusing, units.received,
            units.reusing::numeric / nullif(units.received, 0), available.reuse
        ),
        (
            '5.4', units.dissatisfied, units.received,
            greatest(
                0, units.on_time_rate - units.dissatisfied::numeric / nullif(units.received, 0)
            ),
            available.rating
        )
    ) as v (indicator_code, numerator, denominator, rate, is_data_available)
)

select * from measures
