-- One-stop dossiers: the fields the Decision 766 indicators need (see ingest/sources/onestop/streams.py).
-- Nullable columns without a default: PostgreSQL adds them to the catalog only, no table rewrite;
-- rows loaded before read NULL (not reported), the same as a source that does not send the field.
alter table raw.onestop__dossiers
    add column online_level integer,
    add column online_payment_code integer,
    add column fee_total_vnd text,
    add column digitised_attachments_flag integer,
    add column electronic_result_flag integer,
    add column reused_data_flag integer,
    add column synced_at timestamp,
    add column satisfaction_rating integer;

alter table raw.onestop__dossiers__current
    add column online_level integer,
    add column online_payment_code integer,
    add column fee_total_vnd text,
    add column digitised_attachments_flag integer,
    add column electronic_result_flag integer,
    add column reused_data_flag integer,
    add column synced_at timestamp,
    add column satisfaction_rating integer;
