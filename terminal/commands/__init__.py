"""Subcommands of `python -m terminal`; helpers shared by them live here."""

from __future__ import annotations

import json
import sys
from typing import Any


def emit_json(obj: Any, *, compact: bool = False) -> None:
    """Write one JSON document to stdout (the headless commands' only output)."""
    if compact:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
    else:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()
