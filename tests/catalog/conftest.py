"""Catalog fixtures: the reference catalogs loaded once into the session's warehouse, two stewards,
throw-away agencies (level-1 code Z99, which no real agency uses) and a small raw table."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import psycopg
import pytest
from catalog_testkit import ROOT_AGENCY, Steward, new_agency_code

import catalog
from catalog import roles, stewardship, store, users
from catalog.model import ChangeRequest
from hub.pipeline import Platform


@pytest.fixture(scope="session")
def warehouse(platform: Platform) -> str:
    """The session's warehouse with every reference catalog loaded."""
    url = platform.databases.warehouse
    catalog.load_all(url)
    return url


@pytest.fixture(scope="session")
def steward_app_url(warehouse: str, platform: Platform) -> str:
    """What the stewards' app connects with in production: its own role (catalog/roles.py), not the
    owner; the tests of its pages and API use it, so a missing grant fails them."""
    return roles.ensure(platform.settings, warehouse)


@pytest.fixture
def conn(warehouse: str) -> Iterator[psycopg.Connection]:
    with store.connect(warehouse) as connection:
        yield connection


@pytest.fixture(scope="session")
def stewards(warehouse: str) -> tuple[Steward, Steward]:
    """Two stewards, with generated passwords (there is no default password)."""
    made = []
    with store.connect(warehouse) as connection:
        for role, full_name in (("a", "Nguyễn Thị Ánh"), ("b", "Trần Văn Bình")):
            username = f"steward-{role}-{random.randrange(10**6):06d}"
            password = users.generate_password()
            users.add_steward(connection, username, full_name, password)
            made.append(Steward(username, password))
    return made[0], made[1]


@pytest.fixture
def published_agency(conn: psycopg.Connection, stewards: tuple[Steward, Steward]) -> Callable[..., str]:
    """Create an agency through the full workflow (A proposes, B approves and publishes)."""
    author, reviewer = stewards

    def make(
        name: str = "Cơ quan thử nghiệm",
        parent: str | None = ROOT_AGENCY,
        effective_on: date = date(2026, 1, 1),
    ) -> str:
        code = new_agency_code()
        payload = {"name": name, "parent_code": parent} if parent else {"name": name}
        proposal = stewardship.propose(
            conn,
            author.username,
            ChangeRequest("agency", code, "add", "thêm cơ quan thử nghiệm", effective_on, payload),
        )
        stewardship.approve_and_publish(conn, proposal.proposal_id, reviewer.username, "đồng ý")
        return code

    return make


@pytest.fixture
def raw_table(conn: psycopg.Connection) -> Iterator[str]:
    """raw.<source>__dossiers with a local status code per row, loaded at known times."""
    table = f"raw.catalog_test_{random.randrange(10**6):06d}__dossiers"
    conn.execute(f"create table {table} (dossier_id text, status text, _loaded_at timestamptz not null)")
    rows = [
        ("HS-1", "DA_TIEP_NHAN", 1),
        ("HS-2", "DA_TIEP_NHAN", 2),
        ("HS-3", "DANG_XU_LY", 3),
        ("HS-4", "DA_TIEP_NHAN", 5),
        ("HS-5", " ", 6),
        ("HS-6", None, 7),
    ]
    with conn.cursor() as cur:
        cur.executemany(
            f"insert into {table} values (%s, %s, %s)",
            [(d, s, datetime(2026, 9, day, 8, tzinfo=UTC)) for d, s, day in rows],
        )
    yield table
    conn.execute(f"delete from catalog.mapping_sources where raw_table = '{table}'")
    conn.execute(f"drop table {table}")
