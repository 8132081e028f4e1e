-- Sector systems (issue #3): every version of each record, and the current state.
-- Business register (a database), health facilities (files), schools (a JSON API).
-- Columns follow the stream definitions in ingest/sources/sector_*/streams.py.

create table raw.sector_business__enterprises (
    enterprise_id text not null,
    enterprise_name text not null,
    legal_form text,
    address text,
    commune_code text,
    registered_on date,
    status text not null,
    charter_capital_vnd text,
    representative_name text,
    updated_at timestamp not null,
    _record_hash text not null,
    _fixes text[] not null default '{}',
    _payload json not null,
    _batch_id uuid not null references audit.load_batches (batch_id),
    _source_ref text not null,
    _row_number integer not null,
    _loaded_at timestamptz not null default now(),
    unique (enterprise_id, _record_hash)
);

create table raw.sector_business__enterprises__current (
    enterprise_id text primary key,
    enterprise_name text not null,
    legal_form text,
    address text,
    commune_code text,
    registered_on date,
    status text not null,
    charter_capital_vnd text,
    representative_name text,
    updated_at timestamp not null,
    _record_hash text not null,
    _batch_id uuid not null references audit.load_batches (batch_id),
    _loaded_at timestamptz not null default now()
);

-- health: _source_ref is the file name, _row_number its line (xlsx: sheet row), header = 1
create table raw.sector_health__facilities (
    facility_id text not null,
    facility_name text not null,
    facility_type text,
    address text,
    commune_code text,
    bed_count integer,
    updated_on date not null,
    _record_hash text not null,
    _fixes text[] not null default '{}',
    _payload json not null,
    _batch_id uuid not null references audit.load_batches (batch_id),
    _source_ref text not null,
    _row_number integer not null,
    _loaded_at timestamptz not null default now(),
    unique (facility_id, _record_hash)
);

create table raw.sector_health__facilities__current (
    facility_id text primary key,
    facility_name text not null,
    facility_type text,
    address text,
    commune_code text,
    bed_count integer,
    updated_on date not null,
    _record_hash text not null,
    _batch_id uuid not null references audit.load_batches (batch_id),
    _loaded_at timestamptz not null default now()
);

create table raw.sector_schools__schools (
    school_id text not null,
    school_name text not null,
    school_level text,
    commune_code text,
    pupil_count integer,
    updated_at timestamp not null,
    _record_hash text not null,
    _fixes text[] not null default '{}',
    _payload json not null,
    _batch_id uuid not null references audit.load_batches (batch_id),
    _source_ref text not null,
    _row_number integer not null,
    _loaded_at timestamptz not null default now(),
    unique (school_id, _record_hash)
);

create table raw.sector_schools__schools__current (
    school_id text primary key,
    school_name text not null,
    school_level text,
    commune_code text,
    pupil_count integer,
    updated_at timestamp not null,
    _record_hash text not null,
    _batch_id uuid not null references audit.load_batches (batch_id),
    _loaded_at timestamptz not null default now()
);
