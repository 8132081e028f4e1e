"""Find and convert text that a legacy Vietnamese encoding (TCVN3/ABC, VNI) garbled, one text at a time.

Such text reaches us decoded as cp1252/Latin-1 (`Hµ Néi` or `Haø Noäi` for "Hà
Nội"). The repair may only help, so it decides per text (one field's value), and:

1. only a text that can be such a decoding is a candidate: one holding a
   character that cp1252/Latin-1 never produces (`ư`, `ơ`, `đ`, `ă`, `ễ`, a
   combining mark, any code point above U+00FF but cp1252's own) is Unicode and
   is never converted;
2. a candidate whose every word is already a possible Vietnamese syllable (see
   `syllables`) or plain ASCII is left as it came: `Hòa Bình`, `Lê Minh Tâm`,
   `Cô Tô` are Unicode that a table would turn into other Vietnamese, and
   nothing in the text says they are not;
3. otherwise each table (viparse's, TCVN3 then VNI) is tried, and one is used
   only if every word it changes comes out a possible syllable and none is left
   foreign; this also catches VNI whose garbled letters all look Vietnamese
   (`Nguyeãn Thò Chaâu`: `eã`, `aâu` are no rhyme);
4. when unsure (two tables read it differently, or a table helps but leaves a
   word that is no syllable) the text is left as it came with a
   `suspect_encoding` warning, the readings in its detail. A foreign name that
   no table makes Vietnamese (`Müller GmbH`, `Sony®`) is left alone, silently.

The raw payload keeps the original; the caller labels a conversion with the
field it was in.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from viparse.normalize.encodings import CHARMAPS
from viparse.normalize.tables import convert

from ingest.framework.syllables import is_syllable

LEGACY_ENCODINGS = ("tcvn3", "vni")
SUSPECT_ENCODING = "suspect_encoding"

_CP1252_EXTRAS = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
# a character no cp1252/Latin-1 decoding produces: the text is Unicode
UNICODE_ONLY = re.compile("[^\x00-\xff" + re.escape(_CP1252_EXTRAS) + "]")
# the characters the legacy tables read: word characters, whatever Unicode calls them (`¨`, `®`, `·`)
_LEGACY_CHARACTERS = "".join(sorted({ch for name in LEGACY_ENCODINGS for seq, _ in CHARMAPS[name].pairs for ch in seq}))
_WORD = re.compile(r"(?:[^\W\d_]|[" + re.escape(_LEGACY_CHARACTERS) + "])+")


class Repair(NamedTuple):
    """What `repair` found in one text: a conversion (`encoding`) or a warning, never both."""

    text: str  # what to load: the converted text, or the text as it came
    encoding: str | None = None  # the table converted from
    warning: str | None = None  # `suspect_encoding`: left as it came, but it may be legacy
    detail: str | None = None  # the readings that made it suspect


def can_be_legacy(text: str) -> bool:
    """True if the text could be legacy bytes read as cp1252/Latin-1 (and is not plain ASCII)."""
    return not text.isascii() and UNICODE_ONLY.search(text) is None


def _plausible(word: str) -> bool:
    """ASCII (codes, abbreviations, foreign words), a Vietnamese syllable, or no letter at all (`®`, `·`)."""
    return word.isascii() or is_syllable(word) or not any(ch.isalpha() for ch in word)


def reads_as_vietnamese(text: str) -> bool:
    """True if every word of the text is ASCII or a possible Vietnamese syllable: it stays as it came."""
    return all(map(_plausible, _WORD.findall(text)))


def repair(text: str) -> Repair | None:
    """Convert `text` if it is legacy text, warn if it may be; None: nothing to say (most texts)."""
    if not can_be_legacy(text):
        return None
    return repair_candidate(text)


@lru_cache(maxsize=1 << 14)  # names, streets and communes repeat
def repair_candidate(text: str) -> Repair | None:
    """`repair` for a text known to be a candidate (`can_be_legacy`)."""
    if reads_as_vietnamese(text):
        return None
    words = _WORD.findall(text)
    readings: dict[str, tuple[int, int, str]] = {}  # table -> (words it leaves foreign, words it mends, reading)
    for name in LEGACY_ENCODINGS:
        charmap = CHARMAPS[name]
        converted = [convert(w, charmap, "NFC") for w in words]
        changed = [(w, c) for w, c in zip(words, converted, strict=True) if c != unicodedata.normalize("NFC", w)]
        # evidence: a changed word with a letter in it (a lone `·` or `®` is a sign, not a word)
        if not any(ch.isalpha() for w, _ in changed for ch in w):
            continue
        left = sum(not _plausible(c) for c in converted)
        mended = sum(not _plausible(w) and _plausible(c) for w, c in changed)
        readings[name] = (left, mended, convert(text, charmap, "NFC"))
    clean = {name: reading for name, (left, _, reading) in readings.items() if left == 0}
    if len(set(clean.values())) == 1:
        name, reading = next(iter(clean.items()))
        return Repair(reading, encoding=name)
    better = {name: reading for name, (_, mended, reading) in readings.items() if mended}
    if better:
        detail = "; ".join(f"{name}: {reading}" for name, reading in better.items())
        return Repair(text, warning=SUSPECT_ENCODING, detail=detail)
    return None


# The former record-level check, kept for callers that ask whether text holds a
# character Vietnamese never uses (the repair above no longer relies on it).
_VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
SUSPECT_CHARACTERS = "".join(
    ch for ch in map(chr, range(0xA1, 0x100)) if ch not in _VIETNAMESE_LATIN1 and ch not in "×÷"
) + _CP1252_EXTRAS  # fmt: skip
_SUSPECT = re.compile("[" + re.escape(SUSPECT_CHARACTERS) + "]")


def looks_legacy(text: str) -> bool:
    """True if the text holds a Latin-1/cp1252 character that Vietnamese never uses."""
    return not text.isascii() and _SUSPECT.search(text) is not None
