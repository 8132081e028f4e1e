"""Sharing API benchmark: streaming a whole dataset as CSV, NDJSON and Parquet against PostgreSQL's
own COPY of the same select, the API process's peak memory at two sizes, and a bounded load test."""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import psycopg
from sqlalchemy.engine import make_url

from foundation.embedded import EmbeddedServer
from foundation.net import free_loopback_port
from hub.schema import migrate
from sharing import clients, datasets, grants, publication, roles

DATASET = "dossiers"
AGENCY = "000.00.12.H17"
PAGE = 10_000  # the largest page the API allows (sharing.pulling.MAX_LIMIT)
FORMATS = ("csv", "ndjson", "parquet")
_SQL_TYPES = {"timestamp": "timestamp", "timestamptz": "timestamptz"}

# the dossiers dataset's declared columns, synthetic values (i is the row number)
_VALUES = {
    "dossier_id": "'HS-' || lpad(i::text, 10, '0')",
    "procedure_code": "'1.' || lpad((i % 997)::text, 6, '0')",
    "agency_code": "'000.00.' || lpad((10 + i % 40)::text, 2, '0') || '.H17'",
    "agency_rank": "1 + i % 40",
    "channel_code": "1 + i % 3",
    "channel_name": "(array['Trực tiếp', 'Trực tuyến', 'Bưu chính'])[1 + i % 3]",
    "status_code": "i % 10",
    "status_name": "(array['Mới tiếp nhận', 'Đang xử lý', 'Đã trả kết quả'])[1 + i % 3]",
    "commune_code": "lpad((25000 + i % 150)::text, 5, '0')",
    "received_at": "timestamp '2024-01-01' + i * interval '31 seconds'",
    "due_at": "timestamp '2024-01-08' + i * interval '31 seconds'",
    "finished_at": "case when i % 4 = 0 then null else timestamp '2024-01-05' + i * interval '31 seconds' end",
    "timeliness": "(array['Đúng hạn', 'Quá hạn', 'Đang xử lý'])[1 + i % 3]",
    "is_on_time": "i % 5 <> 0",
    "supplement_requests": "i % 3",
    "received_on": "(timestamp '2024-01-01' + i * interval '31 seconds')::date",
    "agency_name": "'Cơ quan số ' || (10 + i % 40)",
}


def _say(text: str = "") -> None:
    print(text, flush=True)


def _dataset() -> datasets.Dataset:
    return datasets.by_id(list(datasets.INTEGRATED))[DATASET]


def create_table(owner: str) -> None:
    columns = ", ".join(f"{c.name} {_SQL_TYPES.get(c.type, c.type)}" for c in _dataset().columns)
    with psycopg.connect(owner, autocommit=True) as conn:
        conn.execute(f"create table marts.fct_dossiers ({columns}, primary key (dossier_id))")
        conn.execute(
            "insert into catalog.codes (catalog, code, name, source) values ('agency', %s, 'Sở Y tế', 'bench')",
            (AGENCY,),
        )


def fill(owner: str, first: int, last: int) -> float:
    names = [c.name for c in _dataset().columns]
    select = ", ".join(_VALUES[n] for n in names)
    started = time.perf_counter()
    with psycopg.connect(owner, autocommit=True) as conn:
        conn.execute(
            f"insert into marts.fct_dossiers ({', '.join(names)}) "
            f"select {select} from generate_series({first}, {last}) as i"
        )
        conn.execute("vacuum analyze marts.fct_dossiers")
    return time.perf_counter() - started


def copy_baseline(owner: str) -> tuple[int, float]:
    """PostgreSQL's COPY of the same select (every column, key order) to CSV, read and dropped."""
    names = ", ".join(c.name for c in _dataset().columns)
    statement = f"copy (select {names} from marts.fct_dossiers order by dossier_id) to stdout (format csv, header)"
    nbytes = 0
    with psycopg.connect(owner, autocommit=True) as conn:
        rows = conn.execute("select count(*) from marts.fct_dossiers").fetchone()[0]
        started = time.perf_counter()
        with conn.cursor() as cur, cur.copy(statement) as copy:
            for data in copy:
                nbytes += len(data)
        return rows, time.perf_counter() - started


@dataclass
class Api:
    base_url: str
    process: subprocess.Popen[bytes]

    def peak_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM")


