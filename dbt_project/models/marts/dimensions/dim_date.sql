-- One row per day, from var calendar_start (or the year of the earliest dossier, if earlier) to
-- the end of the third year after as_of (or of the year after the latest due date, if later):
-- every day a fact or a due date can fall on. Working day: Monday-Friday and not a day off in the
-- published catalog public_holiday. working_day_number counts working days from the range's first
-- day up to and including date_day, so "the N-th working day after D" is the working day whose
-- number is working_day_number(D) + N.
with

holidays as (
    select * from {{ ref('int_catalog__public_holidays') }}
),

dossiers as (
    select * from {{ ref('stg_onestop__dossiers') }}
),

data_span as (
    select
        min(received_at)::date as first_received_on,
        max(greatest(received_at, due_at, finished_at))::date as last_data_on
    from dossiers
),

bounds as (
    select
        greatest(
            least(
                '{{ var("calendar_start", "2020-01-01") }}'::date,
                date_trunc('year', data_span.first_received_on)::date
            ),
            '2000-01-01'::date
        ) as first_day,
        least(
            greatest(
                (date_trunc('year', {{ as_of_date() }}) + interval '4 years - 1 day')::date,
                (date_trunc('year', data_span.last_data_on) + interval '2 years - 1 day')::date
            ),
            '2100-12-31'::date
        ) as last_day
    from data_span
),

days as (
    select generate_series(bounds.first_day, bounds.last_day, interval '1 day')::date as date_day
    from bounds
),

flagged as (
    select
        days.date_day,
        holidays.holiday_name,
        holidays.holiday_on is not null as is_public_holiday,
        extract(isodow from days.date_day) in (6, 7) as is_weekend
    from days
    left join holidays on days.date_day = holidays.holiday_on
),

final as (
    select
        date_day,
        is_weekend,
        is_public_holiday,
        holiday_name,
        extract(isodow from date_day)::int as iso_day_of_week,
        extract(isoyear from date_day)::int as iso_year,
        extract(week from date_day)::int as iso_week,
        date_trunc('week', date_day)::date as iso_week_start_on,
        extract(month from date_day)::int as month_number,
        date_trunc('month', date_day)::date as month_start_on,
        extract(quarter from date_day)::int as quarter_number,
        date_trunc('quarter', date_day)::date as quarter_start_on,
        extract(year from date_day)::int as year_number,
        date_trunc('year', date_day)::date as year_start_on,
        not is_weekend and not is_public_holiday as is_working_day,
        (
            count(*) filter (where not is_weekend and not is_public_holiday)
                over (order by date_day)
        )::int as working_day_number
    from flagged
)

select * from final
