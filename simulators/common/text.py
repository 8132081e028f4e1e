"""Vietnamese text as old systems hand it over: NFD, TCVN3 (ABC) and VNI.

The legacy tables are the inverse of viparse's decoding tables
(`viparse.normalize.tcvn3`, `viparse.normalize.vni`), so what these functions
write, viparse reads back. Two forms of each legacy encoding:

- `*_surface(text)`: the text as it looks when the legacy bytes were decoded as
  cp1252/latin-1 (what JSON and CSV sources carry), e.g. `Hµ Néi` (TCVN3) and
  `Haø Noäi` (VNI) for "Hà Nội";
- `encode_*(text)`: the genuine legacy bytes (for files).

TCVN3 has no uppercase accented letters: uppercase accented input is written
with the lowercase legacy letter, as the `.VnTimeH` fonts did, so it decodes back
lowercase. VNI's `ẳ`/`Ẳ` (absent from viparse's table, unobserved in its corpus)
are written `aú`/`AÚ` as the VNI layout has them.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from viparse.normalize.tcvn3 import TCVN3
from viparse.normalize.vni import VNI

_VNI_EXTRA = {"ẳ": "aú", "Ẳ": "AÚ"}


@cache
def _inverse(name: str) -> dict[str, str]:
    charmap = TCVN3 if name == "tcvn3" else VNI
    inverse: dict[str, str] = {}
    for legacy, letter in sorted(charmap.pairs, key=lambda pair: (len(pair[0]), pair[0])):
        inverse.setdefault(letter, legacy)
    if name == "vni":
        for letter, legacy in _VNI_EXTRA.items():
            inverse.setdefault(letter, legacy)
    else:
        for letter in list(inverse):
            upper = letter.upper()
            if upper != letter and upper not in inverse:
                inverse[upper] = inverse[letter]
    return inverse


def _surface(text: str, name: str) -> str:
    table = _inverse(name)
    nfc = unicodedata.normalize("NFC", text)
    return "".join(table.get(char, char) for char in nfc)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def tcvn3_surface(text: str) -> str:
    """'Hà Nội' -> 'Hµ Néi'."""
    return _surface(text, "tcvn3")


def vni_surface(text: str) -> str:
    """'Hà Nội' -> 'Haø Noäi'."""
    return _surface(text, "vni")


def encode_tcvn3(text: str) -> bytes:
    """Genuine TCVN3 (ABC) bytes: one byte per letter; non-Vietnamese non-ASCII becomes '?'."""
    return tcvn3_surface(text).encode("latin-1", errors="replace")


def encode_vni(text: str) -> bytes:
    """Genuine VNI-Windows bytes: a base letter plus one or two mark bytes."""
    return vni_surface(text).encode("latin-1", errors="replace")


def legacy_surface(text: str, kind: str) -> str:
    """Apply a text dirt kind (`nfd`, `tcvn3`, `vni`) to a string."""
    if kind == "nfd":
        return nfd(text)
    if kind == "tcvn3":
        return tcvn3_surface(text)
    if kind == "vni":
        return vni_surface(text)
    raise ValueError(f"not a text dirt kind: {kind}")


def is_vietnamese_unicode(text: str) -> bool:
    """True if the text has a letter outside Latin-1: a sign it is Unicode, not a legacy surface."""
    return any(ord(char) > 0xFF for char in text)
