"""Find and convert text that a legacy Vietnamese encoding (TCVN3/ABC, VNI) garbled.

Such text reaches us decoded as cp1252/Latin-1 (`Hµ Néi` for "Hà Nội"), full of
Latin-1 letters that Vietnamese never uses: a cheap check flags those texts and
only they are converted. The
conversion tables are viparse's; the choice of table is ours: viparse's own
detector needs more text than a name or an address to decide.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from viparse.normalize.encodings import CHARMAPS
from viparse.normalize.tables import convert

_VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_CP1252_EXTRAS = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
SUSPECT_CHARACTERS = "".join(
    ch for ch in map(chr, range(0xA1, 0x100)) if ch not in _VIETNAMESE_LATIN1 and ch not in "×÷"
) + _CP1252_EXTRAS  # fmt: skip


LEGACY_ENCODINGS = ("tcvn3", "vni")
_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", v + t) for v in _VOWELS + _VOWELS.upper() for t in _TONES
) | set("đĐ")


def _foreign_characters(text: str) -> int:
    """Characters that are neither ASCII nor Vietnamese letters."""
    return sum(1 for ch in text if not ch.isascii() and ch not in VIETNAMESE_LETTERS)


_SUSPECT = re.compile("[" + re.escape(SUSPECT_CHARACTERS) + "]")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _convert_all(value: Any, charmap: Any) -> Any:
    if isinstance(value, str):
        return convert(value, charmap, "NFC")
    if isinstance(value, dict):
        return {k: _convert_all(v, charmap) for k, v in value.items()}
    if isinstance(value, list):
        return [_convert_all(v, charmap) for v in value]
    return value


def repair(record: Any) -> tuple[Any, str | None]:
    """Return the record with its text converted, and the encoding found (None: left as is).

    An encoding is chosen only if converting with it leaves no foreign character.
    Good text is never touched.
    """
    text = " ".join(_strings(record))
    if not _foreign_characters(text):
        return record, None
    scores = {name: _foreign_characters(convert(text, CHARMAPS[name], "NFC")) for name in LEGACY_ENCODINGS}
    clean = [name for name, score in scores.items() if score == 0]
    if not clean:
        return record, None
    # VNI first: its two-character sequences rarely read as clean text by chance,
    # while TCVN3's table turns most VNI letters into (wrong) Vietnamese letters
    best = clean[-1] if "vni" in clean else clean[0]
    return _convert_all(record, CHARMAPS[best]), best


def looks_legacy(text: str) -> bool:
    return not text.isascii() and _SUSPECT.search(text) is not None


def repair_values(texts: list[str | None]) -> tuple[list[str | None], str | None]:
    """Convert a record's field texts together (more text, surer choice of table)."""
    record = {str(i): t for i, t in enumerate(texts) if t}
    fixed, encoding = repair(record)
    if encoding is None:
        return texts, None
    return [fixed.get(str(i), t) for i, t in enumerate(texts)], encoding
