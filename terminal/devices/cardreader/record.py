"""The typed card record decoded from a READ_BASIC answer.

The answer DATA after the status byte is GBK text: eleven fields, each followed by
`|`. It is decoded as a whole before splitting, because a GBK trail byte can be
0x7C (`|`). Every field is validated: a wrong field count, undecodable bytes or a
malformed field is CardDataInvalid, never a record with wrong contents.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from terminal.devices.cardreader.errors import CardDataInvalid
from terminal.logs import remember

SEPARATOR = "|"
ENCODING = "gbk"

# Field order on the wire; also the JSON keys of a record, exactly.
FIELD_NAMES = (
    "region_code",
    "ssn",
    "card_no",
    "card_sn",
    "name",
    "atr",
    "version",
    "issue_date",
    "expiry_date",
    "terminal_no",
    "device_no",
)

_PATTERNS: dict[str, re.Pattern[str]] = {
    "region_code": re.compile(r"[0-9]{6}"),
    # 18-character resident ID (last may be X) or the old 15-digit one.
    "ssn": re.compile(r"[0-9]{17}[0-9X]|[0-9]{15}"),
    "card_no": re.compile(r"[0-9A-Z]{1,20}"),
    "card_sn": re.compile(r"[0-9A-Za-z]{32}"),
    "atr": re.compile(r"(?:[0-9A-Fa-f]{2}){2,33}"),
    "version": re.compile(r"[0-9]{1,2}\.[0-9]{1,2}"),
    "issue_date": re.compile(r"[0-9]{8}"),
    "expiry_date": re.compile(r"[0-9]{8}"),
    "terminal_no": re.compile(r"[0-9A-Za-z]{0,32}"),
    "device_no": re.compile(r"[0-9A-Za-z]{0,32}"),
}
_MAX_NAME_CHARS = 30


def parse_date(text: str) -> dt.date:
    """yyyymmdd as a date (the caller has checked the eight digits)."""
    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))


@dataclass(frozen=True)
class CardRecord:
    region_code: str
    ssn: str
    card_no: str
    card_sn: str
    name: str
    atr: str
    version: str
    issue_date: str
    expiry_date: str
    terminal_no: str
    device_no: str

    def __post_init__(self) -> None:
        # Before anything can fail: a refusal's detail may quote the name.
        remember(names=[self.name] if isinstance(self.name, str) else [],
                 ids=[v for v in (self.ssn, self.card_no, self.card_sn) if isinstance(v, str)])
        for name in FIELD_NAMES:
            value = getattr(self, name)
            if not isinstance(value, str):
                raise CardDataInvalid(detail=f"{name} is not text")
            pattern = _PATTERNS.get(name)
            if pattern is not None and not pattern.fullmatch(value):
                raise CardDataInvalid(detail=f"{name} {value!r} is malformed")
        name = self.name
        if not name.strip() or len(name) > _MAX_NAME_CHARS or not name.isprintable():
            raise CardDataInvalid(detail=f"name {name!r} is malformed")
        if SEPARATOR in "".join(getattr(self, f) for f in FIELD_NAMES):
            raise CardDataInvalid(detail="a field contains the separator")
        try:
            issued, expires = parse_date(self.issue_date), parse_date(self.expiry_date)
        except ValueError:
            raise CardDataInvalid(
                detail=f"dates {self.issue_date}/{self.expiry_date} are not calendar dates"
            ) from None
        if expires < issued:
            raise CardDataInvalid(detail="the card expires before it was issued")

    @classmethod
    def from_payload(cls, payload: bytes) -> CardRecord:
        """Decode the READ_BASIC answer DATA that follows the status byte."""
        try:
            text = payload.decode(ENCODING)
        except UnicodeDecodeError as exc:
            raise CardDataInvalid(detail=f"card data is not GBK text: {exc}") from None
        if not text.endswith(SEPARATOR):
            raise CardDataInvalid(detail="card data does not end with '|'")
        parts = text[: -len(SEPARATOR)].split(SEPARATOR)
        if len(parts) != len(FIELD_NAMES):
            raise CardDataInvalid(
                detail=f"card data has {len(parts)} fields, expected {len(FIELD_NAMES)}"
            )
        return cls(*parts)

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> CardRecord:
        """A record from a JSON object with exactly the record's keys (cards files)."""
        missing = [k for k in FIELD_NAMES if k not in obj]
        if missing:
            raise CardDataInvalid(detail=f"card is missing {', '.join(missing)}")
        return cls(**{k: obj[k] for k in FIELD_NAMES})

    def to_payload(self) -> bytes:
        """The GBK bytes a reader sends for this card (after the status byte)."""
        try:
            return "".join(getattr(self, f) + SEPARATOR for f in FIELD_NAMES).encode(ENCODING)
        except UnicodeEncodeError as exc:
            raise CardDataInvalid(detail=f"card text cannot be written as GBK: {exc}") from None

    def to_json(self) -> dict[str, str]:
        return asdict(self)

    def expires_on(self) -> dt.date:
        return parse_date(self.expiry_date)

    def is_expired(self, today: dt.date | None = None) -> bool:
        """A card is valid through its expiry date and expired from the day after."""
        return (today or dt.date.today()) > self.expires_on()


assert tuple(f.name for f in fields(CardRecord)) == FIELD_NAMES
