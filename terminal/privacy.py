"""Masking personal data wherever someone other than the cashier could see it.

Names and ID numbers of insured persons are shown as 张*明 and 120101********105X
on receipts, screens a customer can see, command output, exports and logs, as
the platform's guidance on protecting insured persons' data asks. A technician
or supervisor may ask for the full values where the product says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

# setlinfo / baseinfo fields that identify a person.
NAME_FIELDS = ("psn_name", "userName", "name", "holder_name")
ID_FIELDS = ("certno", "idNo", "ssn", "card_no", "mdtrt_cert_no", "buyer_id")


def mask_name(name: str) -> str:
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id(number: str) -> str:
    if len(number) <= 10:
        return number[:2] + "*" * max(0, len(number) - 4) + number[-2:]
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a JSON object with its name and ID fields masked (nested objects and lists too)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, str) and key in NAME_FIELDS:
            out[key] = mask_name(value)
        elif isinstance(value, str) and key in ID_FIELDS:
            out[key] = mask_id(value)
        elif isinstance(value, Mapping):
            out[key] = mask_fields(value)
        elif isinstance(value, list):
            out[key] = [mask_fields(v) if isinstance(v, Mapping) else v for v in value]
        else:
            out[key] = value
    return out


# Not after a point: the digits of a float (a latency in a log line or metric) are not an ID number.
_RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z.])\d{17}[\dXx](?![0-9A-Za-z])")


def redact(text: str, names: Iterable[str] = (), ids: Iterable[str] = ()) -> str:
    """`text` with every occurrence of the given names and ID numbers masked (a refusal naming the
    person), and any resident ID number (18 characters) masked whether given or not."""
    for number in sorted({i for i in ids if len(i) >= 4}, key=len, reverse=True):
        text = text.replace(number, mask_id(number))
    text = _RESIDENT_ID.sub(lambda m: mask_id(m.group(0)), text)
    for name in sorted({n for n in names if len(n) >= 2}, key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    return text
