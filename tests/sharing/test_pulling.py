"""Pulling rows: pages in key order with a signed cursor, scopes and masks in the query, four formats,
incremental pulls with tombstones that make a client's copy converge, and one snapshot per pull."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from datetime import date
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from sharing_testkit import PROVINCE, Steward, bearer, keyed, owner_rows, pull_all, rows_url

from sharing import publication
from sharing.datasets import INTEGRATED

SECTOR = "sector-indicators-by-commune"
SECTOR_MART = "marts.fct_sector_indicators_by_commune"
# the mart has more columns than the dataset declares (keys to the dimensions, load times)
DOSSIER_COLUMNS = ", ".join(c.name for c in next(d for d in INTEGRATED if d.id == "dossiers").columns)


def _apply(copy: dict[Any, dict[str, Any]], changes: list[dict[str, Any]], key: str) -> None:
    """What a client does with an incremental pull: tombstones delete, other rows replace."""
    for row in changes:
        deleted = row.pop("_deleted")
        if deleted:
            copy.pop(row[key], None)
        else:
            copy[row[key]] = row


def rebuild(sql: psycopg.Connection, table: str, select: str) -> None:
    """Rebuild a mart as dbt does: a new table swapped in under the same name (a new oid)."""
    schema, name = table.split(".")
    with sql.transaction():
        sql.execute(f"create table {schema}.{name}__dbt_tmp as {select}")
        sql.execute(f"alter table {table} rename to {name}__dbt_backup")
        sql.execute(f"alter table {schema}.{name}__dbt_tmp rename to {name}")
        sql.execute(f"drop table {schema}.{name}__dbt_backup")


def test_a_pull_across_pages_is_the_whole_dataset_in_key_order(
    client: TestClient, steward: Steward, sql: psycopg.Connection
) -> None:
    agency = steward.client()
    steward.grant(agency, "dossiers")
    rows, responses = pull_all(client, bearer(client, agency), "dossiers", limit=700)
    source = owner_rows(sql, f"select {DOSSIER_COLUMNS} from marts.fct_dossiers order by dossier_id")
    assert len(responses) == -(-len(source) // 700)
    assert rows == source
    first = responses[0]
    assert first.headers["x-next-cursor"] == first.json()["next_cursor"]
    assert 'rel="next"' in first.headers["link"] and first.headers["x-row-count"] == "700"
    assert {r.headers["x-as-of"] for r in responses} == {first.json()["as_of"]}


@pytest.mark.parametrize("fmt", ["ndjson", "csv", "parquet"])
def test_every_format_carries_the_same_rows(client: TestClient, steward: Steward, fmt: str) -> None:
    agency = steward.client()
    steward.grant(agency, "documents")
    headers = bearer(client, agency)
    expected, _ = pull_all(client, headers, "documents", limit=10_000)
    response = client.get(rows_url("documents"), params={"format": fmt, "limit": 10_000}, headers=headers)
    assert response.status_code == 200, response.text
    if fmt == "ndjson":
        assert response.headers["content-type"] == "application/x-ndjson"
        got = [json.loads(line) for line in response.text.splitlines()]
        assert got == expected
    elif fmt == "csv":
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        got = list(csv.DictReader(io.StringIO(response.text)))
        assert [r["document_id"] for r in got] == [r["document_id"] for r in expected]
        assert [r["subject"] for r in got] == [r["subject"] or "" for r in expected]
        assert {r["is_handled"] for r in got} <= {"true", "false"}
    else:
        table = pq.read_table(io.BytesIO(response.content))
        assert table.num_rows == len(expected)
        assert table.column("document_id").to_pylist() == [r["document_id"] for r in expected]
        assert table.schema.field("received_on").type == pa.date32()
        assert table.schema.metadata[b"dataset"] == b'"documents"'
    by_accept = client.get(rows_url("documents"), params={"limit": 5}, headers={**headers, "Accept": "text/csv"})
    assert by_accept.headers["content-type"].startswith("text/csv")


def test_fields_and_filters(client: TestClient, steward: Steward, sql: psycopg.Connection) -> None:
    agency = steward.client()
    steward.grant(agency, "dossiers")
    rows, _ = pull_all(
        client,
        bearer(client, agency),
        "dossiers",
        fields="status_code,agency_code",
        **{"filter[status_code]": "10", "filter[channel_code]": "2"},
    )
    assert rows and all(set(r) == {"dossier_id", "status_code", "agency_code"} for r in rows)
    expected = sql.execute("select count(*) from marts.fct_dossiers where status_code = 10 and channel_code = 2")
    assert len(rows) == expected.fetchone()[0]


def test_personal_columns_are_masked_unless_granted(
    client: TestClient, steward: Steward, sql: psycopg.Connection
) -> None:
    masked = steward.client()
    steward.grant(masked, "dossier-applicants")
    rows, responses = pull_all(client, bearer(client, masked), "dossier-applicants", limit=1000)
    assert len(responses) > 1  # the cursor carries what was asked: every column, the personal ones masked
    assert rows and {r["applicant_name"] for r in rows} == {"***"} and {r["applicant_address"] for r in rows} == {"***"}
    assert responses[0].json()["masked_columns"] == ["applicant_name", "applicant_address"]
    assert responses[0].headers["x-masked-columns"] == "applicant_name,applicant_address"
    asked = client.get(
        rows_url("dossier-applicants"), params={"fields": "applicant_name"}, headers=bearer(client, masked)
    )
    assert asked.status_code == 403 and asked.json()["type"].endswith("personal-data")

    named = steward.client()
    steward.grant(named, "dossier-applicants", personal=["applicant_name"])
    rows, _ = pull_all(client, bearer(client, named), "dossier-applicants", limit=1000)
    source = dict(sql.execute("select dossier_id, applicant_name from sharing.fct_dossier_applicants").fetchall())
    assert {r["dossier_id"]: r["applicant_name"] for r in rows} == source
    assert {r["applicant_address"] for r in rows} == {"***"}


@pytest.mark.parametrize(
    "dataset, relation, scope, predicate",
    [
        (
            "dossiers",
            "marts.fct_dossiers",
            "agency:000.31.07.H17",
            "agency_code in (select sharing.agency_subtree('000.31.07.H17'))",
        ),
        (
            "documents",
            "marts.fct_documents",
            f"agency:{PROVINCE}",
            f"agency_id in (select sharing.agency_subtree('{PROVINCE}'))",
        ),
        (
            "dossiers",
            "marts.fct_dossiers",
            "district:502:pre2025",
            "commune_code in (select sharing.communes_in_scope('district', '502', 'pre2025'))",
        ),
        (
            SECTOR,
            SECTOR_MART,
            "province:48:pre2025",
            "commune_code in (select sharing.communes_in_scope('province', '48', 'pre2025'))",
        ),
        (
            "dossier-applicants",
            "sharing.fct_dossier_applicants",
            "commune:20257:post2025",
            "commune_code in (select sharing.communes_in_scope('commune', '20257', 'post2025'))",
        ),
    ],
)
def test_a_row_scope_returns_exactly_its_rows(
    client: TestClient,
    steward: Steward,
    sql: psycopg.Connection,
    dataset: str,
    relation: str,
    scope: str,
    predicate: str,
) -> None:
    agency = steward.client()
    grant = steward.grant(agency, dataset, scope=scope)
    rows, _ = pull_all(client, bearer(client, agency), dataset, limit=400)
    key = "commune_code" if dataset == SECTOR else "document_id" if dataset == "documents" else "dossier_id"
    expected = [row[0] for row in sql.execute(f"select {key} from {relation} where {predicate} order by 1")]
    total = sql.execute(f"select count(*) from {relation}").fetchone()[0]
    assert [r[key] for r in rows] == expected
    assert 0 < len(expected) < total, (grant.scope, len(expected), total)


def test_the_district_scope_reaches_the_new_communes_made_only_from_it(sql: psycopg.Connection) -> None:
    """Tam Kỳ's old communes merged into Phường Tam Kỳ (20356, say): a pre-2025 district grant reaches the new
    ward made only of its communes, and no new ward that also took communes of another district."""
    inside = {row[0] for row in sql.execute("select sharing.communes_in_scope('district', '502', 'pre2025')")}
    old = {
        row[0]
        for row in sql.execute(
            "select code from catalog.codes where catalog = 'commune' and parent_code = '502' "
            "and valid_to = '2025-07-01'"
        )
    }
    assert old <= inside
    for new, predecessors in sql.execute(
        """select t.code, array_agg(distinct f.parent_code) from catalog.code_links l
           join catalog.codes f on f.version_id = l.from_version_id
           join catalog.codes t on t.version_id = l.to_version_id
           where f.catalog = 'commune' and t.catalog = 'commune' and t.code = any(%s) group by t.code""",
        (sorted(inside),),
    ):
        assert predecessors == ["502"], (new, predecessors)


def test_a_catalog_on_a_date(client: TestClient, steward: Steward, sql: psycopg.Connection) -> None:
    agency = steward.client()
    steward.grant(agency, "catalog-commune")
    headers = bearer(client, agency)
    before, _ = pull_all(client, headers, "catalog-commune", limit=10_000, on="2025-06-30")
    after, _ = pull_all(client, headers, "catalog-commune", limit=10_000, on="2025-07-01")
    for rows, day in ((before, "2025-06-30"), (after, "2025-07-01")):
        count = sql.execute(
            "select count(*) from catalog.codes where catalog = 'commune' and state <> 'draft' "
            "and validity @> %s::date",
            (day,),
        ).fetchone()[0]
        assert len(rows) == count > 3000
    assert {r["state"] for r in after} == {"active"}
    every, _ = pull_all(client, headers, "catalog-commune", limit=10_000)
    assert len(every) == len({r["version_id"] for r in before} | {r["version_id"] for r in after})


# --- incremental pulls ---


def test_an_incremental_pull_makes_the_copy_equal_the_mart(
    client: TestClient, steward: Steward, sql: psycopg.Connection, owner: str
) -> None:
    agency = steward.client()
    steward.grant(agency, SECTOR)
    headers = bearer(client, agency)
    publication.publish(owner, "test")
    rows, responses = pull_all(client, headers, SECTOR, limit=40)
    copy, as_of = keyed(rows, "commune_code"), responses[0].json()["as_of"]
    changed, deleted = sorted(copy)[:2]
    sql.execute(f"update {SECTOR_MART} set pupil_count = pupil_count + 7 where commune_code = %s", (changed,))
    sql.execute(f"delete from {SECTOR_MART} where commune_code = %s", (deleted,))
    sql.execute(f"insert into {SECTOR_MART} values ('99999', 1, 2, 3, 4, 5, 6)")
    publication.publish(owner, "test")

    changes, pages = pull_all(client, headers, SECTOR, limit=2, updated_since=as_of)
    assert {(r["commune_code"], r["_deleted"]) for r in changes} == {
        (changed, False),
        (deleted, True),
        ("99999", False),
    }
    assert len(pages) == 2
    _apply(copy, changes, "commune_code")
    assert copy == keyed(owner_rows(sql, f"select * from {SECTOR_MART}"), "commune_code")

    again, _ = pull_all(client, headers, SECTOR, updated_since=pages[0].json()["as_of"])
    assert again == []


def test_rows_leaving_a_scope_come_back_as_tombstones(
    client: TestClient, steward: Steward, sql: psycopg.Connection, owner: str
) -> None:
    source, target = "000.31.07.H17", "000.31.21.H17"
    leaving, staying = steward.client(), steward.client()
    steward.grant(leaving, "dossiers", scope=f"agency:{source}")
    steward.grant(staying, "dossiers", scope=f"agency:{target}")
    publication.publish(owner, "test")
    copies = {}
    for agency in (leaving, staying):
        rows, responses = pull_all(client, bearer(client, agency), "dossiers")
        copies[agency] = (keyed(rows, "dossier_id"), responses[0].json()["as_of"])
    moved = sorted(copies[leaving][0])[0]
    sql.execute("update marts.fct_dossiers set agency_code = %s where dossier_id = %s", (target, moved))
    publication.publish(owner, "test")
    for agency, code in ((leaving, source), (staying, target)):
        copy, as_of = copies[agency]
        changes, _ = pull_all(client, bearer(client, agency), "dossiers", updated_since=as_of)
        assert [r["dossier_id"] for r in changes] == [moved]
        assert changes[0]["_deleted"] is (agency == leaving)
        if agency == leaving:
            assert set(changes[0]) == {"dossier_id", "_deleted"} or all(
                v is None for k, v in changes[0].items() if k not in ("dossier_id", "_deleted")
            )
        _apply(copy, changes, "dossier_id")
        expected = owner_rows(sql, f"select {DOSSIER_COLUMNS} from marts.fct_dossiers where agency_code = %s", (code,))
        assert copy == keyed(expected, "dossier_id")
    sql.execute("update marts.fct_dossiers set agency_code = %s where dossier_id = %s", (source, moved))
    publication.publish(owner, "test")


def test_catalog_changes_are_updates_or_tombstones(
    client: TestClient, steward: Steward, sql: psycopg.Connection, owner: str
) -> None:
    codes = [f"{n:03d}.77.77.Z96" for n in range(900, 903)]
    for code in codes[1:]:
        sql.execute(
            "insert into catalog.codes (catalog, code, name, valid_from, source) values "
            "('agency', %s, 'Cơ quan thử nghiệm', current_date - 30, 'test')",
            (code,),
        )
    publication.publish(owner, "test")
    agency = steward.client()
    steward.grant(agency, "catalog-agency")
    headers = bearer(client, agency)
    today = date.today().isoformat()
    every, responses = pull_all(client, headers, "catalog-agency", limit=30)
    valid, _ = pull_all(client, headers, "catalog-agency", limit=30, on=today)
    every_copy, valid_copy, as_of = keyed(every, "version_id"), keyed(valid, "version_id"), responses[0].json()["as_of"]

    added, retired, renamed = codes
    sql.execute(
        "insert into catalog.codes (catalog, code, name, valid_from, source) values "
        "('agency', %s, 'Cơ quan mới', current_date, 'test')",
        (added,),
    )
    sql.execute(
        "update catalog.codes set state = 'retired', valid_to = current_date where catalog = 'agency' and code = %s",
        (retired,),
    )
    sql.execute(
        "update catalog.codes set state = 'superseded', valid_to = current_date where catalog = 'agency' and code = %s",
        (renamed,),
    )
    sql.execute(
        "insert into catalog.codes (catalog, code, name, valid_from, source) values "
        "('agency', %s, 'Cơ quan đổi tên', current_date, 'test')",
        (renamed,),
    )
    publication.publish(owner, "test")

    changes, _ = pull_all(client, headers, "catalog-agency", updated_since=as_of)
    assert not any(r["_deleted"] for r in changes)
    assert sorted((r["code"], r["state"]) for r in changes) == [
        (added, "active"),
        (retired, "retired"),
        (renamed, "active"),
        (renamed, "superseded"),
    ]
    _apply(every_copy, changes, "version_id")
    expected = owner_rows(sql, "select * from sharing.catalog_codes where catalog = 'agency'")
    assert every_copy == keyed(expected, "version_id")

    changes, _ = pull_all(client, headers, "catalog-agency", updated_since=as_of, on=today)
    tombstones = {r["version_id"] for r in changes if r["_deleted"]}
    assert len(tombstones) == 2  # the retired code, the renamed code's old version
    _apply(valid_copy, changes, "version_id")
    expected = owner_rows(
        sql,
        "select * from sharing.catalog_codes where catalog = 'agency' "
        "and coalesce(valid_from, '-infinity') <= current_date "
        "and coalesce(valid_to, 'infinity') > current_date",
    )
    assert valid_copy == keyed(expected, "version_id")


# --- one snapshot per pull ---


def test_a_publication_between_pages_makes_the_pull_restart(
    client: TestClient, steward: Steward, sql: psycopg.Connection, owner: str
) -> None:
    agency = steward.client()
    steward.grant(agency, SECTOR)
    headers = bearer(client, agency)
    first = client.get(rows_url(SECTOR), params={"limit": 50}, headers=headers).json()
    sql.execute(
        f"update {SECTOR_MART} set school_count = school_count + 1 "
        f"where commune_code = (select max(commune_code) from {SECTOR_MART})"
    )
    publication.publish(owner, "test")
    gone = client.get(rows_url(SECTOR), params={"cursor": first["next_cursor"], "limit": 50}, headers=headers)
    assert gone.status_code == 410
    assert gone.headers["content-type"] == "application/problem+json"
    assert gone.json()["type"].endswith("snapshot-gone") and "restart" in gone.json()["detail_en"]
    rows, _ = pull_all(client, headers, SECTOR, limit=50)
    assert rows == owner_rows(sql, f"select * from {SECTOR_MART} order by commune_code")


def test_a_rebuilt_mart_waits_for_its_publication(
    client: TestClient, steward: Steward, sql: psycopg.Connection, owner: str
) -> None:
    agency = steward.client()
    steward.grant(agency, SECTOR)
    headers = bearer(client, agency)
    publication.publish(owner, "test")
    first = client.get(rows_url(SECTOR), params={"limit": 50}, headers=headers).json()
    rebuild(sql, SECTOR_MART, f"select * from {SECTOR_MART}")  # same rows, a new table
    pending = client.get(rows_url(SECTOR), params={"cursor": first["next_cursor"], "limit": 50}, headers=headers)
    assert pending.status_code == 409 and int(pending.headers["retry-after"]) > 0
    assert publication.publish(owner, "test").changes == {}
    rest, _ = pull_all(client, headers, SECTOR, limit=50, cursor=first["next_cursor"])
    rows = first["rows"] + rest
    assert rows == owner_rows(sql, f"select * from {SECTOR_MART} order by commune_code")


def test_pulls_racing_publications_see_one_snapshot_or_restart(
    client: TestClient, steward: Steward, sql: psycopg.Connection, owner: str
) -> None:
    """A publisher rebuilds the mart with a new value in every row, again and again, while a client
    pulls it in small pages: every pull that completes has each row once, all from one publication."""
    agency = steward.client()
    steward.grant(agency, SECTOR)
    headers = bearer(client, agency)
    sql.execute(f"create temp table original as select * from {SECTOR_MART}")
    columns = [
        r[0]
        for r in sql.execute(
            "select column_name from information_schema.columns where table_schema = "
            "'marts' and table_name = 'fct_sector_indicators_by_commune' "
            "order by ordinal_position"
        )
    ]
    stop = threading.Event()

    def publish_again_and_again() -> None:
        with psycopg.connect(owner, autocommit=True) as conn:
            n = 0
            while not stop.is_set():
                n += 1
                select = ", ".join(f"{n}::bigint as school_count" if c == "school_count" else c for c in columns)
                rebuild(conn, SECTOR_MART, f"select {select} from {SECTOR_MART}")
                publication.publish(owner, "test")
                time.sleep(0.8)  # a pull of 8 pages can finish between two publications, or not

    publisher = threading.Thread(target=publish_again_and_again, daemon=True)
    publisher.start()
    completed, restarts, waits = 0, 0, 0
    try:
        deadline = time.monotonic() + 60
        while (completed < 2 or restarts + waits == 0) and time.monotonic() < deadline:
            rows: list[dict[str, Any]] = []
            params: dict[str, Any] = {"limit": 20}
            while True:
                response = client.get(rows_url(SECTOR), params=params, headers=headers)
                if response.status_code == 409:
                    waits += 1
                    time.sleep(0.05)
                    continue
                if response.status_code == 410:
                    restarts += 1
                    break
                assert response.status_code == 200, response.text
                body = response.json()
                rows += body["rows"]
                if not body["next_cursor"]:
                    keys = [r["commune_code"] for r in rows]
                    assert (
                        len(keys) == len(set(keys)) == sql.execute(f"select count(*) from {SECTOR_MART}").fetchone()[0]
                    )
                    assert len({r["school_count"] for r in rows}) == 1, "rows from two publications"
                    completed += 1
                    break
                params = {"limit": 20, "cursor": body["next_cursor"]}
    finally:
        stop.set()
        publisher.join(timeout=30)
    assert completed >= 1, (completed, restarts, waits)
    assert restarts + waits > 0, "the publisher never interfered: the test proved nothing"
    rebuild(sql, SECTOR_MART, "select * from original")
    publication.publish(owner, "test")
