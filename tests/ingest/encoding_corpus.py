"""A corpus for the legacy-encoding repair: real Vietnamese names, and what each should load as.

Clean text comes from realistic sources: every administrative unit of the country
(today's, `vietnam_provinces`, and before 2025, `vietnamadminunits`: minority
names such as `Đắk Lắk`, `La Dêê`, `Ia H'Drai` included), people (the simulators'
pools and Faker's `vi_VN`), companies, schools named after historical figures,
streets, agencies, and foreign companies and people (ä ö ü ß å ø é ñ ®, ·), in
Vietnamese phrases and on their own. Each case says what the repair must do:

- `unicode`: loaded byte for byte as it came (it is already NFC);
- `nfd`: the same text in NFD, loaded as its NFC;
- `tcvn3`, `vni`: the clean text encoded with viparse's tables in reverse (as the
  simulators do) and read as cp1252: converted back (TCVN3 has no capital
  accented letters, so for it the comparison is case-insensitive);
- `ambiguous`: legacy text mixed with a letter the legacy table cannot hold (a
  foreign name typed into a TCVN3 form): left as it came, with a warning.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Literal

from simulators.common.people import BRANDS, COMPANY_FORMS, COMPANY_TRADES, FAMILY, GIVEN_F, GIVEN_M, MIDDLE_F, MIDDLE_M
from simulators.common.text import tcvn3_surface, vni_surface

Kind = Literal["unicode", "nfd", "tcvn3", "vni", "ambiguous"]
SEED = 2024


@dataclass(frozen=True)
class Case:
    kind: Kind
    origin: str  # where the clean text came from: people, place, company, foreign, school, street, agency
    text: str  # what the source sends
    expected: str  # what must load

    def matches(self, loaded: str) -> bool:
        if self.kind == "tcvn3":
            return loaded.casefold() == self.expected.casefold()
        return loaded == self.expected


HISTORICAL_FIGURES = (
    "Lê Quý Đôn", "Nguyễn Du", "Trần Quốc Toản", "Trần Hưng Đạo", "Lý Thường Kiệt", "Ngô Quyền", "Quang Trung",
    "Nguyễn Trãi", "Lê Lợi", "Hai Bà Trưng", "Bà Triệu", "Phan Bội Châu", "Phan Châu Trinh", "Huỳnh Thúc Kháng",
    "Chu Văn An", "Nguyễn Bỉnh Khiêm", "Lương Thế Vinh", "Võ Thị Sáu", "Trần Phú", "Lê Hồng Phong", "Lê Văn Tám",
    "Nguyễn Thị Minh Khai",
    "Hoàng Hoa Thám", "Đinh Tiên Hoàng", "Lý Tự Trọng", "Kim Đồng", "Nguyễn Hiền", "Tô Hiến Thành", "Nguyễn Khuyến",
    "Hàn Thuyên", "Nguyễn Đình Chiểu", "Ông Ích Khiêm", "Thái Phiên", "Trưng Vương", "Phan Đình Phùng", "Hoàng Diệu",
    "Lê Thánh Tông", "Yết Kiêu", "Dã Tượng", "Mạc Đĩnh Chi", "Nguyễn Văn Trỗi", "Cù Chính Lan", "Tôn Đức Thắng",
    "Hồ Xuân Hương", "Bùi Thị Xuân", "Tây Sơn", "Võ Nguyên Giáp", "Nguyễn Công Trứ", "Đào Duy Từ",
)  # fmt: skip
SCHOOL_KINDS = ("Trường THPT", "Trường THCS", "Trường Tiểu học", "Trường Mầm non", "Trường Phổ thông Dân tộc Nội trú")
AGENCIES = (
    "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Sở Tư pháp", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Nội vụ",
    "Sở Xây dựng", "Sở Nông nghiệp và Môi trường", "Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ",
    "Văn phòng UBND thành phố", "Trung tâm Phục vụ hành chính công", "Công an thành phố", "Bảo hiểm xã hội thành phố",
    "Cục Thuế thành phố", "Kho bạc Nhà nước khu vực XIII", "Ban Quản lý các khu công nghiệp", "Thanh tra thành phố",
    "Chi cục Thủy sản", "Trung tâm Y tế khu vực", "Bệnh viện Đa khoa", "Trạm Y tế", "Phòng Văn hóa - Xã hội",
    "Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Ủy ban Mặt trận Tổ quốc Việt Nam",
)  # fmt: skip
# foreign companies and people: letters and signs Vietnamese does not use
FOREIGN = (
    "Müller", "Bäckerei Schäfer", "Dürr Systems", "Böhler-Uddeholm", "Straßburg Logistik", "Weißbier Haus",
    "Grünenthal", "Köhler", "Jürgen Großmann", "Häagen-Dazs", "Nestlé", "L'Oréal", "Société Générale",
    "Crème Brûlée Café", "José Muñoz", "Peña Hermanos", "Señor Ñandú", "Björn Åström", "Åsa Lindqvist",
    "Søren Kierkegaard", "Ørsted", "Mærsk Line", "Bjørnstjerne", "Sony®", "Nokia®", "Lego® Education",
    "Phở·Bò", "Café·Bar", "Zürich Versicherung", "Škoda", "Citroën", "Renée Zellweger", "Ålesund Fisk",
    "François Pérez", "Gâteaux Héloïse", "Àlex Fàbregas", "Yamaha Motor", "Siemens AG", "Bosch GmbH",
)  # fmt: skip
FOREIGN_FORMS = ("Công ty TNHH {} Việt Nam", "Văn phòng đại diện {} tại Đà Nẵng", "Chi nhánh {} Hội An", "{}")
STREET_FORMS = ("Đường {}", "Phố {}", "Số {n} {}", "Kiệt {n}/{m} {}", "Tổ {n}, thôn {}")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@cache
def _places() -> list[str]:
    from vietnam_provinces import Province, Ward
    from vietnamadminunits.database import query

    current = [w.name for w in Ward.iter_all()] + [p.name for p in Province.iter_all()]
    legacy = [v for row in query("select ward, district, province from admin_units_legacy") for v in row.values()]
    return sorted({_nfc(name) for name in current + legacy if name})


def _people(r: random.Random) -> list[str]:
    from faker import Faker

    families = [name for name, _ in FAMILY]
    pools = [(MIDDLE_M, GIVEN_M), (MIDDLE_F, GIVEN_F)]
    drawn = []
    for _ in range(3000):
        middles, givens = r.choice(pools)
        drawn.append(f"{r.choice(families)} {r.choice(middles)} {r.choice(givens)}")
    fake = Faker("vi_VN")
    fake.seed_instance(SEED)
    drawn += [fake.name() for _ in range(2000)]
    return drawn


def _companies(r: random.Random) -> list[str]:
    from faker import Faker

    fake = Faker("vi_VN")
    fake.seed_instance(SEED + 1)
    made = [f"{form} {trade} {brand}" for form in COMPANY_FORMS for trade in COMPANY_TRADES for brand in BRANDS]
    return r.sample(made, 800) + [fake.company() for _ in range(500)]


def _streets(r: random.Random, places: list[str]) -> list[str]:
    from faker import Faker

    fake = Faker("vi_VN")
    fake.seed_instance(SEED + 2)
    names = [fake.street_name() for _ in range(600)] + list(HISTORICAL_FIGURES)
    streets = []
    for name in names:
        form = r.choice(STREET_FORMS)
        streets.append(form.format(name, n=r.randint(1, 400), m=r.randint(1, 60)))
    # whole addresses: street, commune, province
    streets += [f"{r.choice(streets)}, {r.choice(places)}, {r.choice(places)}" for _ in range(600)]
    return streets


def vietnamese_texts() -> list[tuple[str, str]]:
    """(origin, text): the clean Vietnamese texts, NFC, no duplicates."""
    r = random.Random(SEED)
    places = _places()
    found: dict[str, str] = {}
    groups = {
        "place": places,
        "people": _people(r),
        "company": _companies(r),
        "school": [f"{kind} {figure}" for kind in SCHOOL_KINDS for figure in HISTORICAL_FIGURES],
        "street": _streets(r, places),
        "agency": [*AGENCIES, *(f"UBND {place}" for place in r.sample(places, 400))],
    }
    for origin, texts in groups.items():
        for text in texts:
            found.setdefault(_nfc(text), origin)
    # headings and registers in capitals
    for text in r.sample(sorted(found), 500):
        found.setdefault(text.upper(), found[text])
    return [(origin, text) for text, origin in found.items()]


@cache
def corpus() -> tuple[Case, ...]:
    cases: list[Case] = []
    vietnamese = vietnamese_texts()
    for origin, text in vietnamese:
        cases.append(Case("unicode", origin, text, text))
        if unicodedata.normalize("NFD", text) != text:
            cases.append(Case("nfd", origin, unicodedata.normalize("NFD", text), text))
        for kind, surface in (("tcvn3", tcvn3_surface), ("vni", vni_surface)):
            legacy = surface(text)
            if legacy != text:
                cases.append(Case(kind, origin, legacy, text))  # type: ignore[arg-type]
    for name in FOREIGN:
        for form in FOREIGN_FORMS:
            text = _nfc(form.format(name))
            cases.append(Case("unicode", "foreign", text, text))
            cases.append(Case("nfd", "foreign", unicodedata.normalize("NFD", text), text))
            if form == "{}" or max(name) > "\xff":
                continue
            for kind, surface in (("tcvn3", tcvn3_surface), ("vni", vni_surface)):
                # the Vietnamese words typed in a legacy font, the foreign name as it is spelt
                legacy = surface(form).format(name)
                if name.isascii():
                    cases.append(Case(kind, "company", legacy, text))  # type: ignore[arg-type]
                else:  # a letter no legacy table holds: no table reads it all
                    cases.append(Case("ambiguous", "foreign", legacy, legacy))
    return tuple(cases)
