"""The legacy-encoding repair, text by text, without a database (the corpus test measures it at scale)."""

from __future__ import annotations

import pytest

from ingest.framework.legacy_text import Repair, can_be_legacy, repair
from ingest.framework.syllables import is_syllable

SYLLABLES = ["Nguyễn", "Văn", "Hùng", "quốc", "quỳnh", "giếng", "gì", "người", "khuỷu", "khuya", "ngoài",
             "Hòa", "Hoà", "thúy", "thuý", "xoong", "nghiêng", "kê", "học", "cụt", "Đắk", "Lắk", "Krông", "Dêê",
             "Kạn"]  # fmt: skip
NOT_SYLLABLES = ["Nguyeãn", "Chaâu", "xaõ", "Taây", "Nguyeón", "NguyÔn", "Hïng", "V¨n", "Müller", "cê", "ngi",
                 "gê", "Qúy", "hóan", "tõy", "cùt", "Sonyđ", "Straße", "vâ"]  # fmt: skip


@pytest.mark.parametrize("word", SYLLABLES)
def test_vietnamese_syllables_pass(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize("word", NOT_SYLLABLES)
def test_garbled_and_foreign_words_do_not(word: str) -> None:
    assert not is_syllable(word)


@pytest.mark.parametrize("text", ["Công ty TNHH Müller Việt Nam", "Nhà hàng Phở·Bò", "Đỗ Thị Hà", "Nguyễn Văn Å"])
def test_text_with_a_character_cp1252_never_gives_is_not_a_candidate(text: str) -> None:
    assert not can_be_legacy(text) and repair(text) is None


LATIN_1_UNICODE = ["Hòa Bình", "Lê Minh Tâm", "Cô Tô", "Khánh Hòa", "Müller GmbH", "Sony® Center", "Bar · Pub",
                   "Björn Åström", "Søren", "José Muñoz", "Crème Brûlée Café", "UBND"]  # fmt: skip


@pytest.mark.parametrize("text", LATIN_1_UNICODE)
def test_unicode_made_of_latin_1_letters_is_left_alone(text: str) -> None:
    assert repair(text) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("NguyÔn V¨n Hïng", Repair("Nguyễn Văn Hùng", "tcvn3")),
    ("Tr\xadêng THPT Lª Quý §«n", Repair("Trường THPT Lê Quý Đôn", "tcvn3")),
    ("§¾k L¾k", Repair("Đắk Lắk", "tcvn3")),
    ("Nguyeãn Vaên Huøng", Repair("Nguyễn Văn Hùng", "vni")),
    # VNI whose garbled letters are all Vietnamese letters: the syllables give it away
    ("Nguyeãn Thò Chaâu", Repair("Nguyễn Thị Châu", "vni")),
    ("UBND xaõ Taây Giang", Repair("UBND xã Tây Giang", "vni")),
    ("NGUYEÃN VAÊN AN", Repair("NGUYỄN VĂN AN", "vni")),
])  # fmt: skip
def test_legacy_text_is_converted(text: str, expected: Repair) -> None:
    assert repair(text) == expected


def test_legacy_text_with_a_letter_no_table_holds_is_warned_not_converted() -> None:
    assert repair("C«ng ty Müller") == Repair("C«ng ty Müller", warning="suspect_encoding",
                                               detail="tcvn3: Công ty Mỹller")  # fmt: skip


def test_text_two_tables_read_differently_is_warned_with_both_readings() -> None:
    found = repair("Xaõ Cö EÂBur")  # VNI "Xã Cư ÊBur"; TCVN3 reads it otherwise, and neither reads ÊBur
    assert found is not None and found.warning == "suspect_encoding" and found.text == "Xaõ Cö EÂBur"
    assert found.detail and "vni: Xã Cư ÊBur" in found.detail
