-- The incremental dbt models select what was loaded since their watermark (`_loaded_at >`) and the
-- Decision 766 judgements the events that became known since their last judgement day (`event_at`
-- in a day's range): without these, every incremental run read the whole current tables.
create index if not exists onestop__dossiers__current__loaded_at
on raw.onestop__dossiers__current (_loaded_at);
create index if not exists onestop__dossier_events__current__loaded_at
on raw.onestop__dossier_events__current (_loaded_at);
create index if not exists onestop__dossier_events__current__event_at
on raw.onestop__dossier_events__current (event_at);
