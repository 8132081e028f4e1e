"""Official documents exchanged by the province's agencies, and how each one was handled.

Incoming documents come from ministries and other provinces to a provincial
agency; outgoing ones go from a provincial agency to another agency, inside or
outside the province. A document addressed to a provincial agency gets handling
events (edXML status messages): arrived, received, assigned, in progress, done,
or refused. Half of the documents carry a deadline (DueDate); about 12 % are
handled after it and some are still open at the end of the period.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from simulators.common.calendar import is_working_day
from simulators.common.catalog import DEPARTMENTS, PROVINCE_AGENCY
from simulators.common.people import person_name
from simulators.documents.config import DocumentsConfig

PROVINCIAL = (
    (PROVINCE_AGENCY, "UBND thành phố Đà Nẵng", "UBND"),
    *tuple(
        (code, name, "S" + "".join(w[0] for w in name.split()[1:] if w != "và").upper()) for code, name in DEPARTMENTS
    ),
)
EXTERNAL = (
    ("000.00.00.G05", "Bộ Nội vụ", "BNV"),
    ("000.00.00.G09", "Bộ Tài chính", "BTC"),
    ("000.00.00.G12", "Bộ Tư pháp", "BTP"),
    ("000.00.00.G15", "Bộ Y tế", "BYT"),
    ("000.00.00.H26", "UBND thành phố Hà Nội", "UBND"),
    ("000.00.00.H29", "UBND Thành phố Hồ Chí Minh", "UBND"),
)  # fmt: skip  (illustrative codes in the Decision 20/2020 format; unverified)
TYPES = (("1", "Công văn", ""), ("2", "Quyết định", "QĐ"), ("3", "Kế hoạch", "KH"), ("4", "Báo cáo", "BC"),
         ("5", "Thông báo", "TB"), ("6", "Tờ trình", "TTr"), ("7", "Giấy mời", "GM"))  # fmt: skip
TOPICS = (
    "triển khai Đề án 06 về dữ liệu dân cư", "báo cáo tình hình giải quyết thủ tục hành chính quý",
    "tăng cường công tác phòng, chống thiên tai mùa mưa bão", "kế hoạch chuyển đổi số năm 2026",
    "rà soát danh mục dữ liệu dùng chung", "tổ chức hội nghị sơ kết 6 tháng", "đôn đốc số hóa hồ sơ, kết quả",
    "phối hợp xử lý hồ sơ trễ hạn", "sắp xếp đơn vị hành chính cấp xã", "bảo đảm an toàn thông tin mạng",
)  # fmt: skip
# edXML status codes (QCVN 102:2016 status message; as commonly implemented, unverified).
STATUS = {"01": "Đã đến", "02": "Từ chối tiếp nhận", "03": "Đã tiếp nhận", "04": "Phân công",
          "05": "Đang xử lý", "06": "Hoàn thành"}  # fmt: skip


@dataclass(frozen=True)
class Document:
    message_id: str  # the file name's uuid
    sender: tuple[str, str, str]  # OrganId, OrganName, abbreviation
    receiver: tuple[str, str, str]
    number: int
    notation: str
    type: tuple[str, str, str]
    promulgated: date
    sent: datetime
    subject: str
    signer: str
    position: str
    due: date | None
    priority: int
    steering: int
    pages: int
    events: tuple[tuple[str, datetime], ...]  # (status code, time) from the receiver

    @property
    def document_id(self) -> str:
        return f"{self.sender[0]},{self.promulgated:%Y/%m/%d},{self.number}/{self.notation}"


def _working_after(day: date, days: int) -> date:
    while days > 0 or not is_working_day(day):
        day += timedelta(days=1)
        days -= is_working_day(day)
    return day


def documents(config: DocumentsConfig) -> Iterator[Document]:
    rng = random.Random(config.seed)
    numbers: dict[tuple[str, int], int] = {}
    end = datetime.combine(config.start + timedelta(days=config.days), datetime.min.time())
    for _ in range(config.size):
        day = _working_after(config.start + timedelta(days=rng.randrange(config.days)), 0)
        incoming = rng.random() < 0.5
        sender = rng.choice(EXTERNAL if incoming else PROVINCIAL)
        receiver = rng.choice([p for p in PROVINCIAL if p != sender] if incoming or rng.random() < 0.7 else EXTERNAL)
        kind = rng.choices(TYPES, weights=(50, 12, 8, 10, 8, 6, 6))[0]
        numbers[(sender[0], day.year)] = number = numbers.get((sender[0], day.year), 0) + 1
        sent = datetime.combine(day, datetime.min.time()) + timedelta(hours=rng.uniform(7.5, 17))
        due = _working_after(day, rng.choice((3, 5, 7, 10, 15))) if rng.random() < 0.5 else None
        yield Document(
            message_id=f"{rng.getrandbits(128):032x}", sender=sender, receiver=receiver, number=number,
            notation=f"{kind[2]}-{sender[2]}" if kind[2] else f"{sender[2]}-VP", type=kind, promulgated=day,
            sent=sent, subject=f"V/v {rng.choice(TOPICS)}", signer=person_name(rng),
            position=rng.choice(("Chủ tịch", "Phó Chủ tịch", "Giám đốc", "Phó Giám đốc", "Chánh Văn phòng")),
            due=due, priority=rng.choices((0, 1, 2, 3), weights=(80, 14, 5, 1))[0],
            steering=int(rng.random() < 0.2), pages=rng.randrange(1, 25),
            events=_handling(rng, sent, due, end) if receiver in PROVINCIAL else (),
        )  # fmt: skip


def _handling(rng: random.Random, sent: datetime, due: date | None, end: datetime) -> tuple:
    moment = sent + timedelta(minutes=rng.randrange(1, 30))
    found = [("01", moment)]
    if rng.random() < 0.02:
        return (*found, ("02", moment + timedelta(hours=rng.uniform(1, 8))))
    allowed = ((due - sent.date()).days if due else 10) * rng.lognormvariate(-0.5, 0.45)
    for code, share in (("03", 0.02), ("04", 0.1), ("05", 0.2), ("06", 1.0)):
        moment = max(moment + timedelta(minutes=5), sent + timedelta(days=allowed * share))
        if moment >= end:
            break
        found.append((code, moment.replace(microsecond=0)))
    return tuple(found)
