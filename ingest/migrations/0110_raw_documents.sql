-- Document-management system (edXML, QCVN 102:2016): every version of each
-- document and handling event, the current state, and the inbox ledger.
-- _source_ref is the inbox file a record came from.
create table raw.documents__documents (
    document_id text not null,
    from_organ_id text not null,
    from_organ_name text,
    to_organ_id text,
    to_organ_name text,
    to_organ_count integer,
    code_number text,
    code_notation text,
    promulgation_place text,
    promulgated_on date,
    document_type_code text,
    document_type_name text,
    subject text,
    signer_name text,
    signer_position text,
    priority integer,
    page_amount integer,
    steering_type integer,
    due_on date,
    attachment_count integer,
    sent_at timestamp not null,
    sent_by_organ_id text,
    _record_hash text not null,
    _fixes text[] not null default '{}',
    _payload json not null,
    _batch_id uuid not null references audit.load_batches (batch_id),
    _source_ref text not null,
    _row_number integer not null,
    _loaded_at timestamptz not null default now(),
    unique (document_id, _record_hash)
);

create table raw.documents__documents__current (
    document_id text not null,
    from_organ_id text not null,
    from_organ_name text,
    to_organ_id text,
    to_organ_name text,
    to_organ_count integer,
    code_number text,
    code_notation text,
    promulgation_place text,
    promulgated_on date,
    document_type_code text,
    document_type_name text,
    subject text,
    signer_name text,
    signer_position text,
    priority integer,
    page_amount integer,
    steering_type integer,
    due_on date,
    attachment_count integer,
    sent_at timestamp not null,
    sent_by_organ_id text,
    _record_hash text not null,
    _batch_id uuid not null references audit.load_batches (batch_id),
    _loaded_at timestamptz not null default now(),
    primary key (document_id)
);

-- status packages, and a document's TraceHeaders as status '00' (sent)
create table raw.documents__document_events (
    document_id text not null,
    organ_id text not null,
    organ_name text,
    status_code text not null,
    event_at timestamp not null,
    description text,
    staff_name text,
    _record_hash text not null,
    _fixes text[] not null default '{}',
    _payload json not null,
    _batch_id uuid not null references audit.load_batches (batch_id),
    _source_ref text not null,
    _row_number integer not null,
    _loaded_at timestamptz not null default now(),
    unique (document_id, organ_id, status_code, event_at, _record_hash)
);

create table raw.documents__document_events__current (
    document_id text not null,
    organ_id text not null,
    organ_name text,
    status_code text not null,
    event_at timestamp not null,
    description text,
    staff_name text,
    _record_hash text not null,
    _batch_id uuid not null references audit.load_batches (batch_id),
    _loaded_at timestamptz not null default now(),
    primary key (document_id, organ_id, status_code, event_at)
);

-- Which inbox files each stream has read, in which form (sha256), and in which batch:
-- a file whose name and sha256 are here is not read again; a changed file is.
create table raw.documents__inbox_files (
    stream text not null,
    file_name text not null,
    sha256 text not null,
    size_bytes bigint not null,
    row_count integer not null,  -- landing rows the file gave the stream (0: not this stream's package)
    batch_id uuid not null references audit.load_batches (batch_id),
    recorded_at timestamptz not null default now(),
    primary key (stream, file_name, sha256)
);
create index on raw.documents__inbox_files (stream, file_name, recorded_at desc);
