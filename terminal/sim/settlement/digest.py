"""The request digest stored with each msgid: what makes two requests "the same".

SHA-256 of a canonical JSON of infno and input: keys sorted, no whitespace, text as UTF-8,
numbers exactly as parsed (8.5, 8.50 and "8.5" differ). The envelope's clock, sign_no and
operator are left out: a terminal resending a message after an unknown outcome rebuilds them.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any


def request_digest(infno: str, input_: Any) -> str:
    text = _canonical({"infno": infno, "input": input_})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(value: Any) -> str:
    # parse_json bounds the nesting, so recursion here stays shallow.
    if isinstance(value, dict):
        return "{" + ",".join(f"{_text(k)}:{_canonical(value[k])}" for k in sorted(value)) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    if isinstance(value, str):
        return _text(value)
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int | Decimal):
        return str(value)  # Decimal keeps its written places: str(Decimal("8.50")) == "8.50"
    raise TypeError(f"no canonical JSON for {type(value).__name__}")


def _text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)
