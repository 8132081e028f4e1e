-- Every suite run with its transform run's outcome: the history dashboards show.
with

validations as (
    select * from {{ source('quality', 'validation_runs') }}
),

runs as (
    select * from {{ source('quality', 'transform_runs') }}
),

final as (
    select
        validations.run_id as validation_id,
        validations.transform_run_id,
        validations.suite_name,
        validations.data_asset as table_name,
        validations.validated_table,
        validations.success,
        validations.evaluated_expectations,
        validations.failed_expectations,
        validations.critical_failures,
        validations.warning_failures,
        validations.validated_at,
        runs.outcome as run_outcome
    from validations
    left join runs on validations.transform_run_id = runs.transform_run_id
)

select * from final
