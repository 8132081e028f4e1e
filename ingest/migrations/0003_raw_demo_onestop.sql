-- Raw demo one-stop dossiers: the source's values as text, plus lineage.
create table raw.demo_onestop__dossiers (
    "MaHoSo" text,
    "SoBienNhan" text,
    "MaTTHC" text,
    "ChuHoSo" text,
    "LoaiDoiTuong" text,
    "NgayTiepNhan" text,
    "NgayHenTra" text,
    "NgayKetThucXuLy" text,
    "TrangThaiHoSo" text,
    "KenhThucHien" text,
    "DonViXuLy" text,
    "TenDonViXuLy" text,
    _batch_id uuid not null references audit.load_batches (batch_id),
    _source_file text not null,
    _row_number integer not null,
    _loaded_at timestamptz not null default now()
);
create index on raw.demo_onestop__dossiers (_source_file);
