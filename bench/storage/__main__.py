"""Storage benchmark: warehouse bytes per million one-stop dossiers with their status events.

A throwaway platform (the real start-up stages) and a simulated year of N dossiers, loaded into
`raw` as production loads it, then `vacuum full analyze` so that every table holds only live rows.
Prints each raw one-stop relation's size (heap, TOAST, indexes), the total per million dossiers
(with their events), and the ratio to a baseline built in the same run from the same rows: the
layout the platform used before migration 0303 (every payload and source reference in its version
row, the record hash as hex text), as copies of the four tables with their unique indexes.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.year_of_dossiers import FAR_FUTURE, FAR_PAST, isolate, load, platform_with_simulated_year, quiet, say

STREAMS = ("onestop__dossiers", "onestop__dossier_events")
TARGET_GB_PER_MILLION = 2.0

SIZES = """
select c.relname, pg_relation_size(c.oid), coalesce(pg_total_relation_size(c.reltoastrelid), 0),
       pg_indexes_size(c.oid), pg_total_relation_size(c.oid)
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where n.nspname = %s and c.relkind in ('r', 'p')
  and (c.relname like 'onestop\\_\\_%%' or c.relname = 'payload_chunks')
order by c.relname
"""

# the layout before (migration 0303): the payload and the source reference in every version row, the
# record hash as 32 hex characters; rebuilt from the same rows, with the same indexes
BASELINE = """
create table bench_before.{name} as
select {fields}, encode(uuid_send(_record_hash), 'hex') as _record_hash, _fixes,
       raw.version_payload(_chunk_id, _row_number) as _payload, _batch_id,
       raw.version_source_ref(_chunk_id) as _source_ref, _row_number, _loaded_at
from raw.{name};
create unique index on bench_before.{name} ({key}, _record_hash);
create table bench_before.{name}__current as
select {fields}, encode(uuid_send(_record_hash), 'hex') as _record_hash, _batch_id, _loaded_at
from raw.{name}__current;
create unique index on bench_before.{name}__current ({key});
"""


# the current tables' indexes for the incremental models (migration 0151), on the baseline too
SECONDARY_INDEXES = """
select regexp_replace(indexdef, 'INDEX \\S+ ON', 'INDEX ON') from pg_indexes
where schemaname = 'raw' and tablename = %s and indexname not like '%%pkey'
"""


def _report(conn, schema: str, label: str, dossiers: int) -> int:
    say(f"\n{label}\n{'relation':<40} {'heap MB':>9} {'toast MB':>9} {'index MB':>9} {'total MB':>9}")
    total = 0
    for name, heap, toast, index, whole in conn.execute(SIZES, (schema,)).fetchall():
        say(f"{name:<40} {heap / 1e6:>9.1f} {toast / 1e6:>9.1f} {index / 1e6:>9.1f} {whole / 1e6:>9.1f}")
        total += whole
    say(f"{'total':<40} {'':>29} {total / 1e6:>9.1f}  = {_per_million(total, dossiers):.2f} GB per million dossiers")
    return total


def _build_baseline(conn) -> None:
    from ingest.sources.onestop.streams import STREAMS as ONESTOP

    conn.execute("create schema bench_before")
    for stream in ONESTOP.values():
        name = stream.versions_table.split(".")[1]
        fields = ", ".join(f.name for f in stream.fields)
        conn.execute(BASELINE.format(name=name, fields=fields, key=", ".join(stream.primary_key)))
        for (definition,) in conn.execute(SECONDARY_INDEXES, (f"{name}__current",)).fetchall():
            conn.execute(definition.replace(" ON raw.", " ON bench_before."))
    conn.execute("vacuum analyze")


def _per_million(total: int, dossiers: int) -> float:
    return total / dossiers * 1_000_000 / 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="dossiers in the simulated year")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bench-storage-"))
    isolate(home)
    quiet(home / "logs")

    import psycopg

    state, simulator, _ = platform_with_simulated_year(args.rows)
    url = state.databases.warehouse
    try:
        load(url, simulator.base_url, FAR_PAST, FAR_FUTURE)
    finally:
        simulator.stop()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("vacuum full analyze")  # only live rows, as a long-running warehouse after vacuum holds
        dossiers, versions, events = conn.execute(
            "select (select count(*) from raw.onestop__dossiers__current), "
            "(select count(*) from raw.onestop__dossiers), "
            "(select count(*) from raw.onestop__dossier_events__current)"
        ).fetchone()
        say(f"\n{dossiers:,} dossiers ({versions:,} versions), {events:,} status events; "
            f"sizes after vacuum full, per million dossiers with their events")  # fmt: skip
        _build_baseline(conn)
        before = _report(conn, "bench_before", "before: payload and source reference per row, hash as text", dossiers)
        after = _report(conn, "raw", "now: payloads in chunks of 100 rows, hash as uuid", dossiers)
    say(f"\nnow / before = {after / before:.2f}; now {_per_million(after, dossiers):.2f} GB per million dossiers "
        f"(target ≤ {TARGET_GB_PER_MILLION} GB)")  # fmt: skip


if __name__ == "__main__":
    main()
