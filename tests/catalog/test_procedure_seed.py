"""The published procedure catalog seed describes the procedures the one-stop simulator uses."""

from __future__ import annotations

from catalog import registry
from catalog.loading import VersionRow
from catalog.reference import seed_rows
from simulators.common.catalog import FIELDS, PROCEDURES


def _procedure_seed() -> dict[str, VersionRow]:
    return {row.code: row for row in seed_rows(registry.get("procedure"))}


def test_the_seed_has_the_simulators_procedures_with_their_attributes() -> None:
    seed = _procedure_seed()
    assert set(seed) == {p.code for p in PROCEDURES}
    for p in PROCEDURES:
        row = seed[p.code]
        assert (row.name, row.parent_code) == (p.name, p.field)
        assert row.attributes == {
            "province_code": p.instance_code,
            "implementing_level": "xã" if p.level == "xa" else "tỉnh",
            "max_processing_days": p.days,
            "note": row.attributes["note"],
            "online_level": p.online_level,
            "fee_vnd": p.fee_vnd,
            "issues_document": p.issues_document,
        }


def test_every_procedure_field_is_in_the_field_seed() -> None:
    fields = {row.code for row in seed_rows(registry.get("field"))}
    assert {p.field for p in PROCEDURES} <= fields
    assert set(FIELDS) <= fields


def test_the_simulated_procedures_mix_online_levels_fees_and_results() -> None:
    assert {p.online_level for p in PROCEDURES} == {"toan_trinh", "mot_phan"}
    assert any(p.fee_vnd == 0 for p in PROCEDURES) and any(p.fee_vnd > 0 for p in PROCEDURES)
    assert any(not p.issues_document for p in PROCEDURES)
