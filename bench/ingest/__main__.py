"""One-stop ingestion benchmark: our load vs PostgreSQL COPY vs pandas to_sql, same rows, same run."""

from __future__ import annotations

import argparse
import json
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import psycopg
from sqlalchemy import create_engine

from foundation.databases import with_driver
from foundation.embedded import EmbeddedServer
from foundation.net import free_loopback_port
from hub.schema import migrate
from simulators.onestop.config import OnestopConfig
from simulators.onestop.generate import FIELDS, write_csv
from simulators.onestop.server import start_in_thread

FAR_PAST, FAR_FUTURE = "20000101000000", "20991231000000"


def _rate(rows: int, seconds: float) -> str:
    return f"{rows:>9,} rows in {seconds:6.2f} s = {rows / seconds:>9,.0f} rows/s"


def _say(text: str) -> None:
    print(text, flush=True)


def copy_baseline(url: str, csv_path: Path) -> float:
    columns = ", ".join(f'"{f}" text' for f in FIELDS)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"create table public.copy_baseline ({columns})")
        started = time.perf_counter()
        statement = "copy public.copy_baseline from stdin (format csv, header)"
        with conn.cursor() as cur, cur.copy(statement) as copy, csv_path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        return time.perf_counter() - started


def to_sql_baseline(url: str, csv_path: Path) -> float:
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)  # not timed: a user has the frame already
    engine = create_engine(with_driver(url, "psycopg"))
    started = time.perf_counter()
    frame.to_sql("to_sql_baseline", engine, schema="public", index=False, chunksize=10_000)
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds


def table_shape_baseline(url: str, scratch: Path) -> tuple[int, float]:
    """PostgreSQL COPY of the rows exactly as our load stored them into empty copies of the raw tables.

    The same typed columns, payload chunks, lineage and indexes: what writing our output costs
    with nothing in front of it (no parsing, validation, deduplication or upsert).
    Returns (rows, seconds): the rows of the versions and current-state tables, the time of
    all three (the payloads are stored in `payload_chunks`, 100 versions to a row).
    """
    rows, seconds = 0, 0.0
    with psycopg.connect(url, autocommit=True) as conn:
        for table in ("onestop__dossiers", "onestop__dossiers__current", "payload_chunks"):
            dump = scratch / f"{table}.csv"
            with (
                conn.cursor() as cur,
                cur.copy(f"copy raw.{table} to stdout (format csv)") as copy,
                dump.open("wb") as out,
            ):
                for data in copy:
                    out.write(data)
            conn.execute(f"create table public.shape_{table} (like raw.{table} including all)")
            started = time.perf_counter()
            with (
                conn.cursor() as cur,
                cur.copy(f"copy public.shape_{table} from stdin (format csv)") as copy,
                dump.open("rb") as handle,
            ):
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
            seconds += time.perf_counter() - started
            if table != "payload_chunks":
                rows += conn.execute(f"select count(*) from public.shape_{table}").fetchone()[0]
            dump.unlink()
    return rows, seconds


def our_load(url: str, api_url: str, since: str, until: str) -> dict[str, float]:
    """In a child process, so that its peak memory is its own."""
    command = [sys.executable, "-m", "bench.ingest.load_child", url, api_url, since, until]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000, help="dossiers the simulator serves")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="hub-bench-") as scratch:
        server = EmbeddedServer(Path(scratch) / "pgdata", free_loopback_port(), secrets.token_urlsafe(16))
        server.start()
        try:
            run(server, Path(scratch), args.rows)
        finally:
            server.stop()


def run(server: EmbeddedServer, scratch: Path, rows: int) -> None:
    url = server.url("postgres")
    migrate(url)
    config = OnestopConfig(size=rows, page_size=1000)
    started = time.perf_counter()
    simulator = start_in_thread(config)
    _say(f"simulator: {rows:,} dossiers built in {time.perf_counter() - started:.1f} s (not timed below)")
    try:
        csv_path = write_csv(scratch / "dossiers.csv", config)
        copy_s = copy_baseline(url, csv_path)
        csv_rows = sum(1 for _ in csv_path.open(encoding="utf-8")) - 1
        _say(f"PostgreSQL COPY of the CSV: {_rate(csv_rows, copy_s)}")
        to_sql_s = to_sql_baseline(url, csv_path)
        _say(f"pandas to_sql:              {_rate(csv_rows, to_sql_s)}")

        small_until = _window_end_for(simulator.base_url, rows // 10)
        small = our_load(url, simulator.base_url, FAR_PAST, small_until)
        full = our_load(url, simulator.base_url, small_until, FAR_FUTURE)
        full_rows = small["rows"] + full["rows"]
        _say(f"ours, small window:              {small['rows']:>9,} rows in {small['seconds']:6.2f} s, "
             f"peak RSS {small['peak_mib']:.0f} MiB")  # fmt: skip
        _say(f"ours, rest of the data:          {full['rows']:>9,} rows in {full['seconds']:6.2f} s, "
             f"peak RSS {full['peak_mib']:.0f} MiB")  # fmt: skip
        ours_rate = full["rows"] / full["seconds"]
        _say(f"ours (API → raw versions + current + quarantine): {ours_rate:,.0f} rows/s on {full_rows:,} rows")
        shape_rows, shape_s = table_shape_baseline(url, scratch)
        shape_rate = csv_rows / shape_s
        _say(f"PostgreSQL COPY of our output into empty copies of the raw tables ({shape_rows:,} rows "
             f"in versions + current): {shape_s:.2f} s = {shape_rate:,.0f} input rows/s")  # fmt: skip
        _say(
            f"ratio raw-table COPY / CSV COPY: {shape_rate / (csv_rows / copy_s):.2f}  (the floor of the table design)"
        )
        _say(f"ratio ours / raw-table COPY: {ours_rate / shape_rate:.2f}")
        _say(f"ratio ours / COPY:   {ours_rate / (csv_rows / copy_s):.2f}  (target ≥ 0.5)")
        _say(f"ratio ours / to_sql: {ours_rate / (csv_rows / to_sql_s):.1f}  (target ≥ 10)")
        _say(f"peak memory, rest vs small window: {full['peak_mib'] / small['peak_mib']:.2f}x "
             f"for {full['rows'] / max(small['rows'], 1):.1f}x the rows")  # fmt: skip
    finally:
        simulator.stop()


def _window_end_for(api_url: str, wanted: int) -> str:
    """The NgayCapNhat of about the `wanted`-th record, so the small window holds about that many."""
    import httpx

    page = max(1, wanted // 1000)
    body = httpx.get(f"{api_url}/api/v1/dossiers", params={"updated_since": FAR_PAST, "updated_until": FAR_FUTURE,
                     "page": page, "page_size": 1000}, timeout=60).json()  # fmt: skip
    return body["items"][-1]["NgayCapNhat"]


if __name__ == "__main__":
    main()
