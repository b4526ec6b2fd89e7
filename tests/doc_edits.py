"""Editing a JSON document by path, for tests that break one field of a valid message at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DELETE = object()  # set_field's value that removes the field


def set_field(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """set_field("drugdetail.0.pric", "1e9"); the value DELETE removes the field."""
    def mutate(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = doc
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is DELETE:
            del target[last]
        elif isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return mutate
