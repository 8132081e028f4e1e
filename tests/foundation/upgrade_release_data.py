"""Data a warehouse of the previous release holds, loaded by that release's own code.

Not a test module: tests/foundation/test_upgrade_from_release.py runs it as a script with the
release's source tree first on PYTHONPATH, against the release's `hub init`-ed warehouse, so every
name imported here must exist in that release (v0.1.0). It writes what a province would have
after some use: a steward's change, a code mapping, raw rows of the one-stop streams (half the
period, so the upgraded code has a watermark to continue from), of the health sector's files and
of the edXML documents, with their quarantine; a sharing client with a rotated secret, a grant,
a token, audit rows and a second publication. The last line of stdout is JSON: what the upgraded
code needs to check it can still use these rows (secrets, codes, the simulator's settings).

    python upgrade_release_data.py <inbox>
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

import psycopg

from catalog import mapping, stewardship, users
from catalog.model import ChangeRequest
from foundation import databases
from ingest.framework.http_pages import PagedApi
from ingest.sources.documents.extract_load import load_inbox as load_documents
from ingest.sources.onestop.extract_load import EPOCH, load_window
from ingest.sources.sector_health.extract_load import load_inbox as load_health
from sharing import audit, clients, datasets, grants, publication
from simulators.documents.config import DocumentsConfig
from simulators.documents.write import write_documents
from simulators.onestop.config import OnestopConfig
from simulators.onestop.server import start_in_thread
from simulators.sector.health import HealthConfig, write_health_files

START = date(2026, 1, 5)
ONESTOP = {"size": 400, "days": 60, "dirt": "all,timeout=0"}  # OnestopConfig(start=START, **ONESTOP)
AUTHOR, REVIEWER = ("release-author", "mat-khau-tac-gia-1"), ("release-reviewer", "mat-khau-nguoi-duyet-2")
NEW_AGENCY = "001.02.03.Z99"
CLIENT = "so-y-te.release"


def stewardship_changes(url: str) -> dict[str, str]:
    with psycopg.connect(url, autocommit=True) as conn:
        users.add_steward(conn, AUTHOR[0], "Người đề xuất", AUTHOR[1])
        users.add_steward(conn, REVIEWER[0], "Người duyệt", REVIEWER[1])
        change = ChangeRequest("agency", NEW_AGENCY, "add", "cơ quan mới", date(2026, 3, 1),
                               {"name": "Ban Phát hành", "parent_code": "000.00.00.H17"})  # fmt: skip
        proposal = stewardship.propose(conn, AUTHOR[0], change)
        stewardship.approve_and_publish(conn, proposal.proposal_id, REVIEWER[0])
        local = conn.execute(
            "select local_code from catalog.unmapped_queue where source_system = 'onestop' "
            "and code_kind = 'procedure' order by row_count desc, local_code limit 1"
        ).fetchone()[0]
        master = conn.execute(
            "select code from catalog.codes where catalog = 'procedure' and state = 'active' order by code limit 1"
        ).fetchone()[0]
        mapping.map_code(conn, AUTHOR[0], "onestop", "procedure", local, master, "mã cũ của hệ thống một cửa")
    return {"mapped_local_code": local, "mapped_master_code": master}


def raw_rows(url: str, inbox: Path) -> dict[str, str]:
    mid = (START + timedelta(days=ONESTOP["days"] // 2)).strftime("%Y%m%d%H%M%S")
    with start_in_thread(OnestopConfig(start=START, **ONESTOP)) as server:
        api = PagedApi(server.base_url, page_size=100)
        for stream in ("dossiers", "dossier_events"):
            load_window(url, api, stream, EPOCH, mid)
    write_health_files(inbox, HealthConfig(size=40, as_of=START, dirt="all"))
    load_health(url, inbox)
    write_documents(inbox, DocumentsConfig(size=20, start=START, days=30, dirt="all"))
    load_documents(url, inbox)
    return {"onestop_until": mid}


def sharing_rows(url: str) -> dict[str, str]:
    with psycopg.connect(url, autocommit=True) as conn:
        first = clients.add(conn, CLIENT, "Ứng dụng của bản phát hành", "000.00.12.H17", AUTHOR[0])
        issued = clients.rotate(conn, CLIENT)
        dataset = datasets.by_id(datasets.all_datasets(conn))["catalog-agency"]
        grants.add(conn, CLIENT, dataset, grants.Scope.parse("all"), (), "công văn số 1", AUTHOR[0])
        client, secret_id = clients.authenticate(conn, CLIENT, issued.secret)
        token, _ = clients.issue_token(conn, client, secret_id, "127.0.0.1")
    writer = audit.Writer(url, psycopg.connect)
    for n in range(5):
        writer.append(audit.Record(f"release-{n}", "GET", "/api/v1/datasets/catalog-agency/rows", "127.0.0.1",
                                   {"limit": str(10 * n)}, CLIENT, "catalog-agency", 200, n, 100 * n, 3))  # fmt: skip
    writer.append(audit.Record("release-refused", "POST", "/oauth/token", "127.0.0.1", status=401, detail="sai"))
    writer.close()
    publication.publish(url, "release-data")  # the steward's new agency: a change in catalog-agency
    return {"client_id": CLIENT, "first_secret": first.secret, "secret": issued.secret, "token": token}


def main(inbox: Path) -> None:
    url = databases.resolve().warehouse
    facts = {"start": START.isoformat(), **ONESTOP, "new_agency": NEW_AGENCY}
    facts |= {"author": AUTHOR[0], "author_password": AUTHOR[1], "reviewer": REVIEWER[0]}
    facts |= raw_rows(url, inbox)
    facts |= stewardship_changes(url)  # maps one of the codes the one-stop rows brought
    facts |= sharing_rows(url)
    print(json.dumps(facts, ensure_ascii=False))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
