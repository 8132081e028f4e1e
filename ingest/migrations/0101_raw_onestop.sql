-- One-stop system: every version of each dossier and event, and the current state.
create table raw.onestop__dossiers (
    dossier_id text not null,
    receipt_number text,
    procedure_code text not null,
    field_code text,
    applicant_name text,
    applicant_type integer,
    address text,
    commune_code text,
    received_at timestamp not null,
    due_at timestamp,
    finished_at timestamp,
    status_code integer not null,
    channel_code integer,
    agency_code text not null,
    updated_at timestamp not null,
    _record_hash text not null,
    _fixes text[] not null default '{}',
    _payload json not null,
    _batch_id uuid not null references audit.load_batches (batch_id),
    _source_ref text not null,
    _row_number integer not null,
    _loaded_at timestamptz not null default now(),
    unique (dossier_id, _record_hash)
);

create table raw.onestop__dossiers__current (
    dossier_id text primary key,
    receipt_number text,
    procedure_code text not null,
    field_code text,
    applicant_name text,
    applicant_type integer,
    address text,
    commune_code text,
    received_at timestamp not null,
    due_at timestamp,
    finished_at timestamp,
    status_code integer not null,
    channel_code integer,
    agency_code text not null,
    updated_at timestamp not null,
    _record_hash text not null,
    _batch_id uuid not null references audit.load_batches (batch_id),
    _loaded_at timestamptz not null default now()
);

create table raw.onestop__dossier_events (
    dossier_id text not null,
    status_code integer not null,
    event_at timestamp not null,
    note text,
    _record_hash text not null,
    _fixes text[] not null default '{}',
    _payload json not null,
    _batch_id uuid not null references audit.load_batches (batch_id),
    _source_ref text not null,
    _row_number integer not null,
    _loaded_at timestamptz not null default now(),
    unique (dossier_id, event_at, status_code, _record_hash)
);

create table raw.onestop__dossier_events__current (
    dossier_id text not null,
    status_code integer not null,
    event_at timestamp not null,
    note text,
    _record_hash text not null,
    _batch_id uuid not null references audit.load_batches (batch_id),
    _loaded_at timestamptz not null default now(),
    primary key (dossier_id, event_at, status_code)
);
