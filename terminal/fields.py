"""Strict reading of JSON objects from outside (files, requests, answers).

Every problem becomes a FieldError naming the field by its path
("drugdetail[2].cnt"), so the person who sent it can fix it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from terminal.errors import BadInput
from terminal.money import DecimalFieldError, json_kind, parse_decimal

MAX_AMOUNT = Decimal("100000000.00")  # no counter bill or balance reaches 100 million yuan
MAX_PRICE = Decimal("1000000.0000")
MAX_COUNT = Decimal("100000.0000")
MAX_WHOLE_COUNT = 10**9
# ASCII digits: int() would also read fullwidth or Arabic-Indic ones.
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,10}")


class FieldError(BadInput):
    """A field of a JSON document is missing, mistyped or out of range."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class Fields:
    """A JSON object read field by field, with the path used in error messages."""

    __slots__ = ("data", "where")

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise FieldError(f"{where} must be a JSON object")
        self.data: dict[str, Any] = data
        self.where = where

    def _path(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def has(self, name: str) -> bool:
        return self.data.get(name) is not None

    def raw(self, name: str) -> Any:
        return self.data.get(name)

    def text(
        self,
        name: str,
        *,
        max_len: int = 100,
        choices: Iterable[str] | None = None,
        pattern: str | None = None,
        default: str | None = None,
    ) -> str:
        value = self.data.get(name)
        if value is None or value == "":
            if default is not None:
                return default
            raise FieldError(f"{self._path(name)} is required")
        if not isinstance(value, str):
            raise FieldError(f"{self._path(name)} must be a string, got {json_kind(value)}")
        if len(value) > max_len:
            raise FieldError(f"{self._path(name)} is longer than {max_len} characters")
        if choices is not None:
            allowed = list(choices)
            if value not in allowed:
                raise FieldError(
                    f"{self._path(name)} must be one of {', '.join(allowed)}; got {value[:20]!r}")
        if pattern is not None and not re.fullmatch(pattern, value):
            raise FieldError(f"{self._path(name)} is malformed: {value[:40]!r}")
        return value

    def opt_text(self, name: str, *, max_len: int = 100, pattern: str | None = None) -> str | None:
        if self.data.get(name) in (None, ""):
            return None
        return self.text(name, max_len=max_len, pattern=pattern)

    def decimal(
        self,
        name: str,
        *,
        places: int = 4,
        minimum: Decimal | None = Decimal(0),
        maximum: Decimal | None = None,
        allow_zero: bool = True,
    ) -> Decimal:
        value = self.data.get(name)
        if value is None or value == "":
            raise FieldError(f"{self._path(name)} is required")
        try:
            return parse_decimal(value, self._path(name), max_places=places, minimum=minimum,
                                 maximum=maximum, allow_zero=allow_zero)
        except DecimalFieldError as exc:
            raise FieldError(str(exc)) from None

    def opt_decimal(self, name: str, **kwargs: Any) -> Decimal | None:
        if self.data.get(name) in (None, ""):
            return None
        return self.decimal(name, **kwargs)

    def count(self, name: str, *, minimum: int = 0, maximum: int = MAX_WHOLE_COUNT) -> int:
        """A whole number: a JSON integer, as platform clients send counts, or a numeric string."""
        value = self.data.get(name)
        if value is None or value == "":
            raise FieldError(f"{self._path(name)} is required")
        if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip()):
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError(f"{self._path(name)} must be a whole number such as 12, got {json_kind(value)}"
                             + (f" {value[:20]!r}" if isinstance(value, str) else ""))
        if value < minimum:
            raise FieldError(f"{self._path(name)} must be at least {minimum}")
        if value > maximum:
            raise FieldError(f"{self._path(name)} must be at most {maximum}")
        return value

    def amount(self, name: str, *, maximum: Decimal = MAX_AMOUNT) -> Decimal:
        """A non-negative yuan amount with at most two places."""
        return self.decimal(name, places=2, minimum=Decimal(0), maximum=maximum)

    def obj(self, name: str) -> Fields:
        if name not in self.data:
            raise FieldError(f"{self._path(name)} is required")
        return Fields(self.data[name], self._path(name))

    def items(self, name: str, *, max_items: int = 1000, allow_empty: bool = False) -> list[Fields]:
        value = self.data.get(name)
        if not isinstance(value, list):
            raise FieldError(f"{self._path(name)} must be a list")
        if not value and not allow_empty:
            raise FieldError(f"{self._path(name)} must not be empty")
        if len(value) > max_items:
            raise FieldError(f"{self._path(name)} has more than {max_items} entries")
        return [Fields(entry, f"{self._path(name)}[{i}]") for i, entry in enumerate(value)]
