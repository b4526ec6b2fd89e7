"""The test session's watch over personal data in logs and metrics.

Every log record of the test process (at debug level, so the lines a technician can switch on count
too) is formatted by the product's JSON formatter, and every `python -m terminal` process the tests
start writes its JSON lines to a folder of the session (TERMINAL_LOG_FILE); the metric scrapes of the
tests are handed in too. All of it is searched for the demo population's names, ID numbers and card
numbers, and for any resident ID number with a valid check character, unmasked. A find fails the
session, naming the line.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from terminal.config import config_path
from terminal.errors import BadInput
from terminal.logs import JsonFormatter
from terminal.sale_rules import check_resident_id

_RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z.])\d{17}[\dX](?![0-9A-Za-z])")


def valid_resident_id(number: str) -> bool:
    """GB 11643: the 18th character is the check character of the first 17 digits (the counter's own check)."""
    try:
        check_resident_id(number)
    except BadInput:
        return False
    return True


def demo_population() -> list[str]:
    """Every name, ID number and card number of the shipped demo persons and cards."""
    values: set[str] = set()
    for entry in json.loads(config_path("persons.json").read_text(encoding="utf-8")):
        values |= {entry.get(k) for k in ("psn_name", "certno", "card_no")} - {None, ""}
    for entry in json.loads(config_path("cards.json").read_text(encoding="utf-8")):
        values |= {entry.get(k) for k in ("name", "ssn", "card_no")} - {None, ""}
    return sorted(values, key=len, reverse=True)


@dataclass
class PrivacyScan:
    secrets: list[str] = field(default_factory=demo_population)
    leaks: list[str] = field(default_factory=list)
    lines: int = 0

    def check(self, text: str, where: str) -> None:
        self.lines += 1
        found = [s for s in self.secrets if s in text]
        found += [m[0] for m in _RESIDENT_ID.finditer(text) if valid_resident_id(m[0])]
        if found and len(self.leaks) < 50:
            self.leaks.append(f"{where}: {', '.join(sorted(set(found)))} in {text[:300]!r}")

    def check_folder(self, folder: Path) -> None:
        for path in sorted(folder.glob("*.jsonl*")):
            self.check_file(path)

    def check_file(self, path: Path) -> None:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            self.check(line, path.name)


class ScanHandler(logging.Handler):
    """Formats each record as the product would log it, and checks the line."""

    def __init__(self, scan: PrivacyScan) -> None:
        super().__init__(logging.DEBUG)
        self.scan = scan
        self.setFormatter(JsonFormatter())

    def emit(self, record: logging.LogRecord) -> None:
        self.scan.check(self.format(record), f"log {record.name}")


SCAN = PrivacyScan()
