"""The publication step: what incremental pulls and the one-snapshot rule stand on.

The marts are rebuilt whole by dbt, so nothing in them says what changed. A publication compares each
dataset's rows, by hash, with the previous publication and records the keys added, changed or gone
(with the columns a client's scope and filters read, before and after) under a publication number and
a timestamp, in `sharing.changes`. A pull reads the dataset's latest publication as its snapshot; a
pull whose pages span a newer one is told to restart. For the catalogs, a version a steward closed
since is an update (every-version pulls) or a tombstone (`on=` pulls); a new version an insert.

It runs in each transform's publish transaction (warehouse/publish.py, after the audit), at start-up and by
`hub sharing publish`, as the warehouse owner; the work is `sharing.publish()` (migration 0301).
`sync` first writes the registry's declarations into `sharing.datasets`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import psycopg

from sharing import datasets

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Publication:
    publication_id: int
    datasets_changed: int
    changes: dict[str, tuple[int, int]]  # dataset -> (upserted, deleted), for the datasets that changed


def sync(conn: psycopg.Connection) -> list[str]:
    """Write every declared dataset into sharing.datasets (insert, or update what changed); a dataset
    no longer declared is withdrawn (its history stays). Returns the datasets inserted or changed."""
    declared = datasets.all_datasets(conn)
    changed: list[str] = []
    with conn.transaction():
        for d in declared:
            part_column, part_value = d.part or (None, None)
            row = conn.execute(
                """insert into sharing.datasets as s
                       (dataset, relation, key_column, part_column, part_value, tracked_columns)
                   values (%s, %s, %s, %s, %s, %s)
                   on conflict (dataset) do update set
                       relation = excluded.relation, key_column = excluded.key_column,
                       part_column = excluded.part_column, part_value = excluded.part_value,
                       tracked_columns = excluded.tracked_columns, withdrawn_at = null
                   where (s.relation, s.key_column, s.part_column, s.part_value, s.tracked_columns, s.withdrawn_at)
                         is distinct from (excluded.relation, excluded.key_column, excluded.part_column,
                                           excluded.part_value, excluded.tracked_columns, null::timestamptz)
                   returning dataset""",
                (d.id, d.relation, d.key, part_column, part_value, list(d.tracked_columns)),
            ).fetchone()
            if row:
                changed.append(row[0])
        conn.execute(
            "update sharing.datasets set withdrawn_at = now() where withdrawn_at is null and not dataset = any(%s)",
            ([d.id for d in declared],),
        )
    return changed


def publish(warehouse_url: str, trigger: str = "cli") -> Publication:
    """Sync the declarations, then run one publication; as the warehouse owner."""
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        sync(conn)
        with conn.transaction():
            publication_id = conn.execute("select sharing.publish(%s)", (trigger,)).fetchone()[0]
        rows = conn.execute(
            "select dataset, upserted, deleted from sharing.dataset_publications where publication_id = %s",
            (publication_id,),
        ).fetchall()
    changes = {dataset: (upserted, deleted) for dataset, upserted, deleted in rows}
    log.info("publication %s: %s", publication_id, changes or "nothing changed")
    return Publication(publication_id, len(changes), changes)


def purge_expired_tokens(warehouse_url: str) -> int:
    """Tokens expired more than a day ago are of no use to anyone: delete them (as the owner)."""
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        return conn.execute("delete from sharing.tokens where expires_at < now() - interval '1 day'").rowcount
