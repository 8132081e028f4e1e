-- Each dossier in each period in which it was received (processing started), with the flags
-- the dossier-based indicators count; all known at the period's judgement day.
with

facts as (
    select * from {{ ref('int_d766__dossier_facts') }}
),

periods as (
    select * from {{ ref('int_d766__periods') }}
),

judgments as (
    select * from {{ ref('int_d766__dossier_period_judgments') }}
),

final as (
    select
        facts.dossier_id,
        periods.period_id,
        facts.procedure_code,
        facts.procedure_has_fee,
        facts.issues_document,
        facts.procedure_online_level in ('toan_trinh', 'mot_phan') as is_procedure_online,
        facts.channel_code = 2 as is_online,
        coalesce(facts.synced_at < (periods.judged_on + 1)::timestamp, false) as is_synced,
        coalesce(facts.is_paid_online, false) as is_paid_online,
        coalesce(facts.fee_total_vnd > 0, false) as has_fee,
        coalesce(facts.has_electronic_result, false) as has_electronic_result,
        coalesce(facts.has_digitised_attachments, false) as has_digitised_attachments,
        coalesce(facts.reuses_digitised_data, false) as reuses_digitised_data,
        -- MucDoHaiLong 3: không hài lòng
        coalesce(facts.satisfaction_rating = '3', false) as is_rated_dissatisfied,
        judgments.result_at is not null as has_result_issued
    from facts
    inner join periods
        on facts.received_on between periods.period_start_on and periods.judged_on
    left join judgments
        on facts.dossier_id = judgments.dossier_id and periods.period_id = judgments.period_id
)

select * from final
