"""Business-registration database: a separate PostgreSQL database, pulled incrementally by `updated_at`.

`seed(url, config)` (re)creates the table and fills it; `advance(url, days)` lives
through more simulated days: some enterprises change (status, address, capital)
and get a new `updated_at`, new ones register, and - the `late_arrival` dirt -
some rows are written with an `updated_at` one to three days in the past, below
the watermark of a puller that already read those days. Bookkeeping (the
simulated day, the manifest) lives in schema `simulator`, not beside the data.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

from simulators.common.dirt import Dirt
from simulators.common.manifest import Entry, Manifest
from simulators.sector.enterprises import STATUSES, Enterprise, change, enterprise

SOURCE = "sector_business"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DIRT_KINDS: dict[str, float] = {"nfd": 0.02, "pre2025_commune": 0.03, "late_arrival": 0.05}
DDL = """
create table if not exists doanh_nghiep (
    ma_so_doanh_nghiep text primary key check (ma_so_doanh_nghiep ~ '^[0-9]{10}$'),
    ten_doanh_nghiep text not null,
    loai_hinh text not null,
    dia_chi text not null,
    ma_xa text not null,
    ngay_dang_ky date not null,
    tinh_trang text not null,
    von_dieu_le bigint not null,
    nguoi_dai_dien text not null,
    updated_at timestamptz not null
);
create index if not exists doanh_nghiep_updated_at on doanh_nghiep (updated_at, ma_so_doanh_nghiep);
create schema if not exists simulator;
create table if not exists simulator.state (name text primary key, value jsonb not null);
create table if not exists simulator.manifest (id bigserial primary key, entry jsonb not null);
"""
COLUMNS = ("ma_so_doanh_nghiep", "ten_doanh_nghiep", "loai_hinh", "dia_chi", "ma_xa", "ngay_dang_ky",
           "tinh_trang", "von_dieu_le", "nguoi_dai_dien", "updated_at")  # fmt: skip


@dataclass(frozen=True)
class BusinessConfig:
    seed: int = 2020
    size: int = 2000  # enterprises at seeding time
    start: date = date(2025, 7, 1)  # day 0; advance(1) lives through start + 1 day
    dirt: Dirt | str = field(default_factory=Dirt.none)

    def __post_init__(self) -> None:
        object.__setattr__(self, "dirt", Dirt.parse(self.dirt, DIRT_KINDS))


def _moment(config: BusinessConfig, day: int, rng: random.Random) -> datetime:
    midnight = datetime.combine(config.start + timedelta(days=day), datetime.min.time(), TZ)
    return midnight + timedelta(seconds=rng.randrange(7 * 3600, 18 * 3600))


def _write(conn: psycopg.Connection, rows: list[Enterprise], manifest: Manifest) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            f"insert into doanh_nghiep ({', '.join(COLUMNS)}) values ({', '.join(['%s'] * len(COLUMNS))}) "
            f"on conflict (ma_so_doanh_nghiep) do update set " + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:]),
            [row.values() for row in rows],
        )
        cur.executemany("insert into simulator.manifest (entry) values (%s)",
                        [(json.dumps(e.as_dict(), ensure_ascii=False),) for e in manifest])  # fmt: skip


def seed(url: str, config: BusinessConfig | None = None, manifest_path: Path | None = None) -> Manifest:
    """Drop and refill the table with `config.size` enterprises registered before day 0."""
    config = config or BusinessConfig()
    rng, manifest = random.Random(config.seed), Manifest()
    taken: set[str] = set()
    rows = []
    for _ in range(config.size):
        registered = config.start - timedelta(days=rng.randrange(1, 3650))
        updated = _moment(config, -rng.randrange(0, (config.start - registered).days + 1), rng)
        rows.append(enterprise(rng, config.dirt, registered, updated, taken, manifest))  # type: ignore[arg-type]
    with psycopg.connect(url) as conn:
        conn.execute("drop table if exists doanh_nghiep; drop schema if exists simulator cascade")
        conn.execute(DDL)
        _write(conn, rows, manifest)
        state = {"config": {"seed": config.seed, "size": config.size, "start": config.start.isoformat(),
                            "dirt": str(config.dirt)}, "day": 0}  # fmt: skip
        conn.execute("insert into simulator.state values ('business', %s)", (json.dumps(state),))
    if manifest_path:
        manifest.write(manifest_path)
    return manifest


def advance(url: str, days: int = 1, manifest_path: Path | None = None) -> Manifest:
    """Live through `days` more simulated days; each day is its own seeded draw, so 2 x 1 day == 2 days."""
    manifest = Manifest()
    with psycopg.connect(url) as conn:
        state = conn.execute("select value from simulator.state where name = 'business' for update").fetchone()[0]
        c = state["config"]
        config = BusinessConfig(c["seed"], c["size"], date.fromisoformat(c["start"]), c["dirt"])
        taken = {r[0] for r in conn.execute("select ma_so_doanh_nghiep from doanh_nghiep")}
        for day in range(state["day"] + 1, state["day"] + days + 1):
            rng, today, codes = random.Random(config.seed * 100_003 + day), Manifest(), sorted(taken)
            rows = [_changed(conn, config, rng, code, day, today) for code in rng.sample(codes, len(codes) // 60)]
            for _ in range(max(1, config.size // 300)):
                row = enterprise(rng, config.dirt, config.start + timedelta(days=day), _moment(config, day, rng),
                                 taken, today)  # type: ignore[arg-type]  # fmt: skip
                rows.append(_late(config, rng, row, day, today))
            _write(conn, rows, today)
            manifest.extend(today.entries)
        conn.execute("update simulator.state set value = jsonb_set(value, '{day}', %s) where name = 'business'",
                     (json.dumps(state["day"] + days),))  # fmt: skip
    if manifest_path:
        manifest.write(manifest_path, append=True)
    return manifest


def _changed(conn: psycopg.Connection, config: BusinessConfig, rng: random.Random, code: str, day: int,
             manifest: Manifest) -> Enterprise:  # fmt: skip
    values = conn.execute(f"select {', '.join(COLUMNS)} from doanh_nghiep where ma_so_doanh_nghiep = %s",
                          (code,)).fetchone()  # fmt: skip
    row = change(rng, Enterprise(*values), _moment(config, day, rng), STATUSES)
    return _late(config, rng, row, day, manifest)


def _late(config: BusinessConfig, rng: random.Random, row: Enterprise, day: int, manifest: Manifest) -> Enterprise:
    dirt = config.dirt
    assert isinstance(dirt, Dirt)
    if day > 1 and rng.random() < dirt.rate("late_arrival"):
        # before 07:00 of the previous day: below any watermark a puller took after that day
        previous_morning = datetime.combine(config.start + timedelta(days=day - 1), time(7), TZ)
        written = previous_morning - timedelta(seconds=rng.randrange(1, 3 * 86400))
        manifest.add(SOURCE, "late_arrival", key=row.code, field="updated_at",
                     detail={"updated_at": written.isoformat(), "written_on_day": day})  # fmt: skip
        return Enterprise(*row.values()[:-1], written)  # type: ignore[arg-type]
    return row


def read_manifest(url: str) -> list[Entry]:
    with psycopg.connect(url) as conn:
        return [Entry(**r[0]) for r in conn.execute("select entry from simulator.manifest order by id")]