@contextmanager
def api(api_url: str) -> Iterator[Api]:
    """A fresh API process under uvicorn on a free loopback port."""
    port = free_loopback_port()
    process = subprocess.Popen([sys.executable, "-m", "bench.sharing.serve_child", api_url, str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the API did not start")
            time.sleep(0.2)
        yield Api(base, process)
    finally:
        process.terminate()
        process.wait(timeout=30)


def token(base: str, client_id: str, secret: str) -> str:
    response = httpx.post(
        f"{base}/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret), timeout=30
    )
    response.raise_for_status()
    return response.json()["access_token"]


def pull(base: str, bearer: str, fmt: str) -> tuple[int, int, float]:
    """Every page of the dataset in one format, following the cursor: (rows, bytes, seconds)."""
    url = f"{base}/api/v1/datasets/{DATASET}/rows"
    params: dict[str, object] = {"limit": PAGE, "format": fmt}
    rows = nbytes = 0
    started = time.perf_counter()
    with httpx.Client(headers={"Authorization": f"Bearer {bearer}"}, timeout=120) as client:
        while True:
            with client.stream("GET", url, params=params) as response:
                if response.status_code != 200:
                    response.read()
                    raise RuntimeError(f"{response.status_code}: {response.text[:300]}")
                for chunk in response.iter_raw():
                    nbytes += len(chunk)
                rows += int(response.headers["x-row-count"])
                cursor = response.headers.get("x-next-cursor")
            if not cursor:
                break
            params = {"cursor": cursor, "limit": PAGE, "format": fmt}
    return rows, nbytes, time.perf_counter() - started


def warm_up(base: str, bearer: str, fmt: str) -> None:
    """One row first, untimed: the format's imports (pyarrow) as a long-running server has them."""
    url = f"{base}/api/v1/datasets/{DATASET}/rows"
    params: dict[str, object] = {"limit": 1, "format": fmt}
    httpx.get(url, params=params, headers={"Authorization": f"Bearer {bearer}"}, timeout=60).raise_for_status()


def streaming(owner: str, api_url: str, agency: clients.Issued, label: str) -> dict[str, float]:
    rows, copy_s = copy_baseline(owner)
    copy_rate = rows / copy_s
    _say(f"[{label}] PostgreSQL COPY (same select) to CSV: {rows:,} rows in {copy_s:.2f} s = {copy_rate:,.0f} rows/s")
    peaks: dict[str, float] = {}
    for fmt in FORMATS:
        with api(api_url) as server:
            bearer = token(server.base_url, agency.client_id, agency.secret)
            warm_up(server.base_url, bearer, fmt)
            got, nbytes, seconds = pull(server.base_url, bearer, fmt)
            peaks[fmt] = server.peak_mib()
        if got != rows:
            raise RuntimeError(f"{fmt}: pulled {got:,} rows of {rows:,}")
        rate = got / seconds
        _say(
            f"[{label}] API {fmt:<7}: {got:,} rows ({nbytes / 2**20:,.0f} MiB) in {seconds:.2f} s = "
            f"{rate:,.0f} rows/s, ratio to COPY {rate / copy_rate:.2f}, API peak RSS {peaks[fmt]:.0f} MiB"
        )
    return peaks


@dataclass
class LoadResult:
    latencies: dict[str, list[float]]
    errors: list[str]
    seconds: float


async def load(base: str, bearer: str, since: str, clients_n: int, seconds: float, budget: int) -> LoadResult:
    url = f"/api/v1/datasets/{DATASET}/rows"
    latencies: dict[str, list[float]] = {"page": [], "incremental": []}
    errors: list[str] = []
    remaining = budget
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients_n, max_keepalive_connections=clients_n)

    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {bearer}"}, limits=limits, timeout=30
    ) as http:

        async def worker(n: int) -> None:
            nonlocal remaining
            rng = random.Random(n)
            cursors: dict[str, str | None] = {"page": None, "incremental": None}
            while remaining > 0 and time.monotonic() < deadline:
                remaining -= 1
                kind = "page" if rng.random() < 0.5 else "incremental"
                params: dict[str, object] = {"limit": 100}
                if cursors[kind]:
                    params["cursor"] = cursors[kind]
                elif kind == "incremental":
                    params["updated_since"] = since
                started = time.perf_counter()
                try:
                    response = await http.get(url, params=params)
                    await response.aread()
                except httpx.HTTPError as error:
                    errors.append(type(error).__name__)
                    continue
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    errors.append(str(response.status_code))
                    cursors[kind] = None
                    continue
                latencies[kind].append(elapsed)
                cursors[kind] = response.headers.get("x-next-cursor")

        started = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(clients_n)))
        return LoadResult(latencies, errors, time.perf_counter() - started)


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the dataset (large size)")
    parser.add_argument("--small-rows", type=int, default=100_000, help="rows of the dataset (small size)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients in the load test")
    parser.add_argument("--seconds", type=float, default=60, help="longest duration of the load test")
    parser.add_argument("--budget", type=int, default=30_000, help="most requests the load test sends")
    args = parser.parse_args()
    if not 0 < args.small_rows < args.rows:
        parser.error("--small-rows must be positive and below --rows")

    with tempfile.TemporaryDirectory(prefix="hub-bench-") as scratch:
        server = EmbeddedServer(Path(scratch) / "pgdata", free_loopback_port(), secrets.token_urlsafe(16))
        server.start()
        try:
            run(server.url("postgres"), args)
        finally:
            server.stop()


