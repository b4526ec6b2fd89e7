"""Subcommands of `python -m terminal`; helpers shared by them live here."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from terminal.errors import BadInput, EnvironmentFault


def emit_json(obj: Any, *, compact: bool = False) -> None:
    """Write one JSON document to stdout (the headless commands' only output)."""
    if compact:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
    else:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def read_json_file(path: str | Path, what: str) -> Any:
    """Load a JSON file the user named, turning every failure into a typed error."""
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise BadInput(f"The {what} file {path} does not exist.") from None
    except UnicodeDecodeError:
        raise BadInput(f"The {what} file {path} is not UTF-8 text.") from None
    except OSError as exc:
        raise EnvironmentFault(f"The {what} file {path} cannot be read.", detail=str(exc)) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"The {what} file {path} is not valid JSON.", detail=str(exc)) from None
    except RecursionError:
        raise BadInput(f"The {what} file {path} is nested too deeply to be a {what}.") from None
