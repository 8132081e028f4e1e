"""The sharing API: sector agencies pull shared data with their own credentials, incrementally,
streamed and audited (Decree 47/2020/NĐ-CP; Decrees 194/2025 and 278/2025).

- `datasets.py`: the dataset registry (one declaration per dataset; every published catalog too)
- `dcat.py`: the registry as a DCAT catalog (DCAT-AP style, built with rdflib)
- `roles.py`: the API's database role `hub_sharing`, which reads only what is published
- `clients.py`, `grants.py`: agencies' credentials (argon2id secrets, bearer tokens stored as
  digests) and what each may pull (row scope, personal columns)
- `publication.py`: the publication step that keeps the change log incremental pulls read
- `pulling.py`, `cursor.py`, `formats.py`: pages of rows (keyset, signed cursors, one snapshot,
  JSON/NDJSON/CSV/Parquet, streamed)
- `audit.py`: the hash-chained audit log and its verification
- `app.py`: the FastAPI service (`uvicorn --factory sharing.app:create_app`): `registry_api.py`,
  `auth_api.py` (OAuth2 client credentials), `rows_api.py`, `pages.py`; `cli.py`: `hub sharing`

It imports `foundation` only (the layer contract in `make lint`). Its tables are in the
`sharing` schema (`sharing/migrations/03NN_*.sql`).
"""

from __future__ import annotations

from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"  # the `sharing` schema
