"""The request digest stored with each msgid: what makes two requests "the same".

SHA-256 of a canonical JSON of infno and input: keys sorted, no whitespace, non-ASCII text
escaped (\\u00e9), numbers exactly as parsed (8.5, 8.50 and "8.5" differ). The envelope's clock,
sign_no and operator are left out: a terminal resending a message after an unknown outcome
rebuilds them.
"""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from typing import Any

# json.dumps cannot write a Decimal as a number, so it writes each as a string that starts with a
# lone surrogate, which no parsed text can hold (parse_json refuses them), then the marker's quotes
# go: the result is the number as written, and no string can be mistaken for one.
_MARK = "\ud800"
_MARKED = re.compile(r'"\\ud800([^"]*)"')


def request_digest(infno: str, input_: Any) -> str:
    text = json.dumps({"infno": infno, "input": input_}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=True, default=_number)
    return hashlib.sha256(_MARKED.sub(r"\1", text).encode("ascii")).hexdigest()


def _number(value: object) -> str:
    if isinstance(value, Decimal):
        return _MARK + str(value)  # str keeps the written places: str(Decimal("8.50")) == "8.50"
    raise TypeError(f"no canonical JSON for {type(value).__name__}")
