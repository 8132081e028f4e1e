"""Settings of the document-management simulator (edXML files in an inbox folder)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from simulators.common.dirt import Dirt

SOURCE = "documents"
FOLDER = "documents"

# Per document: probability.
RECORD_KINDS: dict[str, float] = {
    "duplicate": 0.02,  # the same document (same DocumentId) delivered again in a second file
    "nfd": 0.03,  # Subject and the sender's OrganName in NFD
    "ddmmyyyy": 0.03,  # PromulgationDate (and DueDate) as dd/MM/yyyy instead of yyyy/MM/dd
}
# Per run: how many such extra files.
FILE_KINDS: dict[str, float] = {
    "malformed": 1,  # not well-formed XML (an unescaped "&", a tag never closed)
    "empty": 1,  # a zero-byte .edxml file
    "truncated": 1,  # a document cut off in the middle
    "xml_bomb": 1,  # billion laughs: nested entity expansion
    "xxe": 1,  # an external entity pointing at file:///etc/passwd
}
DIRT_KINDS: dict[str, float] = {**RECORD_KINDS, **FILE_KINDS}


@dataclass(frozen=True)
class DocumentsConfig:
    seed: int = 102
    size: int = 200  # documents (each a file; dirt files come on top)
    start: date = date(2025, 7, 1)
    days: int = 180
    dirt: Dirt | str = field(default_factory=Dirt.none)

    def __post_init__(self) -> None:
        object.__setattr__(self, "dirt", Dirt.parse(self.dirt, DIRT_KINDS))

    @property
    def dirty(self) -> Dirt:
        assert isinstance(self.dirt, Dirt)
        return self.dirt
