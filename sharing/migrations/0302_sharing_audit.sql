-- The sharing API, part 3: the audit log. Every request, refusals included, is appended here; nobody
-- can change a row (triggers refuse update, delete and truncate; no role is granted more than insert),
-- and each row carries a SHA-256 hash over its content and the previous row's hash, so that a row
-- changed behind the triggers' back breaks the chain (`hub sharing audit verify` finds where).
create table sharing.audit_log (
    seq bigint primary key,                 -- the chain's order, set by the trigger
    logged_at timestamptz not null,         -- set by the trigger
    request_id text not null,
    client_id text,                         -- the authenticated client, or the one a refused request claimed
    method text not null,
    path text not null,
    dataset text,
    params jsonb not null default '{}',
    status integer not null,
    row_count bigint,
    byte_count bigint,
    duration_ms integer,
    address text,
    detail text,                            -- why a request was refused
    prev_hash text not null,
    row_hash text not null
);
create index audit_log_client on sharing.audit_log (client_id, logged_at);

-- One field of the hashed text: its length, a colon and the value; '~' for null. Unambiguous.
create function sharing.audit_field(v text) returns text
language sql immutable parallel safe
return case when v is null then '~' else length(v)::text || ':' || v end;

-- The text a row's hash covers (audit.py computes the same in Python to verify the chain).
create function sharing.audit_text(r sharing.audit_log) returns text
language sql immutable parallel safe
return sharing.audit_field(r.seq::text) || sharing.audit_field(r.prev_hash)
    || sharing.audit_field(to_char(r.logged_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
    || sharing.audit_field(r.request_id) || sharing.audit_field(r.client_id) || sharing.audit_field(r.method)
    || sharing.audit_field(r.path) || sharing.audit_field(r.dataset) || sharing.audit_field(r.params::text)
    || sharing.audit_field(r.status::text) || sharing.audit_field(r.row_count::text)
    || sharing.audit_field(r.byte_count::text) || sharing.audit_field(r.duration_ms::text)
    || sharing.audit_field(r.address) || sharing.audit_field(r.detail);

-- Appends are serialised by an advisory lock held to the end of the inserting transaction, so each
-- row's predecessor is the committed row before it. Runs as the owner: the API may insert, not read.
create function sharing.chain_audit_row() returns trigger
language plpgsql security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    last_seq bigint;
    last_hash text;
begin
    perform pg_advisory_xact_lock(740768);
    select seq, row_hash into last_seq, last_hash from sharing.audit_log order by seq desc limit 1;
    new.seq := coalesce(last_seq, 0) + 1;
    new.prev_hash := coalesce(last_hash, repeat('0', 64));
    new.logged_at := clock_timestamp();
    new.row_hash := encode(sha256(convert_to(sharing.audit_text(new), 'UTF8')), 'hex');
    return new;
end $$;
revoke execute on function sharing.chain_audit_row() from public;
create trigger chain before insert on sharing.audit_log
    for each row execute function sharing.chain_audit_row();

create function sharing.refuse_change() returns trigger
language plpgsql as $$
begin
    raise exception '%.% is append-only (% refused)', tg_table_schema, tg_table_name, tg_op;
end $$;
create trigger append_only before update or delete on sharing.audit_log
    for each row execute function sharing.refuse_change();
create trigger append_only_truncate before truncate on sharing.audit_log
    for each statement execute function sharing.refuse_change();
revoke all on sharing.audit_log from public;
