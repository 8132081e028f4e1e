"""The 2025 old-to-new crosswalk from `vietnamadminunits`' converter_2025.json.

Its keys are the package's own name keys; its new-side names are matched to the
`vietnam-provinces` codes by name within the province (the two packages disagree on about
120 new commune codes, but their names agree once tone-mark placement and punctuation are
ignored). A commune divided among several new ones links to each; the package's default
successor is marked primary.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict

from catalog.admin_units_data import (
    LEGAL_CROSSWALK,
    NEW_STRUCTURE_FROM,
    VAM_DATA,
    clean,
    fold,
    legacy_rows,
    new_structure,
)
from catalog.loading import LinkRow


def _new_code_resolver() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """vietnamadminunits' name keys of the new units → codes: provinceKey → province code and
    (provinceKey, wardKey) → the vietnam-provinces commune code."""
    exact: dict[tuple[str, str], str] = {}
    folded: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in new_structure():
        if row.catalog == "commune":
            exact[(row.parent_code or "", row.name.lower())] = row.code
            folded[(row.parent_code or "", fold(row.name))].append(row.code)
    provinces: dict[str, str] = {}
    resolved: dict[tuple[str, str], str] = {}
    with sqlite3.connect(f"file:{VAM_DATA / 'dataset.db'}?mode=ro", uri=True) as db:
        for pkey, wkey, pcode, name in db.execute("select provinceKey, wardKey, provinceCode, ward from admin_units"):
            code = exact.get((pcode, clean(name).lower()))
            candidates = folded.get((pcode, fold(name)), [])
            if code is None and len(candidates) == 1:
                code = candidates[0]
            if code is None:
                raise ValueError(f"new commune {name!r} (province {pcode}) has no unique match in vietnam-provinces")
            resolved[(pkey, wkey)] = code
            provinces[pkey] = pcode
    return provinces, resolved


def crosswalk_pairs() -> list[tuple[str, str, str, bool]]:
    """(old catalog, old code, new code, is_primary) for every province and commune (and the five
    island districts, which have no communes and became special zones)."""
    legacy = legacy_rows()
    old_commune = {
        f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}": ("commune", r["wardCode"])
        if r["wardCode"]
        else ("district", r["districtCode"])
        for r in legacy
    }
    old_province = {r["provinceKey"]: r["provinceCode"] for r in legacy}
    new_province, new_code = _new_code_resolver()
    converter = json.loads((VAM_DATA / "converter_2025.json").read_text(encoding="utf-8"))
    pairs: dict[tuple[str, str, str], bool] = {}
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        for old_key in old_keys:
            pairs[("province", old_province[old_key], new_province[new_key])] = True
    for pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wkey, old_keys in wards.items():
            for old_key in old_keys:
                pairs[(*old_commune[old_key], new_code[(pkey, wkey)])] = True
    for pkey, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, successors in olds.items():
            for successor in successors:
                target = (*old_commune[old_key], new_code[(pkey, successor["newWardKey"])])
                pairs[target] = bool(successor["isDefaultNewWard"])
    return [(catalog, old, new, primary) for (catalog, old, new), primary in sorted(pairs.items())]


def successions() -> tuple[dict[tuple[str, str], str], list[LinkRow]]:
    """How each old unit ended on 2025-07-01 (merged, superseded) and its links to its successors."""
    pairs = crosswalk_pairs()
    successors: dict[tuple[str, str], list[tuple[str, bool]]] = defaultdict(list)
    predecessors: dict[tuple[str, str], int] = defaultdict(int)
    for catalog, old, new, primary in pairs:
        new_catalog = "province" if catalog == "province" else "commune"
        successors[(catalog, old)].append((new, primary))
        predecessors[(new_catalog, new)] += 1
    links: list[LinkRow] = []
    states: dict[tuple[str, str], str] = {}
    for (catalog, old), news in successors.items():
        new_catalog = "province" if catalog == "province" else "commune"
        if len(news) > 1:
            kind, states[(catalog, old)] = "split_into", "superseded"
            primary = next((n for n, p in news if p), news[0][0])
        elif predecessors[(new_catalog, news[0][0])] > 1:
            kind, states[(catalog, old)], primary = "merged_into", "merged", news[0][0]
        else:
            kind, states[(catalog, old)], primary = "superseded_by", "superseded", news[0][0]
        links += [
            LinkRow(
                catalog,
                old,
                None,
                new_catalog,
                new,
                NEW_STRUCTURE_FROM,
                link_kind=kind,
                effective_on=NEW_STRUCTURE_FROM,
                is_primary=new == primary,
                legal_source=LEGAL_CROSSWALK,
            )
            for new, _ in news
        ]
    return states, links
