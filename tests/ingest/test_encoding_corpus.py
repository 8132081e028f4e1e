"""The legacy-encoding repair over a corpus of real names (see `encoding_corpus`): it may only help.

Each text goes through the landing as one field of a record, as a source's would.
Run with `-s` to see the figures (they are in BENCHMARKS.md).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from encoding_corpus import Case, corpus

from ingest.framework import landing, legacy_text
from ingest.framework.stream import Field, Stream

STREAM = Stream("corpus", "texts", (Field("text", "Ten"),), ("text",))
LEGACY = ("tcvn3", "vni")


@dataclass(frozen=True)
class Outcome:
    case: Case
    loaded: str
    converted: str | None  # the table named in `_fixes`
    warned: bool

    @property
    def right(self) -> bool:
        return self.case.matches(self.loaded)


def _load(case: Case) -> Outcome:
    row = landing.record_row(STREAM, "corpus", 1, {"Ten": case.text}, "{}")
    notes: list[Any] = row[5] or []
    labels = [n for n in notes if type(n) is str and n != "nfc"]
    assert all(label.endswith(":Ten") for label in labels)  # the label names the field
    warned = [n for n in notes if type(n) is not str]
    assert all(w.field == "Ten" and w.value == case.text and w.warning == "suspect_encoding" for w in warned)
    return Outcome(case, row[6], labels[0].split(":")[0] if labels else None, bool(warned))


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    found = [_load(case) for case in corpus()]
    _report(found)
    return found


def _report(found: list[Outcome]) -> None:
    by_kind = Counter(o.case.kind for o in found)
    legacy = [o for o in found if o.case.kind in LEGACY]
    conversions = [o for o in found if o.converted]
    recovered = [o for o in legacy if o.converted and o.right]
    print(f"\nencoding corpus: {len(found):,} texts: " + ", ".join(f"{k} {n:,}" for k, n in sorted(by_kind.items())))
    for kind in LEGACY:
        cases = [o for o in legacy if o.case.kind == kind]
        done = sum(1 for o in cases if o.converted and o.right)
        warned = sum(1 for o in cases if o.warned)
        print(f"  {kind}: {done:,}/{len(cases):,} recovered ({done / len(cases):.2%}), {warned} warned, "
              f"{len(cases) - done - warned} left as they came (every word already Vietnamese)")  # fmt: skip
    unicode = [o for o in found if o.case.kind in ("unicode", "nfd")]
    print(f"  unicode and nfd: {sum(not o.right for o in unicode)} changed, {sum(o.warned for o in unicode)} warned")
    ambiguous = [o for o in found if o.case.kind == "ambiguous"]
    print(f"  ambiguous: {sum(o.warned and o.right for o in ambiguous)}/{len(ambiguous)} warned and left as they came")
    precision = sum(o.right for o in conversions) / len(conversions)
    recall = len(recovered) / len(legacy)
    print(f"  precision {precision:.4%} ({len(conversions):,} conversions), recall {recall:.2%}")


def test_no_unicode_text_is_changed(outcomes: list[Outcome]) -> None:
    unicode = [o for o in outcomes if o.case.kind == "unicode"]
    changed = [(o.case.text, o.loaded) for o in unicode if o.loaded != o.case.text or o.converted]
    assert len(unicode) > 15_000 and changed == []  # byte for byte


def test_nfd_text_is_loaded_as_its_nfc(outcomes: list[Outcome]) -> None:
    nfd = [o for o in outcomes if o.case.kind == "nfd"]
    assert len(nfd) > 15_000 and [o.case.expected for o in nfd if not o.right or o.converted] == []


def test_foreign_names_among_vietnamese_are_kept(outcomes: list[Outcome]) -> None:
    foreign = [o for o in outcomes if o.case.origin == "foreign" and o.case.kind == "unicode"]
    assert any("ü" in o.case.text and "Việt" in o.case.text for o in foreign)
    assert all(o.right and not o.converted and not o.warned for o in foreign)


def test_at_least_99_percent_of_legacy_text_is_recovered(outcomes: list[Outcome]) -> None:
    for kind in LEGACY:
        cases = [o for o in outcomes if o.case.kind == kind]
        recovered = sum(1 for o in cases if o.converted == kind and o.right)
        assert len(cases) > 15_000 and recovered / len(cases) >= 0.99, (kind, recovered, len(cases))


def test_every_conversion_is_right(outcomes: list[Outcome]) -> None:
    wrong = [(o.case.kind, o.case.text, o.loaded) for o in outcomes if o.converted and not o.right]
    assert wrong == []


def test_legacy_text_left_as_it_came_is_vietnamese_as_it_stands(outcomes: list[Outcome]) -> None:
    """What is neither converted nor warned reads as Vietnamese already (`Phan Thò Mai` is VNI for `Phan Thị
    Mai`, but `thò` is a word): nothing in the text tells, and Unicode like it is far more common."""
    silent = [o for o in outcomes if o.case.kind in LEGACY and not o.converted and not o.warned]
    assert all(o.loaded == o.case.text and legacy_text.reads_as_vietnamese(o.case.text) for o in silent)


def test_ambiguous_text_is_warned_not_converted(outcomes: list[Outcome]) -> None:
    ambiguous = [o for o in outcomes if o.case.kind == "ambiguous"]
    assert len(ambiguous) > 100 and all(o.warned and o.loaded == o.case.text and not o.converted for o in ambiguous)


def test_warnings_on_unicode_are_rare(outcomes: list[Outcome]) -> None:
    unicode = [o for o in outcomes if o.case.kind == "unicode"]
    warned = [o.case.text for o in unicode if o.warned]  # minority names outside the syllable rules
    assert len(warned) <= len(unicode) // 1000, warned