def run(owner: str, args: argparse.Namespace) -> None:
    migrate(owner)
    create_table(owner)
    password = secrets.token_urlsafe(16)
    roles.ensure_role(owner, password)
    api_url = make_url(owner).set(username=roles.ROLE, password=password).render_as_string(False)

    seconds = fill(owner, 1, args.small_rows)
    started = time.perf_counter()
    publication.publish(owner, "bench")
    _say(f"setup: {args.small_rows:,} rows in {seconds:.1f} s, published in {time.perf_counter() - started:.1f} s")
    with psycopg.connect(owner, autocommit=True) as conn:
        agency = clients.add(conn, "bench-client", "Benchmark", AGENCY, "bench", requests_per_minute=10_000_000)
        grants.add(conn, agency.client_id, _dataset(), grants.Scope.parse("all"), (), "benchmark", "bench")
    small = streaming(owner, api_url, agency, f"{args.small_rows:,}")

    between = datetime.now(UTC).isoformat()
    seconds = fill(owner, args.small_rows + 1, args.rows)
    started = time.perf_counter()
    publication.publish(owner, "bench")
    _say(
        f"setup: {args.rows - args.small_rows:,} more rows in {seconds:.1f} s, "
        f"published in {time.perf_counter() - started:.1f} s"
    )
    large = streaming(owner, api_url, agency, f"{args.rows:,}")
    for fmt in FORMATS:
        _say(
            f"API peak RSS, {fmt}: {small[fmt]:.0f} MiB at {args.small_rows:,} rows, {large[fmt]:.0f} MiB at "
            f"{args.rows:,} rows ({large[fmt] / small[fmt]:.2f}x for {args.rows / args.small_rows:.0f}x the rows)"
        )

    with api(api_url) as server_:
        bearer = token(server_.base_url, agency.client_id, agency.secret)
        alone = asyncio.run(load(server_.base_url, bearer, between, 1, 10, 400))
        for kind, values in alone.latencies.items():
            _say(
                f"one client alone, {kind:<11} (100 rows): {len(values):,} requests, p50 {_pct(values, 50):.1f} ms, "
                f"p95 {_pct(values, 95):.1f} ms, p99 {_pct(values, 99):.1f} ms, errors {len(alone.errors)}"
            )
        result = asyncio.run(load(server_.base_url, bearer, between, args.clients, args.seconds, args.budget))
        peak = server_.peak_mib()
    done = sum(len(v) for v in result.latencies.values())
    _say(
        f"load: {args.clients} clients, {done:,} requests in {result.seconds:.1f} s = "
        f"{done / result.seconds:,.0f} requests/s, errors {len(result.errors)}"
        f"{' (' + ', '.join(sorted(set(result.errors))) + ')' if result.errors else ''}, API peak RSS {peak:.0f} MiB"
    )
    for kind, values in result.latencies.items():
        if values:
            _say(
                f"load, {kind:<11} (100 rows): {len(values):,} requests, p50 {_pct(values, 50):.1f} ms, "
                f"p95 {_pct(values, 95):.1f} ms, p99 {_pct(values, 99):.1f} ms"
            )


if __name__ == "__main__":
    main()
